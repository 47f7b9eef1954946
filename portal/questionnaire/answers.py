"""Turn what a supplier typed or picked into a typed, storable answer, or say in GOV.UK style what is wrong."""
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..email_address import FORMAT_MESSAGE as EMAIL_FORMAT_MESSAGE, normalised_email_address
from .model import Question

WHOLE_NUMBER = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.I)
MAX_NUMBER_LENGTH = 30  # digits and separators; anything longer is not a real figure


class AnswerInvalid(ValueError):
    """The answer cannot be accepted; the message is written for the supplier.

    `parts` names the boxes of a date that are wrong (day, month, year), so only those are marked.
    """

    def __init__(self, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.parts = parts


def _clean_number(raw: str) -> str:
    return raw.strip().replace(",", "").replace(" ", "").removeprefix("£")


def _in_range(question: Question, value, shown: str):
    if question.min is not None and value < question.min or question.max is not None and value > question.max:
        if question.min is not None and question.max is not None:
            raise AnswerInvalid(f"Enter a number between {question.min} and {question.max}")
        if question.min is not None:
            raise AnswerInvalid(f"Enter a number that is {question.min} or more")
        raise AnswerInvalid(f"Enter a number that is {question.max} or less")
    return shown


def _whole_number(question, raw):
    cleaned = _clean_number(raw)
    if len(cleaned) > MAX_NUMBER_LENGTH or not WHOLE_NUMBER.match(cleaned):
        raise AnswerInvalid("Enter a whole number, like 12")
    number = int(cleaned)
    _in_range(question, number, cleaned)
    return number


def _decimal(question, raw, pattern, message):
    cleaned = _clean_number(raw)
    if len(cleaned) > MAX_NUMBER_LENGTH or not pattern.match(cleaned):
        raise AnswerInvalid(message)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AnswerInvalid(message) from None
    _in_range(question, value, cleaned)
    return str(value)


def _date(question, parts):
    parts = list(parts or []) + ["", "", ""]
    day, month, year = (p.strip() for p in parts[:3])
    if not (day or month or year):
        return None
    missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
    if missing:
        raise AnswerInvalid(f"Date must include a {' and a '.join(missing)}", tuple(missing))
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        raise AnswerInvalid("Date must be a real date, like 27 3 2026", ("day", "month", "year"))
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise AnswerInvalid("Date must be a real date, like 27 3 2026", ("day", "month", "year")) from None


def _text(question, raw):
    value = raw.strip().replace("\r\n", "\n")
    if "\x00" in value:
        raise AnswerInvalid("Answer must not contain hidden control characters")
    if len(value) > question.length_limit:
        raise AnswerInvalid(f"Answer must be {question.length_limit} characters or fewer")
    if value and question.type == "url" and not URL.match(value):
        raise AnswerInvalid("Enter a web address in the correct format, like https://www.example.co.uk")
    if value and question.type == "email" and not normalised_email_address(value):
        raise AnswerInvalid(EMAIL_FORMAT_MESSAGE)
    return value


REQUIRED_MESSAGES = {
    "yes_no": "Select yes or no",
    "choice": "Select an answer",
    "choices": "Select at least one option",
    "date": "Enter a date",
    "whole_number": "Enter a number",
    "quantity": "Enter a number",
    "money": "Enter an amount",
}


def parse_answer(question: Question, raw):
    """The typed answer (None when left blank), or AnswerInvalid. `raw` is a string, a list of strings, or None."""
    if question.type == "date":
        value = _date(question, raw if isinstance(raw, list) else [])
    elif question.type == "choices":
        picked = [v for v in (raw if isinstance(raw, list) else [raw]) if v]
        if any(question.option(v) is None for v in picked):
            raise AnswerInvalid("Select from the options given")
        value = [o.value for o in question.options if o.value in picked] or None
    elif isinstance(raw, list) or (raw is not None and not isinstance(raw, str)):
        raise AnswerInvalid("Give one answer")
    elif question.options:
        if raw and question.option(raw) is None:
            raise AnswerInvalid("Select from the options given")
        value = raw or None
    elif not (raw or "").strip():
        value = None
    elif question.type == "whole_number":
        value = _whole_number(question, raw)
    elif question.type == "quantity":
        value = _decimal(question, raw, DECIMAL, "Enter a number, like 12 or 12.5")
    elif question.type == "money":
        value = _decimal(question, raw, MONEY, "Enter an amount in pounds, like 1250 or 1250.50")
    else:
        value = _text(question, raw) or None
    if value is None and not question.optional:
        raise AnswerInvalid(question.error_if_empty or REQUIRED_MESSAGES.get(question.type, "Enter an answer"))
    return value


def display_answer(question: Question, value) -> str:
    """An answer as a supplier would read it on check answers or in an export."""
    if value in (None, "", []):
        return "Not answered"
    if question.options:
        return ", ".join(o.label for o in question.chosen(value))
    if question.type == "date":
        return date.fromisoformat(value).strftime("%-d %B %Y")
    if question.type == "money":
        return f"£{Decimal(value):,.2f}"
    if question.type == "quantity":
        return f"{value} {question.unit}"
    if question.type == "whole_number":
        return f"{value:,}"
    return str(value)
