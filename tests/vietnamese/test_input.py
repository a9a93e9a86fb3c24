"""Numbers and dates as people type them, at their edges: "6,5" and "6.5" are both six and a
half in either interface language (never 65); inputs show a decimal comma, as labels do; a date
reads from 31/12/2026, 31-12-2026 or 31122026, and a day that does not exist is refused."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from vietnamese.dates import parse_date
from vietnamese.forms import DateField, DecimalField, decimal_text
from vietnamese.numbers import number, parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("6,5", "6.5"),
        ("6.5", "6.5"),
        (" 6,50 ", "6.50"),
        ("6,69", "6.69"),
        ("30", "30"),
        ("0", "0"),
        (",5", "0.5"),
        ("-2,5", "-2.5"),
        ("+7", "7"),
        ("1.234,5", "1234.5"),  # Vietnamese grouping, decimal comma
        ("1,234.5", "1234.5"),  # English grouping, decimal point
        ("1.234.567", "1234567"),  # a repeated separator groups thousands
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),  # a non-breaking space from a copied figure
        ("１２,５", "12.5"),  # full-width digits from an East Asian keyboard
    ],
)
def test_a_number_reads_the_same_whichever_separator_was_typed(typed, value):
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "abc",
        "6,5,3",
        "1..2",
        "1.23.4",
        "1,234,56",
        "--1",
        "1.234,5.6",
        "6,5%",
        "١٢",
        "1e5",
    ],
)
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False))
def test_what_a_page_writes_reads_back_as_the_same_number(value):
    assert parse_number(number(value)) == value
    assert parse_number(decimal_text(value)) == value


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["6,5", "6.5"])
def test_the_form_field_reads_six_and_a_half_in_both_languages(language, typed):
    field = DecimalField(max_digits=5, decimal_places=2)
    with translation.override(language):
        assert field.clean(typed) == Decimal("6.5")


def test_the_form_field_keeps_its_limits_and_says_what_it_wants():
    field = DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=30)
    with translation.override("vi"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean("6,55")
        assert "1" in error.value.messages[0]  # at most one decimal place
        with pytest.raises(forms.ValidationError):
            field.clean("31")
        with pytest.raises(forms.ValidationError) as error:
            field.clean("sáu")
        assert error.value.messages == ["Hãy nhập một số, ví dụ 6,5."]


def test_an_input_shows_a_decimal_comma_as_the_labels_do():
    class Form(forms.Form):
        points = DecimalField(max_digits=5, decimal_places=2)

    html = str(Form(initial={"points": Decimal("6.69")})["points"])
    assert 'value="6,69"' in html and 'inputmode="decimal"' in html and 'type="text"' in html
    assert 'value="30"' in str(Form(initial={"points": Decimal("30.00")})["points"])
    # A machine-written initial value ("92.5") reads the same way.
    assert 'value="92,5"' in str(Form(initial={"points": "92.5"})["points"])
    # What the user typed comes back as typed when the form is refused.
    bound = Form({"points": "sáu"})
    assert not bound.is_valid() and 'value="sáu"' in str(bound["points"])


@pytest.mark.parametrize(
    "typed",
    ["31/12/2026", "31-12-2026", "31.12.2026", "31122026", "2026-12-31", " 31 / 12 / 2026 "],
)
def test_a_date_reads_from_every_way_a_phone_can_type_it(typed):
    assert parse_date(typed) == datetime.date(2026, 12, 31)


def test_days_and_months_may_drop_their_leading_zero():
    assert parse_date("1/7/2023") == datetime.date(2023, 7, 1)
    assert parse_date("29/02/2024") == datetime.date(2024, 2, 29)  # a leap year


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2026",
        "29/02/2026",
        "32/01/2026",
        "00/01/2026",
        "31/13/2026",
        "3112026",
        "311220266",
        "31/12-2026",
        "12/2026",
        "hôm nay",
        "",
        "٣١١٢٢٠٢٦",
    ],
)
def test_a_date_that_does_not_exist_or_cannot_be_read_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


def test_the_date_field_shows_and_reads_dd_mm_yyyy():
    class Form(forms.Form):
        day = DateField()

    html = str(Form(initial={"day": datetime.date(2026, 12, 31)})["day"])
    assert 'value="31/12/2026"' in html and 'inputmode="numeric"' in html
    assert Form({"day": "31122026"}).is_valid()
    refused = Form({"day": "31/02/2026"})
    assert not refused.is_valid()
    with translation.override("vi"):
        assert refused.errors["day"] == [
            "Ngày không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023 hoặc 31072023."
        ]
