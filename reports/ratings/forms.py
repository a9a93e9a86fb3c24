from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import MemberStanding
from criteria.rules import Level
from vietnamese.forms import DateField, DecimalField

LEVEL_CHOICES = [("", "—"), *Level.choices]


class RatingsForm(forms.Form):
    """One column of a branch's ratings: the level of each member."""

    def __init__(self, *args, rows, column: str, left_out=(), **kwargs):
        """`left_out`: the members not rated this year (Quy định 366-QĐ/TW Điều 5): shown
        without a field, so no level can be sent for them."""
        super().__init__(*args, **kwargs)
        field_name = {
            "self": "self_level",
            "proposed": "proposed_level",
            "decided": "decided_level",
        }[column]
        self.rows = []
        for member, rating in rows:
            if member.pk in left_out:
                self.rows.append((member, rating, None))
                continue
            name = f"level_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=member.full_name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=_start_from(rating, field_name),
            )
            self.rows.append((member, rating, self[name]))
        if column == "decided":
            self.fields["reason"] = forms.CharField(
                label=_("Lý do xếp loại lại (khi đổi mức đã quyết định)"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def levels(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[field.name]
            for member, _rating, field in self.rows
            if field is not None
        }


def _start_from(rating, field_name: str) -> str:
    """What a column's field starts from: the level recorded there, else the step before it —
    the committee decides from the branch's proposal, the branch proposes from the member's own
    rating — so nobody types every level again; nothing is recorded until the column is saved."""
    if rating is None:
        return ""
    before = {"decided_level": "proposed_level", "proposed_level": "self_level"}.get(field_name)
    return getattr(rating, field_name) or (getattr(rating, before) if before else "")


class ExceptionForm(forms.Form):
    """The decision that a tổ chức cơ sở đảng's results were outstanding (cap 25%)."""

    pool = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    decision = forms.CharField(
        label=_("Quyết định của cấp có thẩm quyền (số, ngày)"), max_length=300, required=False
    )
    reason = forms.CharField(
        label=_("Kết quả nổi trội"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _plain(value: Decimal | None) -> str | None:
    """82.00 → "82", 10.0000 → "10", 92.50 → "92.5": what a number field shows."""
    if value is None:
        return None
    return format(value.normalize(), "f")


class RatingSheetForm(forms.Form):
    """A member's rating sheet: the score on the 100-point frame and the conditions of Điều 11
    (shares typed as percentages)."""

    self_score = DecimalField(
        label=_("Điểm tự chấm (khung 100 điểm)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    score = DecimalField(
        label=_("Điểm chi bộ, cấp ủy chấm"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    tasks_on_time = forms.BooleanField(
        label=_("Hoàn thành 100% nhiệm vụ đúng tiến độ"), required=False, initial=True
    )
    exceeding_share = DecimalField(
        label=_("Tỷ lệ nhiệm vụ vượt yêu cầu (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Mức xuất sắc cần từ 30%; để trống thì không xét mức xuất sắc."),
    )
    unfinished_share = DecimalField(
        label=_("Tỷ lệ nhiệm vụ không hoàn thành (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=0,
    )
    disciplined = forms.BooleanField(
        label=_("Bị kỷ luật từ khiển trách trở lên (liên quan thực hiện nhiệm vụ)"), required=False
    )
    shortcomings_fixed = forms.BooleanField(
        label=_("Đã khắc phục hết hạn chế, khuyết điểm đã được chỉ ra"),
        required=False,
        initial=True,
    )

    @classmethod
    def initial_for(cls, rating) -> dict:
        if rating is None:
            return {}
        hundred = Decimal(100)
        return {
            "self_score": _plain(rating.self_score),
            "score": _plain(rating.score),
            "tasks_on_time": rating.tasks_on_time,
            "exceeding_share": None
            if rating.exceeding_share is None
            else _plain(rating.exceeding_share * hundred),
            "unfinished_share": _plain(rating.unfinished_share * hundred),
            "disciplined": rating.disciplined,
            "shortcomings_fixed": rating.shortcomings_fixed,
        }

    def sheet(self) -> dict:
        data = dict(self.cleaned_data)
        hundred = Decimal(100)
        if data["exceeding_share"] is not None:
            data["exceeding_share"] = data["exceeding_share"] / hundred
        data["unfinished_share"] = (data["unfinished_share"] or Decimal(0)) / hundred
        return data


class StandingForm(forms.ModelForm):
    class Meta:
        model = MemberStanding
        fields = ["kind", "start_date", "end_date", "decision"]
        field_classes = {"start_date": DateField, "end_date": DateField}
        widgets = {"decision": forms.TextInput()}


def _points_field(part) -> DecimalField:
    return DecimalField(
        label=f"{part.name} ({_plain(part.points)})",
        required=False,
        min_value=0,
        max_value=part.points,
        decimal_places=2,
    )


def _share_field(label, **kwargs) -> DecimalField:
    return DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        **kwargs,
    )


class OrganizationSelfForm(forms.Form):
    """The organization's own scores on the frame of the year, part by part, and its level."""

    def __init__(self, *args, frame, rating=None, **kwargs):
        super().__init__(*args, **kwargs)
        for part in frame.parts:
            self.fields[f"self_{part.code}"] = _points_field(part)
            if rating is not None and part.code in rating.self_parts:
                self.initial[f"self_{part.code}"] = _plain(Decimal(rating.self_parts[part.code]))
        self.fields["self_level"] = forms.ChoiceField(
            label=_("Tự xếp loại"), choices=LEVEL_CHOICES, required=False
        )
        if rating is not None:
            self.initial["self_level"] = rating.self_level


class AppraisalForm(forms.Form):
    """The advising body's appraisal: the scores it accepts, the conditions of Điều 11 (shares
    typed as percentages) and the level it proposes."""

    def __init__(self, *args, frame, rating=None, **kwargs):
        super().__init__(*args, **kwargs)
        for part in frame.parts:
            self.fields[f"score_{part.code}"] = _points_field(part)
        self.fields["all_tasks_done"] = forms.BooleanField(
            label=_("Hoàn thành 100% nhiệm vụ được giao"), required=False, initial=True
        )
        self.fields["late_share"] = _share_field(
            _("Tỷ lệ nhiệm vụ chưa bảo đảm tiến độ (%)"), initial=0
        )
        self.fields["exceeding_share"] = _share_field(
            _("Tỷ lệ nhiệm vụ vượt yêu cầu (%)"),
            help_text=_("Mức xuất sắc cần từ 30%; để trống thì không xét mức xuất sắc."),
        )
        self.fields["disciplined"] = forms.BooleanField(
            label=_("Có đơn vị trực thuộc hoặc thành viên lãnh đạo bị kỷ luật"), required=False
        )
        self.fields["proposed_level"] = forms.ChoiceField(
            label=_("Mức đề xuất"), choices=LEVEL_CHOICES, required=False
        )
        if rating is not None and rating.score is not None:
            hundred = Decimal(100)
            for part in frame.parts:
                if part.code in rating.parts:
                    self.initial[f"score_{part.code}"] = _plain(Decimal(rating.parts[part.code]))
            self.initial.update(
                all_tasks_done=rating.all_tasks_done,
                late_share=_plain(rating.late_share * hundred),
                exceeding_share=None
                if rating.exceeding_share is None
                else _plain(rating.exceeding_share * hundred),
                disciplined=rating.disciplined,
                proposed_level=rating.proposed_level,
            )

    def appraisal(self) -> dict:
        data = dict(self.cleaned_data)
        hundred = Decimal(100)
        data["late_share"] = (data.get("late_share") or Decimal(0)) / hundred
        if data.get("exceeding_share") is not None:
            data["exceeding_share"] = data["exceeding_share"] / hundred
        return data


class DecideForm(forms.Form):
    """The committee's decision on a collective's level."""

    level = forms.ChoiceField(
        label=_("Quyết định xếp loại"), choices=[c for c in LEVEL_CHOICES if c[0]]
    )
    decision = forms.CharField(label=_("Quyết định (số, ngày)"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Lý do (khi quyết định thấp hơn mức được phép, hoặc xếp loại lại)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultsDocumentForm(forms.Form):
    """The year's rating results as a document: the list, or the decision with the list."""

    kind = forms.ChoiceField(
        label=_("Văn bản"),
        choices=[
            ("decision", _("Quyết định công nhận (kèm danh sách)")),
            ("list", _("Danh sách kết quả")),
        ],
        initial="decision",
    )
    issue_date = DateField(label=_("Ngày ký"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    proposer = forms.CharField(
        label=_("Xét đề nghị của"),
        max_length=200,
        required=False,
        help_text=_("Cơ quan tham mưu, ví dụ: Ban Xây dựng Đảng."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi; để trống: Như Điều 2, Lưu Văn phòng."),
    )
