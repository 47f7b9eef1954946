"""Numbers as suppliers type them and as the portal shows them: one reading and one writing for every number type.

A comma is read only as a thousands separator where one belongs (12,000 or 1,250.50): a decimal comma such as
0,5 or a stray one such as 1,,5 is refused rather than read as another figure. Numbers are never written in
exponent form (1E-7), so whatever the portal shows a supplier can type back in and mean the same thing.
"""

import re
from decimal import Decimal, InvalidOperation

__all__ = ["NotANumber", "read_number", "stored_number", "write_number"]

MAX_NUMBER_LENGTH = 30  # digits and separators; anything longer is not a real figure
# Digits, either ungrouped or grouped in threes after a first group of one to three (no leading zero); then
# an optional fraction after a point.
_NUMBER = re.compile(r"(?P<sign>-?)(?P<whole>[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?", re.ASCII)


class NotANumber(ValueError):
    """What was typed is not a number in a form the portal reads."""


def read_number(raw: str, *, whole: bool = False, places: int | None = None, prefix: str = "") -> Decimal:
    """The number in `raw`; a whole number only if `whole`, at most `places` decimal places, an optional `prefix` (£)."""
    text = raw.strip()
    if prefix:
        text = text.removeprefix(prefix)
    found = _NUMBER.fullmatch(text) if len(text) <= MAX_NUMBER_LENGTH else None
    if found is None or (whole and found["fraction"] is not None):
        raise NotANumber(raw)
    if places is not None and len(found["fraction"] or "") > places:
        raise NotANumber(raw)
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise NotANumber(raw) from None
    return number.copy_abs() if number.is_zero() else number  # "-0" is zero: never stored or shown as "-0"


def stored_number(value: Decimal) -> str:
    """A decimal as stored: its digits as typed (trailing zeros kept), never in exponent form."""
    return format(value, "f")


def write_number(value, *, grouped: bool = True, places: int | None = None) -> str:
    """A number as a supplier reads it: 12,000 or 1,250.50 (or 2045 when not `grouped`), never 1E-7."""
    number = Decimal(str(value))
    if places is not None:
        return format(number, f"{',' if grouped else ''}.{places}f")
    return format(number, ",f" if grouped else "f")
