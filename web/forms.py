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


class ObjectsField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of rows, refusing ids no row can have with its own message
    before they reach the database (`pk__in` with a 40-digit number is an OverflowError on
    SQLite and a DataError on PostgreSQL, not an empty result)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and len(text) <= 19) or int(text) > 2**63 - 1:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)
