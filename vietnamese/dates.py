"""Dates as Vietnamese forms and Party documents write them."""

import datetime
import re
import unicodedata

# The place-and-date line of a draft: the day is written in when the document is signed.
BLANK = "…"


def short_date(day: datetime.date | None) -> str:
    """31/07/2023 — the date as forms and tables write it; "" for None."""
    return day.strftime("%d/%m/%Y") if day else ""


def cited_date(day: datetime.date | None) -> str:
    """31/7/2023 — a date cited in a document's text ("Kế hoạch số 98-KH/ĐU, ngày 31/7/2023"),
    without leading zeros, as offices write it; "" for None."""
    return f"{day.day}/{day.month}/{day.year}" if day else ""


def date_line(place: str, day: datetime.date | None) -> str:
    """ "Quế Phú, ngày 31 tháng 7 năm 2023". Days below 10 and the months 1 and 2 take a leading
    zero (ngày 05 tháng 01), so a date written on paper cannot be altered by adding a digit. A
    draft (no day yet): "Quế Phú, ngày … tháng … năm …"."""
    if day is None:
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def iso_to_cited(value: str) -> str:
    """ "2023-07-31" (as kept in signed content) → "31/7/2023"."""
    return cited_date(datetime.date.fromisoformat(value)) if value else ""


# What a person types for a date: day first, with "/", "-" or "." between the parts (a phone's
# numeric keypad often has none of them, so eight digits in a row, 31122026, read the same), or
# ISO as machines write it. Days and months may drop their leading zero (1/7/2023).
_SEPARATED = re.compile(r"([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DIGITS = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")


def parse_date(text: str) -> datetime.date:
    """The date in `text` as Vietnamese users type it: 31/12/2026, 31-12-2026, 31.12.2026,
    31122026 or 2026-12-31. ValueError for anything else, a day that does not exist included."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if match := _SEPARATED.fullmatch(text):
        day, _separator, month, year = match.groups()
    elif match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DIGITS.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise ValueError(text)
    return datetime.date(int(year), int(month), int(day))
