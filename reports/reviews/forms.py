from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.selectors import search_members, search_organizations
from criteria.models import Indicator
from reports.reviews.models import Nomination
from vietnamese.forms import DateField, DecimalField
from vietnamese.numbers import number
from web.forms import SearchSelect


def _score_field(label, points):
    return DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=points,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "max_value": _("Tối đa %(points)s điểm.") % {"points": number(points)},
            "min_value": _("Điểm không thể âm."),
        },
    )


class SelfAssessmentForm(forms.Form):
    """Per indicator: what was achieved, the score, the explanation, and the evidence linked.
    Each label carries the indicator's number (1.2): the same fields repeat for every indicator,
    and a screen reader must be able to tell them apart."""

    def __init__(self, *args, sheet, evidence_by_indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for block in sheet.blocks:
            rows = []
            for row in block.rows:
                indicator, score = row.indicator, row.score
                pk = indicator.pk
                self.fields[f"score_{pk}"] = _score_field(
                    _("Tự chấm %(code)s (tối đa %(p)s)")
                    % {"code": row.code, "p": number(indicator.points)},
                    indicator.points,
                )
                self.fields[f"score_{pk}"].initial = (
                    score.self_score
                    if score.self_score is not None
                    else (row.auto.suggested_score if row.auto else None)
                )
                self.fields[f"comment_{pk}"] = forms.CharField(
                    label=_("Giải trình %(code)s") % {"code": row.code},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 1}),
                    initial=score.self_comment,
                )
                if indicator.auto_source:
                    achieved = None
                elif indicator.target_kind == Indicator.TargetKind.YES_NO:
                    achieved = f"achieved_{pk}"
                    self.fields[achieved] = forms.TypedChoiceField(
                        label=_("Kết quả %(code)s") % {"code": row.code},
                        choices=[("", "—"), ("1", _("Đạt")), ("0", _("Không đạt"))],
                        coerce=lambda v: v == "1",
                        empty_value=None,
                        required=False,
                        initial=""
                        if score.achieved_yes is None
                        else ("1" if score.achieved_yes else "0"),
                    )
                else:
                    achieved = f"achieved_{pk}"
                    self.fields[achieved] = DecimalField(
                        label=_("Kết quả đạt được %(code)s") % {"code": row.code}
                        + (
                            " (%)"
                            if indicator.target_kind == Indicator.TargetKind.PERCENT
                            else f" ({indicator.unit})"
                        ),
                        required=False,
                        min_value=0,
                        max_digits=9,
                        decimal_places=2,
                        initial=score.achieved_number,
                    )
                choices = evidence_by_indicator.get(pk, [])
                evidence = None
                if choices:
                    evidence = f"evidence_{pk}"
                    self.fields[evidence] = forms.MultipleChoiceField(
                        label=_("Minh chứng %(code)s") % {"code": row.code},
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                        choices=[(str(e.pk), e.original_name or e.note[:60]) for e in choices],
                        initial=[str(e.pk) for e in row.evidence],
                    )
                rows.append(
                    {
                        "row": row,
                        "score": self[f"score_{pk}"],
                        "comment": self[f"comment_{pk}"],
                        "achieved": self[achieved] if achieved else None,
                        "evidence": self[evidence] if evidence else None,
                    }
                )
            self.groups.append({"block": block, "rows": rows})

    def rows(self) -> dict[int, dict]:
        result = {}
        for group in self.groups:
            for item in group["rows"]:
                indicator = item["row"].indicator
                values = {
                    "self_score": self.cleaned_data[f"score_{indicator.pk}"],
                    "self_comment": self.cleaned_data[f"comment_{indicator.pk}"],
                }
                if item["achieved"] is not None:
                    key = (
                        "achieved_yes"
                        if indicator.target_kind == Indicator.TargetKind.YES_NO
                        else "achieved_number"
                    )
                    values[key] = self.cleaned_data[f"achieved_{indicator.pk}"]
                values["evidence"] = (
                    [int(pk) for pk in self.cleaned_data.get(f"evidence_{indicator.pk}", [])]
                    if item["evidence"] is not None
                    else []
                )
                result[indicator.pk] = values
        return result


class AssessmentForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for block in sheet.blocks:
            rows = []
            for row in block.rows:
                pk = row.indicator.pk
                self.fields[f"score_{pk}"] = _score_field(
                    _("Điểm thẩm định %(code)s") % {"code": row.code}, row.indicator.points
                )
                self.fields[f"score_{pk}"].initial = (
                    row.score.assessed_score
                    if row.score.assessed_score is not None
                    else row.score.self_score
                )
                self.fields[f"comment_{pk}"] = forms.CharField(
                    label=_("Nhận xét %(code)s") % {"code": row.code},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 1}),
                    initial=row.score.assessed_comment,
                )
                rows.append(
                    {"row": row, "score": self[f"score_{pk}"], "comment": self[f"comment_{pk}"]}
                )
            self.groups.append({"block": block, "rows": rows})

    def rows(self) -> dict[int, dict]:
        return {
            item["row"].indicator.pk: {
                "assessed_score": self.cleaned_data[f"score_{item['row'].indicator.pk}"],
                "assessed_comment": self.cleaned_data[f"comment_{item['row'].indicator.pk}"],
            }
            for group in self.groups
            for item in group["rows"]
        }


class FinalizeForm(forms.Form):
    """The leader's confirmation of the model's result (nothing to type: the result follows
    from the assessed scores and the plan's rule)."""


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Nomination.Kind.choices)
    organization = forms.ModelChoiceField(
        label=_("Tập thể"),
        queryset=None,
        required=False,
        widget=SearchSelect(search_organizations),
    )
    member = forms.ModelChoiceField(
        label=_("Cá nhân"), queryset=None, required=False, widget=SearchSelect(search_members)
    )
    reason = forms.CharField(label=_("Thành tích"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} — {m.branch.name}"


class DecisionForm(forms.Form):
    issue_date = DateField(label=_("Ngày ban hành"))
    sequence = forms.IntegerField(
        label=_("Số quyết định"),
        required=False,
        min_value=1,
        help_text=_("Để trống: số tiếp theo trong nhiệm kỳ."),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    recipients = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
