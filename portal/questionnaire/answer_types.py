"""Answer types: what each `type:` in a questionnaire's YAML means, in one class each, chosen through one registry.

A class says how its answers are read from a form, shown, stored, exported, which widget asks for them and which
content settings it takes. Nothing else in the portal branches on a type's name: a new type is one class, here or
beside the base (answer_base.py) and the number types (number_types.py), and one entry in the registry below.
"""

import re
from datetime import date

from ..email_address import FORMAT_MESSAGE as EMAIL_FORMAT_MESSAGE, normalised_email_address
from .answer_base import DATE, NUMBER, TEXT, AnswerInvalid, AnswerType
from .number_types import Money, Quantity, WholeNumber

__all__ = ["ANSWER_TYPES", "AnswerInvalid", "AnswerType", "DATE", "NUMBER", "TEXT", "answer_type"]

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.I)


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


ANSWER_TYPES = {
    kind.name: kind
    for kind in (
        YesNo(),
        Choice(),
        Choices(),
        WholeNumber(),
        Quantity(),
        Money(),
        Date(),
        Text(),
        LongText(),
        WebAddress(),
        EmailAddress(),
    )
}


def answer_type(name: str) -> AnswerType:
    """The answer type a YAML `type:` names; KeyError for a name the content schema would have refused."""
    return ANSWER_TYPES[name]
