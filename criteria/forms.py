import datetime
from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion, Indicator, Plan
from vietnamese.forms import DateField, DecimalField, formfield
from web.forms import ObjectsField

DATE_FIELDS = [
    "registration_deadline",
    "signing_deadline",
    "interim_review_deadline",
    "final_review_deadline",
]


class PlanCreateForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Cấp ủy ban hành"), queryset=None)
    model = forms.ChoiceField(label=_("Mô hình"), choices=Plan.Model.choices)
    source = forms.ChoiceField(
        label=_("Bắt đầu từ"),
        help_text=_("Mẫu chuẩn, hoặc sao chép tiêu chí của một kế hoạch trước."),
    )
    issue_date = DateField(label=_("Ngày ban hành"))
    sequence = forms.IntegerField(
        label=_("Số kế hoạch"),
        required=False,
        min_value=1,
        help_text=_("Để trống: số tiếp theo trong nhiệm kỳ."),
    )
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    registration_deadline = DateField(label=_("Hạn đăng ký"))
    signing_deadline = DateField(label=_("Hạn ký cam kết"))
    interim_review_deadline = DateField(label=_("Hạn sơ kết"), required=False)
    final_review_deadline = DateField(label=_("Hạn tổng kết"))

    def __init__(self, *args, issuers, earlier_plans, **kwargs):
        kwargs.setdefault("initial", self.proposed(timezone.localdate()))
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.earlier_plans = {str(p.pk): p for p in earlier_plans}
        self.fields["source"].choices = [("standard", _("Mẫu chuẩn của mô hình"))] + [
            (
                str(p.pk),
                _("Sao chép kế hoạch %(number)s (%(period)s)")
                % {"number": p.number, "period": p.period_label},
            )
            for p in earlier_plans
        ]

    @staticmethod
    def proposed(today: datetime.date) -> dict:
        """What a new plan starts with: the year it is for and deadlines inside that year. From
        November on, the plan being drafted is next year's: its year and its reviews are then
        next year's, never a plan for this year with next year's deadlines."""
        year = today.year + 1 if today.month >= 11 else today.year
        return {
            "issue_date": today,
            "start_year": year,
            "end_year": year,
            "registration_deadline": today + datetime.timedelta(days=15),
            "signing_deadline": today + datetime.timedelta(days=30),
            "interim_review_deadline": max(
                today + datetime.timedelta(days=31), datetime.date(year, 6, 30)
            ),
            "final_review_deadline": datetime.date(year, 12, 15),
        }

    def clean(self):
        data = super().clean()
        source = data.get("source")
        data["copy_from"] = (
            self.earlier_plans.get(source) if source and source != "standard" else None
        )
        if data["copy_from"] and data.get("model") and data["copy_from"].model != data["model"]:
            self.add_error("source", _("Kế hoạch được sao chép thuộc mô hình khác."))
        return data


class PlanEditForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "place_name",
            "start_year",
            "end_year",
            *DATE_FIELDS,
            "interim_pro_rata",
            "meeting_attendance_above",
            "meeting_min_minutes",
            "meeting_combined_min_minutes",
            "meeting_excused_in_a_row",
            "purpose",
            "implementation",
            "pass_total",
            "outstanding_collective_level",
            "outstanding_member_level",
            "model_min_level",
            "model_no_disciplined_member",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        formfield_callback = formfield  # decimal commas and typed dates (vietnamese.forms)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "implementation": forms.Textarea(attrs={"rows": 5}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    signer_title = forms.ChoiceField(
        label=_("Chức vụ người ký (thay mặt tập thể, T/M)"),
        choices=[("BÍ THƯ", _("Bí thư")), ("PHÓ BÍ THƯ", _("Phó Bí thư"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_draft:
            for name in ["start_year", "end_year"]:
                self.fields[name].disabled = True


class AmendmentMixin:
    """Adds the required "reason" field once the plan's criteria are locked."""

    def add_reason_field(self, plan: Plan):
        if plan.criteria_locked:
            self.fields["reason"] = forms.CharField(
                label=_("Lý do sửa đổi"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Tiêu chí đã khóa vì đã có bản cam kết được ký; thay đổi này được lưu vào lịch sử cùng lý do."
                ),
            )


class CriteriaPointsForm(AmendmentMixin, forms.Form):
    """The points of the four criteria, their minimums and the points of every indicator, on
    one page: any valid distribution (30/20/25/25 from 25/25/25/25) is reached in one save, and
    the sums are checked once, on the whole set."""

    def __init__(self, *args, plan: Plan, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.groups = []
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = DecimalField(
                label=_("Tiêu chí %(order)s — điểm") % {"order": criterion.order},
                initial=criterion.points,
                min_value=Decimal(0),
                max_digits=5,
                decimal_places=1,
                help_text=criterion.name,
            )
            self.fields[f"min_{criterion.pk}"] = DecimalField(
                label=_("Tiêu chí %(order)s — điểm tối thiểu") % {"order": criterion.order},
                initial=criterion.min_points,
                min_value=Decimal(0),
                max_digits=5,
                decimal_places=1,
            )
            indicators = []
            for indicator in criterion.indicators.all():
                name = f"indicator_{indicator.pk}"
                self.fields[name] = DecimalField(
                    label=_("Điểm %(code)s") % {"code": indicator.code},
                    initial=indicator.points,
                    min_value=Decimal("0.1"),
                    max_digits=5,
                    decimal_places=1,
                )
                indicators.append((indicator, self[name]))
            self.groups.append(
                {
                    "criterion": criterion,
                    "points": self[f"points_{criterion.pk}"],
                    "min": self[f"min_{criterion.pk}"],
                    "indicators": indicators,
                }
            )
        self.add_reason_field(plan)

    def points(self) -> dict[int, tuple[Decimal, Decimal]]:
        return {
            c.pk: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"min_{c.pk}"])
            for c in self.criteria
        }

    def indicator_points(self) -> dict[int, Decimal]:
        return {
            indicator.pk: self.cleaned_data[field.name]
            for group in self.groups
            for indicator, field in group["indicators"]
        }


class CriterionForm(AmendmentMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(self.instance.plan)


IndicatorFormSet = inlineformset_factory(
    Criterion,
    Indicator,
    fields=[
        "text",
        "points",
        "target_kind",
        "unit",
        "default_target",
        "evidence_required",
        "auto_source",
        "score_rule",
        "score_step",
        "guide",
    ],
    widgets={"text": forms.Textarea(attrs={"rows": 2}), "guide": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
    formfield_callback=formfield,
)


class TargetsForm(forms.Form):
    organizations = ObjectsField(
        label=_("Tổ chức thực hiện"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = candidates
        self.fields["organizations"].label_from_instance = lambda org: org.name
