"""Answer types: what each `type:` in a questionnaire's YAML means, in one class each, chosen through one registry.

A class says how its answers are read from a form, shown, stored, exported, which widget asks for them and which
content settings it takes. Nothing else in the portal branches on a type's name: a new type is one class here.
"""
from __future__ import annotations  # stored_field's fields.Field: marshmallow is imported when a field is made

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..email_address import FORMAT_MESSAGE as EMAIL_FORMAT_MESSAGE, normalised_email_address
from .numbers import NotANumber, read_number, stored_number, write_number

if TYPE_CHECKING:
    from marshmallow import fields

__all__ = ["ANSWER_TYPES", "AnswerInvalid", "AnswerType", "DATE", "NUMBER", "TEXT", "answer_type"]

NUMBER, DATE, TEXT = "number", "date", "text"  # how a spreadsheet holds an exported answer
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.I)


class AnswerInvalid(ValueError):
    """The answer cannot be accepted; the message is written for the supplier.

    `parts` names the boxes of a date that are wrong (day, month, year), so only those are marked.
    """

    def __init__(self, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.parts = parts


class AnswerType:
    """The base: a one-line text answer. Subclasses change what differs."""

    name = ""
    has_options = False  # picked from the question's options, not typed
    widget = "text"  # which form widget asks: text, textarea, date, radios or checkboxes (portal/questionnaire/forms.py)
    required_message = "Enter an answer"
    export_kind = TEXT
    settings = ()  # the optional content settings this type takes: unit, min and max, max_length, autocomplete…
    default_max_length: int | None = None
    default_options: tuple[tuple[str, str], ...] = ()  # (value, label) given when the YAML lists none
    is_contact = False  # an address the portal may send the supplier a copy of what it sent

    def parse(self, question, raw):
        """The typed answer to store from what was posted (a string, or a list for dates and checkboxes);
        None when nothing was given. Raises AnswerInvalid."""
        if isinstance(raw, list) or (raw is not None and not isinstance(raw, str)):
            raise AnswerInvalid("Give one answer")
        if not (raw or "").strip():
            return None
        return self.parse_text(question, raw)

    def parse_text(self, question, raw: str):
        value = raw.strip().replace("\r\n", "\n")
        if "\x00" in value:
            raise AnswerInvalid("Answer must not contain hidden control characters")
        if len(value) > question.length_limit:
            raise AnswerInvalid(f"Answer must be {question.length_limit} characters or fewer")
        return value or None

    def display(self, question, value) -> str:
        """A stored answer as a supplier reads it on check answers, in a PDF or on the council's pages."""
        return str(value)

    def stored_field(self, question) -> fields.Field:
        """The marshmallow field that checks a stored answer."""
        from marshmallow import fields, validate  # here: a page that checks no answer never needs it

        return fields.String(validate=validate.Length(max=question.length_limit), allow_none=True)

    def export_value(self, question, value):
        """A stored answer as a spreadsheet cell holds it: a number, a date or text."""
        return str(value)

    def export_unit(self, question) -> str | None:
        """What a column's heading adds in brackets: the unit the numbers are in."""
        return None

    def input_params(self, question) -> dict:
        """GOV.UK macro params for the input that the widget cannot infer."""
        return {}

    def max_points(self, question) -> int:
        return max((o.points for o in question.options if o.points > 0), default=0)

    def problems(self, question):
        """(setting, message) for each way the question's options do not fit this type; the settings that only
        some types take are checked against `settings` by the content schema."""
        if question.options and not self.has_options:
            yield "options", f"a {self.name} question cannot have options"
        if any(o.exclusive for o in question.options):
            yield "options", "only a choices question has an exclusive option"


class Text(AnswerType):
    name, default_max_length, settings = "text", 200, ("max_length", "autocomplete")


class LongText(AnswerType):
    name, default_max_length, settings, widget = "long_text", 2000, ("max_length",), "textarea"

    def input_params(self, question):
        return {"maxlength": question.length_limit}


class WebAddress(AnswerType):
    name, default_max_length, settings = "url", 500, ("max_length", "autocomplete")

    def parse_text(self, question, raw):
        value = super().parse_text(question, raw)
        if value and not URL.match(value):
            raise AnswerInvalid("Enter a web address in the correct format, like https://www.example.co.uk")
        return value

    def input_params(self, question):
        return {"type": "url", "spellcheck": False}


class EmailAddress(AnswerType):
    name, default_max_length, settings = "email", 254, ("max_length", "autocomplete")
    is_contact = True

    def parse_text(self, question, raw):
        value = super().parse_text(question, raw)
        value = value and normalised_email_address(value)  # stored as it will be written to: the domain in lower case
        if value is None:
            raise AnswerInvalid(EMAIL_FORMAT_MESSAGE)
        return value

    def input_params(self, question):
        return {"type": "email", "autocomplete": "email", "spellcheck": False}


class Number(AnswerType):
    """The base of the number types: one reading and one writing (portal/questionnaire/numbers.py)."""

    required_message, export_kind, settings = "Enter a number", NUMBER, ("min", "max")
    reading: dict = {}
    not_a_number = "Enter a number, like 12 or 12.5"

    def parse_text(self, question, raw):
        try:
            value = read_number(raw, **self.reading)
        except NotANumber:
            raise AnswerInvalid(self.not_a_number) from None
        if question.min is not None and value < question.min or question.max is not None and value > question.max:
            if question.min is not None and question.max is not None:
                raise AnswerInvalid(f"Enter a number between {question.min} and {question.max}")
            if question.min is not None:
                raise AnswerInvalid(f"Enter a number that is {question.min} or more")
            raise AnswerInvalid(f"Enter a number that is {question.max} or less")
        return stored_number(value)

    def display(self, question, value):
        return write_number(value)

    def stored_field(self, question):
        from marshmallow import fields

        return fields.Decimal(as_string=True, allow_none=True)

    def export_value(self, question, value):
        return Decimal(value)

    def input_params(self, question):
        return {"inputmode": "decimal", "classes": "govuk-input--width-10", "spellcheck": False}


class WholeNumber(Number):
    name, settings = "whole_number", ("min", "max", "thousands_separator")
    reading, not_a_number = {"whole": True}, "Enter a whole number, like 12"

    def parse_text(self, question, raw):
        return int(super().parse_text(question, raw))

    def display(self, question, value):
        return write_number(value, grouped=question.thousands_separator)

    def stored_field(self, question):
        from marshmallow import fields

        return fields.Integer(strict=True, allow_none=True)

    def export_value(self, question, value):
        return int(value)

    def input_params(self, question):
        return {**super().input_params(question), "inputmode": "numeric"}


class Quantity(Number):
    name, settings = "quantity", ("min", "max", "unit")

    def display(self, question, value):
        return f"{write_number(value)} {question.unit}"

    def export_unit(self, question):
        return question.unit

    def input_params(self, question):
        return {**super().input_params(question), "suffix": {"text": question.unit}}

    def problems(self, question):
        yield from super().problems(question)
        if not question.unit:
            yield "unit", "a quantity question needs a unit, like 'tonnes CO2e'"


class Money(Number):
    name, required_message = "money", "Enter an amount"
    reading, not_a_number = {"places": 2, "prefix": "£"}, "Enter an amount in pounds, like 1250 or 1250.50"

    def display(self, question, value):
        return "£" + write_number(value, places=2)

    def export_unit(self, question):
        return "£"

    def input_params(self, question):
        return {**super().input_params(question), "prefix": {"text": "£"}}


class Date(AnswerType):
    name, widget, required_message, export_kind = "date", "date", "Enter a date", DATE

    def parse(self, question, raw):
        parts = list(raw if isinstance(raw, list) else []) + ["", "", ""]
        day, month, year = (p.strip() if isinstance(p, str) else "" for p in parts[:3])
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

    def display(self, question, value):
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"

    def stored_field(self, question):
        from marshmallow import fields

        return fields.Date(allow_none=True)

    def export_value(self, question, value):
        return date.fromisoformat(value)


class Choice(AnswerType):
    """One option, as radios."""

    name, has_options, widget, required_message = "choice", True, "radios", "Select an answer"

    def parse(self, question, raw):
        if isinstance(raw, list) or (raw is not None and not isinstance(raw, str)):
            raise AnswerInvalid("Give one answer")
        if raw and question.option(raw) is None:
            raise AnswerInvalid("Select from the options given")
        return raw or None

    def display(self, question, value):
        return ", ".join(o.label for o in question.chosen(value))

    def stored_field(self, question):
        from marshmallow import fields, validate

        return fields.String(validate=validate.OneOf([o.value for o in question.options]), allow_none=True)

    def export_value(self, question, value):
        picked = value if isinstance(value, list) else [value]
        labels = {o.value: o.label for o in question.options}
        return "; ".join(labels.get(v, str(v)) for v in picked)  # an option since removed keeps its value

    def problems(self, question):
        if not question.options:
            yield "options", f"a {self.name} question needs options"
        yield from super().problems(question)


class YesNo(Choice):
    name, required_message = "yes_no", "Select yes or no"
    default_options = (("yes", "Yes"), ("no", "No"))

    def problems(self, question):
        yield from super().problems(question)
        if sorted(o.value for o in question.options) != ["no", "yes"]:
            yield "options", "a yes_no question's options must be exactly 'yes' and 'no'"


class Choices(Choice):
    """Any number of options, as checkboxes; an exclusive option ("None of these") is picked on its own."""

    name, widget, required_message = "choices", "checkboxes", "Select at least one option"

    def parse(self, question, raw):
        picked = [v for v in (raw if isinstance(raw, list) else [raw]) if v]
        if any(not isinstance(v, str) or question.option(v) is None for v in picked):
            raise AnswerInvalid("Select from the options given")
        alone = next((question.option(v) for v in picked if question.option(v).exclusive), None)
        if alone and len(set(picked)) > 1:
            raise AnswerInvalid(f"Select the options that apply, or select ‘{alone.label}’ on its own")
        return [o.value for o in question.options if o.value in picked] or None

    def stored_field(self, question):
        values = [o.value for o in question.options]
        from marshmallow import fields, validate

        return fields.List(fields.String(validate=validate.OneOf(values)), allow_none=True)

    def max_points(self, question):
        return sum(o.points for o in question.options if o.points > 0)

    def problems(self, question):
        if not question.options:
            yield "options", f"a {self.name} question needs options"
        exclusive = [o for o in question.options if o.exclusive]
        if len(exclusive) > 1 or exclusive and question.options[-1] is not exclusive[0]:
            yield "options", "give one exclusive option, as the last option"


ANSWER_TYPES = {kind.name: kind for kind in (YesNo(), Choice(), Choices(), WholeNumber(), Quantity(), Money(),
                                               Date(), Text(), LongText(), WebAddress(), EmailAddress())}


def answer_type(name: str) -> AnswerType:
    """The answer type a YAML `type:` names; KeyError for a name the content schema would have refused."""
    return ANSWER_TYPES[name]
