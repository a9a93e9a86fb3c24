from django import forms
from django.utils.translation import gettext_lazy as _

from criteria.models import Indicator
from reports.meetings.models import Attendance, Meeting
from vietnamese.forms import DateField


class MeetingForm(forms.Form):
    """The meeting and one attendance choice per member of the branch."""

    date = DateField(label=_("Ngày họp"))
    kind = forms.ChoiceField(label=_("Loại"), choices=Meeting.Kind.choices)
    topic = forms.CharField(label=_("Nội dung"), max_length=300)
    duration_minutes = forms.IntegerField(
        label=_("Thời gian họp (phút)"), min_value=1, max_value=600
    )
    committee_met_on = DateField(
        label=_("Ngày chi ủy họp chuẩn bị"),
        required=False,
        help_text=_("Chi ủy (bí thư, phó bí thư nơi không có chi ủy) họp trước kỳ sinh hoạt."),
    )
    draft_resolution = forms.CharField(
        label=_("Dự thảo nghị quyết"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label=_("Kết quả thực hiện nghị quyết kỳ trước"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolution = forms.CharField(
        label=_("Nghị quyết (kết luận) của kỳ sinh hoạt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nhiệm vụ chi bộ giao; kỳ sau ghi kết quả thực hiện."),
    )
    minutes = forms.FileField(
        label=_("Biên bản (PDF, ảnh hoặc .docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*,.docx"}),
        help_text=_("Chụp ảnh biên bản bằng điện thoại cũng được."),
    )

    def __init__(self, *args, members, current: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.members = []
        for member in members:
            name = f"attendance_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=member.full_name,
                choices=Attendance.Status.choices,
                initial=current.get(member.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect,
            )
            self.members.append((member, self[name]))

    def attendance(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[field.name] for member, field in self.members}


class EvidenceForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=Indicator.objects.none())
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)
    file = forms.FileField(
        label=_("Tệp (PDF, ảnh, Word, Excel)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "application/pdf,image/*,.docx,.xlsx,.pptx,.odt,.ods",
                "capture": "environment",
            }
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicators, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{i.criterion.order}.{i.order}. {i.text[:90]}"
        )
        self.fields["year"].choices = [(y, y) for y in years]
