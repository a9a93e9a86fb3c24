"""Numbers as Vietnamese write them: a decimal comma, no trailing zeros ("87,5", "30", "66,67").

The one formatter of the product: pages, documents, Excel notes and the sentences that explain a
rule all call it, so a figure reads the same everywhere and rounds the same way (half up)."""

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
