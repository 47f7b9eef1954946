"""Reading posted form data that may be anything: missing, a list, bytes, huge, or text with broken encoding.

Every reader returns a clean value or raises Invalid with the GOV.UK message to show; none raises anything else.
"""

from datetime import date
from decimal import Decimal

from ..questionnaire.numbers import NotANumber, read_number
from ..text import strip_bidi_and_controls

__all__ = ["Invalid", "date_field", "number_field", "text_field"]

MAX_FIELD_LENGTH = 20_000  # longer than any field the portal asks for: anything longer is refused, not cut


class Invalid(ValueError):
    """A field's answer cannot be used; the message says what to do, in GOV.UK style."""

    @property
    def message(self) -> str:
        return self.args[0]


def raw_text(form, name: str) -> str:
    """The field's text, trimmed and without invisible characters; "" when absent or not text."""
    try:
        value = form.get(name) if hasattr(form, "get") else None
    except Exception:  # a hostile mapping: nothing from it is usable
        value = None
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else None
    if not isinstance(value, str):
        return ""
    if len(value) > MAX_FIELD_LENGTH:
        return value[: MAX_FIELD_LENGTH + 1]  # still too long for any limit, so the caller's length check refuses it
    # Lone surrogates come from bytes that were not UTF-8: they cannot be stored or shown, so they go.
    value = value.encode("utf-8", "ignore").decode("utf-8")
    return strip_bidi_and_controls(value, keep="\n\t").replace("\r", "").strip()


def text_field(form, name: str, *, missing: str, max_length: int, too_long: str, required: bool = True) -> str:
    value = raw_text(form, name)
    if not value and required:
        raise Invalid(missing)
    if len(value) > max_length:
        raise Invalid(too_long)
    return value


def number_field(
    form,
    name: str,
    *,
    missing: str,
    not_a_number: str,
    whole: bool = False,
    places: int | None = None,
    prefix: str = "",
    required: bool = True,
) -> Decimal | None:
    value = raw_text(form, name)
    if not value:
        if required:
            raise Invalid(missing)
        return None
    try:
        return read_number(value, whole=whole, places=places, prefix=prefix)
    except NotANumber:
        raise Invalid(not_a_number) from None


def date_field(form, name: str, label: str) -> date:
    """A GOV.UK date input: `name`-day, -month and -year."""
    parts = [raw_text(form, f"{name}-{part}") for part in ("day", "month", "year")]
    if not any(parts):
        raise Invalid(f"Enter the {label.lower()}")
    for part, words in zip(parts, ("a day", "a month", "a year")):
        if not part:
            raise Invalid(f"{label} must include {words}")
    if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts) or len(parts[2]) != 4:
        raise Invalid(f"{label} must be a real date")
    day, month, year = (int(p) for p in parts)
    if not 2000 <= year <= 2100:
        raise Invalid(f"{label} must be between 2000 and 2100")
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(f"{label} must be a real date") from None
