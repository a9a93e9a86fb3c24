"""Dates as Vietnamese forms and Party documents write them."""

import datetime


def short_date(day: datetime.date | None) -> str:
    """31/07/2023 — the date as forms and tables write it; "" for None."""
    return day.strftime("%d/%m/%Y") if day else ""


def date_line(place: str, day: datetime.date) -> str:
    """ "Quế Phú, ngày 31 tháng 7 năm 2023". Days below 10 and the months 1 and 2 take a leading
    zero (ngày 05 tháng 01), so a date written on paper cannot be altered by adding a digit."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def iso_to_short(value: str) -> str:
    """ "2023-07-31" (as kept in signed content) → "31/07/2023"."""
    return short_date(datetime.date.fromisoformat(value)) if value else ""
