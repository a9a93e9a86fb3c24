from django import forms
from django.utils.translation import gettext_lazy as _

from criteria.models import Indicator
from pledges.models import DeadlineExtension
from vietnamese.forms import DateField, DecimalField


class LateRegistrationForm(forms.Form):
    late_reason = forms.CharField(
        label=_("Lý do nhận đăng ký muộn"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtensionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hạn"), choices=DeadlineExtension.Kind.choices)
    until = DateField(label=_("Gia hạn đến ngày"))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class PledgeForm(forms.Form):
    """One field per indicator (typed by the indicator's kind) and one commitment per criterion."""

    def __init__(self, *args, criteria, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        targets = {t.indicator_id: t for t in pledge.targets.all()}
        commitments = {c.criterion_id: c.text for c in pledge.commitments.all()}
        self.groups = []
        for criterion in criteria:
            rows = []
            for indicator in criterion.indicators.all():
                target = targets.get(indicator.pk)
                name = f"target_{indicator.pk}"
                label = f"{criterion.order}.{indicator.order}. {indicator.text}"
                if indicator.target_kind == Indicator.TargetKind.YES_NO:
                    self.fields[name] = forms.TypedChoiceField(
                        label=label,
                        choices=[("", "—"), ("1", _("Có — cam kết thực hiện")), ("0", _("Không"))],
                        coerce=lambda v: v == "1",
                        empty_value=None,
                        required=False,
                        initial="1"
                        if target is None or target.value_yes
                        else ("0" if target.value_yes is False else ""),
                    )
                else:
                    percent = indicator.target_kind == Indicator.TargetKind.PERCENT
                    self.fields[name] = DecimalField(
                        label=label,
                        required=False,
                        min_value=0,
                        max_value=100 if percent else None,
                        max_digits=9,
                        decimal_places=2,
                        initial=target.value_number if target else indicator.default_target,
                        help_text=_("Tỷ lệ (%)") if percent else indicator.unit,
                    )
                note = f"note_{indicator.pk}"
                self.fields[note] = forms.CharField(
                    label=_("Ghi chú %(code)s") % {"code": f"{criterion.order}.{indicator.order}"},
                    required=False,
                    max_length=300,
                    initial=target.note if target else "",
                )
                rows.append((indicator, self[name], self[note]))
            commitment = f"commitment_{criterion.pk}"
            self.fields[commitment] = forms.CharField(
                label=_("Cam kết của chi bộ về tiêu chí này"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=commitments.get(criterion.pk, ""),
            )
            self.groups.append(
                {"criterion": criterion, "rows": rows, "commitment": self[commitment]}
            )

    def targets(self) -> dict[int, dict]:
        result = {}
        for group in self.groups:
            for indicator, target, note in group["rows"]:
                value = self.cleaned_data[target.name]
                key = (
                    "value_yes"
                    if indicator.target_kind == Indicator.TargetKind.YES_NO
                    else "value_number"
                )
                result[indicator.pk] = {key: value, "note": self.cleaned_data[note.name]}
        return result

    def commitments(self) -> dict[int, str]:
        return {
            group["criterion"].pk: self.cleaned_data[group["commitment"].name]
            for group in self.groups
        }
