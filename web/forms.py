"""Form helpers every page uses: the POST data of a request, a service's refusal shown on the
form that keeps what was typed, and the one-field form that asks for a reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def bound(request, *, files: bool = False) -> tuple:
    """Form data for a POST (even an empty one, which must still be validated), None for a GET:
    `Form(*bound(request))`."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def form_errors_from(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, so the page shows it and keeps the input."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
