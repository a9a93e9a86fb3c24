"""Form fields that read numbers and dates as Vietnamese users type them, and show them back the
way the pages' labels write them."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vietnamese.dates import parse_date, short_date
from vietnamese.numbers import parse_number


class DateInput(forms.TextInput):
    """A date typed as dd/mm/yyyy. A text box, not the browser's date picker: the picker's format
    follows the phone's language (often English), while this one reads as the documents do. A
    phone's numeric keypad has no "/", so 31122026 is read too (`parse_date`)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return short_date(value)
        return super().format_value(value)


class DateField(forms.DateField):
    """A date field whose error says which format to use."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023 hoặc 31072023.")
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def decimal_text(value) -> str:
    """How a number stands in a text box: a decimal comma and no trailing zeros ("6,69", "30"),
    exactly — no rounding, so what is saved back is what was stored."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text.replace(".", ",")


_MACHINE_NUMBER = re.compile(r"-?[0-9]+\.[0-9]+")


class DecimalInput(forms.TextInput):
    """A text box for a number: the phone shows a keypad with a decimal separator, and the value
    reads with a comma, as the labels beside it do. (A browser's number box shows "6.69" and
    reads "6,5" by the phone's language; a text box reads the same on every device.)"""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) or (
            isinstance(value, str) and _MACHINE_NUMBER.fullmatch(value)
        ):
            return decimal_text(value)  # "92.5" as code writes it reads "92,5"
        return super().format_value(value)


class DecimalField(forms.DecimalField):
    """A number typed either way: "6,5" and "6.5" are both six and a half (`parse_number`)."""

    widget = DecimalInput
    default_error_messages = {"invalid": _("Hãy nhập một số, ví dụ 6,5.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_number(value)
        except (ValueError, ArithmeticError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: the model's decimal and date columns get the fields
    above instead of Django's."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)
