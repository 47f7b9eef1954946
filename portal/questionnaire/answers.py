"""Turn what a supplier typed or picked into a typed, storable answer, or say in GOV.UK style what is wrong."""
import re
from datetime import date

from ..email_address import FORMAT_MESSAGE as EMAIL_FORMAT_MESSAGE, normalised_email_address
from .model import Question
from .numbers import NotANumber, read_number, stored_number, write_number

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.I)


class AnswerInvalid(ValueError):
    """The answer cannot be accepted; the message is written for the supplier.

    `parts` names the boxes of a date that are wrong (day, month, year), so only those are marked.
    """

    def __init__(self, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.parts = parts


def _in_range(question: Question, value):
    if question.min is not None and value < question.min or question.max is not None and value > question.max:
        if question.min is not None and question.max is not None:
            raise AnswerInvalid(f"Enter a number between {question.min} and {question.max}")
        if question.min is not None:
            raise AnswerInvalid(f"Enter a number that is {question.min} or more")
        raise AnswerInvalid(f"Enter a number that is {question.max} or less")


# How each number type is read, and what it says when it cannot be.
NUMBER_READING = {
    "whole_number": ({"whole": True}, "Enter a whole number, like 12"),
    "quantity": ({}, "Enter a number, like 12 or 12.5"),
    "money": ({"places": 2, "prefix": "£"}, "Enter an amount in pounds, like 1250 or 1250.50"),
}


def _number(question: Question, raw: str):
    how, message = NUMBER_READING[question.type]
    try:
        value = read_number(raw, **how)
    except NotANumber:
        raise AnswerInvalid(message) from None
    _in_range(question, value)
    return int(value) if question.type == "whole_number" else stored_number(value)


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
    if value and question.type == "email":
        value = normalised_email_address(value)  # stored as it will be written to: the domain in lower case
        if value is None:
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
        alone = next((question.option(v) for v in picked if question.option(v).exclusive), None)
        if alone and len(set(picked)) > 1:
            raise AnswerInvalid(f"Select the options that apply, or select ‘{alone.label}’ on its own")
        value = [o.value for o in question.options if o.value in picked] or None
    elif isinstance(raw, list) or (raw is not None and not isinstance(raw, str)):
        raise AnswerInvalid("Give one answer")
    elif question.options:
        if raw and question.option(raw) is None:
            raise AnswerInvalid("Select from the options given")
        value = raw or None
    elif not (raw or "").strip():
        value = None
    elif question.type in NUMBER_READING:
        value = _number(question, raw)
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
        return "£" + write_number(value, places=2)
    if question.type == "quantity":
        return f"{write_number(value)} {question.unit}"
    if question.type == "whole_number":
        return write_number(value, grouped=question.thousands_separator)
    return str(value)
