"""The base of every answer type (portal/questionnaire/answer_types.py): a one-line text answer, and the
error a supplier is shown when an answer cannot be taken."""

from __future__ import annotations  # stored_field's fields.Field: marshmallow is imported when a field is made

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marshmallow import fields

__all__ = ["DATE", "NUMBER", "TEXT", "AnswerInvalid", "AnswerType"]

NUMBER, DATE, TEXT = "number", "date", "text"  # how a spreadsheet holds an exported answer


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
