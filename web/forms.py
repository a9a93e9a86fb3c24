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


class SearchSelect(forms.Select):
    """A choice of rows that lists them when they are few, and past `settings.PICKER_MAX_OPTIONS`
    holds only the chosen one and asks the server as the user types (issue 21: no select with
    thousands of options). The page that shows the form answers the questions itself
    (`picker_answer`), from the field's own queryset — the same rows the form accepts, the same
    labels — so the choices offered are exactly the choices allowed.

    `search(queryset, text)` narrows the queryset by what was typed (the folded search keys of
    branches.selectors)."""

    template_name = "web/widgets/search_select.html"

    def __init__(self, search, attrs=None):
        super().__init__(attrs)
        self.search = search
        self.searching = False

    def optgroups(self, name, value, attrs=None):
        from django.conf import settings

        queryset = getattr(self.choices, "queryset", None)
        limit = settings.PICKER_MAX_OPTIONS
        self.searching = queryset is not None and queryset[: limit + 1].count() > limit
        if not self.searching:
            return super().optgroups(name, value, attrs)
        field = self.choices.field
        chosen = [v for v in value if str(v).isascii() and str(v).isdigit() and len(str(v)) < 19]
        options = [("", field.empty_label or "—")]
        options += [self.choices.choice(row) for row in queryset.filter(pk__in=chosen)]
        return [
            (
                None,
                [self.create_option(name, key, label, str(key) in value, index, attrs=attrs)],
                index,
            )
            for index, (key, label) in enumerate(options)
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["searching"] = self.searching
        return context


PICKER_RESULTS = 30


def picker_answer(request, form):
    """The answer to a picker's question (`?pick=<field>&q=<text>`), as JSON, or None when the
    request asks none: up to PICKER_RESULTS rows of the field's queryset matching the text, with
    the field's labels. Views call it before their own work."""
    from django.http import JsonResponse

    name = request.GET.get("pick")
    if name is None:
        return None
    field = form.fields.get(name)
    if field is None or not isinstance(field.widget, SearchSelect):
        return JsonResponse({"results": [], "more": False}, status=404)
    rows = list(field.widget.search(field.queryset, request.GET.get("q", ""))[: PICKER_RESULTS + 1])
    return JsonResponse(
        {
            "results": [
                {"id": row.pk, "text": str(field.label_from_instance(row))}
                for row in rows[:PICKER_RESULTS]
            ],
            "more": len(rows) > PICKER_RESULTS,
        }
    )
