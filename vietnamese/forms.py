"""Form fields that read dates as Vietnamese users type them."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (ISO is accepted too); a plain text box works on every phone."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})},
            format="%d/%m/%Y",
        )


class DateField(forms.DateField):
    """A date field whose error says which format to use."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023.")
    }
