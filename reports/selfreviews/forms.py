from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from criteria.rules import Frame, Level
from reports.ratings.hd43 import FORMS, FormSpec
from reports.selfreviews.models import SelfReview
from vietnamese.forms import DateField, DecimalField

LEVEL_CHOICES = [("", "—"), *Level.choices]
TEXT = {"rows": 4, "class": "form-control"}


# Evaluated when shown, in the reader's language.
_quarter = lazy(lambda q: gettext("Quý %(q)s (Mẫu 05)") % {"q": q}, str)


class _RoundDates(forms.Form):
    deadline = DateField(label=_("Hạn nộp bản tự kiểm điểm"))
    note = forms.CharField(
        label=_("Căn cứ, ghi chú (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoundForm(_RoundDates):
    field_order = ["year", "quarter", "deadline", "note"]
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Kỳ"),
        choices=[("", _("Cả năm (Mẫu 2A, 2B, 2C)"))] + [(str(q), _quarter(q)) for q in range(1, 5)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class RoundEditForm(_RoundDates):
    reason = forms.CharField(
        label=_("Lý do thay đổi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _plain(value) -> str | None:
    if value in (None, ""):
        return None
    return str(value)


def add_section_fields(form: forms.Form, spec: FormSpec, values: dict) -> None:
    """One text box per section of an HD 43 form, grouped as the form numbers them
    (`form.groups`: [(group, [bound fields], whether the group's sections are numbered)]); a
    group of one unnumbered section is labelled by the group's own number and title."""
    form.spec = spec
    form.groups = []
    for group in spec.groups:
        fields = []
        for section in group.sections:
            name = f"section_{section.code}"
            form.fields[name] = forms.CharField(
                label=f"{section.number}. {section.title}"
                if section.number
                else f"{group.number}. {group.title}",
                help_text=section.guide,
                required=False,
                max_length=20_000,
                initial=values.get(section.code, ""),
                widget=forms.Textarea(attrs=TEXT),
            )
            fields.append(form[name])
        form.groups.append((group, fields, any(s.number for s in group.sections)))


def section_values(form: forms.Form) -> dict[str, str]:
    return {s.code: form.cleaned_data.get(f"section_{s.code}", "") for s in form.spec.sections}


class SelfReviewForm(forms.Form):
    """What a member writes: the form (2A/2B/2C for the year), each section of it, the points on
    the year's frame and the level proposed; for someone writing for the member, why."""

    def __init__(
        self, *args, review: SelfReview, forms_allowed: list[str], frame: Frame, own: bool, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["form"] = forms.ChoiceField(
            label=_("Mẫu"),
            choices=[(c, label) for c, label in SelfReview.Form.choices if c in forms_allowed],
            initial=review.form,
            widget=forms.RadioSelect if len(forms_allowed) > 1 else forms.HiddenInput,
        )
        add_section_fields(self, FORMS[review.form], review.sections)
        self.frame = frame
        self.part_fields = []
        for part in frame.parts:
            name = f"part_{part.code}"
            self.fields[name] = DecimalField(
                label=_("%(name)s (tối đa %(points)s điểm)")
                % {"name": part.name, "points": part.points},
                required=False,
                min_value=0,
                max_value=part.points,
                decimal_places=2,
                initial=_plain(review.parts.get(part.code)),
            )
            self.part_fields.append(self[name])
        self.fields["proposed_level"] = forms.ChoiceField(
            label=_("Tự nhận mức xếp loại chất lượng"),
            choices=LEVEL_CHOICES,
            required=False,
            initial=review.proposed_level,
        )
        if not own:
            self.fields["on_behalf_reason"] = forms.CharField(
                label=_("Lý do lập thay cho đảng viên"),
                help_text=_("Ví dụ: đảng viên ốm dài ngày, không sử dụng được điện thoại."),
                required=False,
                max_length=1000,
                initial=review.on_behalf_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "form": data["form"],
            "sections": section_values(self),
            "parts": {part.code: data.get(f"part_{part.code}") for part in self.frame.parts},
            "proposed_level": data["proposed_level"],
            "on_behalf_reason": data.get("on_behalf_reason", ""),
        }


class VoteForm(forms.Form):
    vote_date = DateField(label=_("Ngày chi bộ họp, biểu quyết"))
    present = forms.IntegerField(
        label=_("Số đảng viên chính thức có mặt biểu quyết"), min_value=0, max_value=10_000
    )
    vote_excellent = forms.IntegerField(
        label=_("Hoàn thành xuất sắc nhiệm vụ"), min_value=0, max_value=10_000, initial=0
    )
    vote_good = forms.IntegerField(
        label=_("Hoàn thành tốt nhiệm vụ"), min_value=0, max_value=10_000, initial=0
    )
    vote_completed = forms.IntegerField(
        label=_("Hoàn thành nhiệm vụ"), min_value=0, max_value=10_000, initial=0
    )
    vote_failed = forms.IntegerField(
        label=_("Không hoàn thành nhiệm vụ"), min_value=0, max_value=10_000, initial=0
    )
    vote_invalid = forms.IntegerField(
        label=_("Phiếu trắng, không hợp lệ"), min_value=0, max_value=10_000, initial=0
    )
    comment = forms.CharField(
        label=_("Nhận xét, góp ý của chi bộ"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    level = forms.ChoiceField(label=_("Cấp ủy quyết định"), choices=Level.choices)
    reason = forms.CharField(
        label=_("Lý do (khi đổi mức đã quyết định)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CollectiveReportForm(forms.Form):
    def __init__(self, *args, spec: FormSpec, sections: dict, **kwargs):
        super().__init__(*args, **kwargs)
        add_section_fields(self, spec, sections)

    def sections(self) -> dict:
        return section_values(self)
