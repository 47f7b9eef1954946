"""Answer types for numbers: whole numbers, quantities in a unit, and money, all read and written by the one
number reader (numbers.py); chosen through answer_types.py's registry."""

from __future__ import annotations

from decimal import Decimal

from .answer_base import NUMBER, AnswerInvalid, AnswerType
from .numbers import NotANumber, read_number, stored_number, write_number

__all__ = ["Money", "Number", "Quantity", "WholeNumber"]


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
