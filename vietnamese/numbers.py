"""Numbers as Vietnamese write them: a decimal comma, no trailing zeros ("87,5", "30", "66,67").

The one formatter of the product: pages, documents, Excel notes and the sentences that explain a
rule all call it, so a figure reads the same everywhere and rounds the same way (half up)."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def plain(value) -> str | None:
    """The machine form kept inside signed content: "87.5", "30" (a point, no trailing zeros).
    Changing it would change the hash of every document signed from then on."""
    if value is None:
        return None
    return f"{Decimal(value).normalize():f}"


def number(value, places: int = 2) -> str:
    """ "87,5" — rounded half up to `places` decimals, trailing zeros dropped; "" for None."""
    if value is None or value == "":
        return ""
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded.normalize():f}"
    return "0" if text in ("-0", "0") else text.replace(".", ",")


def share(part, whole) -> Decimal:
    """part / whole as a percentage (0 when whole is 0)."""
    if not whole:
        return Decimal(0)
    return Decimal(part) * HUNDRED / Decimal(whole)


def percent(part, whole, places: int = 2) -> str:
    """ "66,67%" — part of whole; "0%" when whole is 0."""
    return number(share(part, whole), places) + "%"


_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*|[+-]?[.,][0-9]+")


def parse_number(text: str) -> Decimal:
    """A number as people type it, in either convention: "6,5" and "6.5" are both 6.5 (a single
    separator is always the decimal one — never read as thousands, so "6,5" cannot become 65);
    "1.234,5" and "1,234.5" are 1234.5 (with both, the last is the decimal one); "1.234.567" is
    1234567 (a separator repeated groups thousands). Spaces are ignored. ValueError otherwise."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = "".join(text.split())  # 1 234,5 — and the non-breaking space a copied figure carries
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    points, commas = text.count("."), text.count(",")
    if points and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        whole, _sep, fraction = text.rpartition(decimal)
        if grouping in fraction or decimal in whole:
            raise ValueError(text)
        whole = _ungroup(whole, grouping)
    elif points > 1 or commas > 1:
        whole, fraction = _ungroup(text, "." if points else ","), ""
    else:
        whole, _sep, fraction = text.replace(",", ".").partition(".")
    if not fraction and not whole:
        raise ValueError(text)
    return Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))


def _ungroup(text: str, separator: str) -> str:
    """ "1.234.567" → "1234567": groups after the first must have three digits each."""
    first, *groups = text.split(separator)
    if not first or any(len(group) != 3 for group in groups):
        raise ValueError(text)
    return first + "".join(groups)
