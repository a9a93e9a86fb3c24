from django import forms
from django.utils.translation import gettext_lazy as _

from reports.summaries.narrative import SECTIONS
from vietnamese.forms import DateField

SIGNER_TITLES = [("BÍ THƯ", _("Bí thư")), ("PHÓ BÍ THƯ", _("Phó Bí thư"))]


class ReportIssueForm(forms.Form):
    """Issuing the summary report: its number and date, who signs, where it goes, and its
    narrative sections as staff finish them (pre-filled from the figures)."""

    issue_date = DateField(label=_("Ngày ban hành"))
    sequence = forms.IntegerField(
        label=_("Số báo cáo"),
        required=False,
        min_value=1,
        help_text=_("Để trống: số tiếp theo trong nhiệm kỳ."),
    )
    signer_title = forms.ChoiceField(
        label=_("Chức vụ người ký (thay mặt tập thể, T/M)"), choices=SIGNER_TITLES
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận; dòng “Lưu …” được đặt cuối cùng."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def issue_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["sections"] = {section.key: data.pop(section.key) for section in SECTIONS}
        return data
