"""The stored shape of answers, generated from the questionnaire: marshmallow checks what is written and read."""
from functools import lru_cache

from marshmallow import Schema, fields, validate

from .model import Assessment, Question


def _answer_field(question: Question) -> fields.Field:
    values = [o.value for o in question.options]
    if question.type == "choices":
        return fields.List(fields.String(validate=validate.OneOf(values)), allow_none=True)
    if question.options:
        return fields.String(validate=validate.OneOf(values), allow_none=True)
    if question.type == "whole_number":
        return fields.Integer(strict=True, allow_none=True)
    if question.type in ("quantity", "money"):
        return fields.Decimal(as_string=True, allow_none=True)
    if question.type == "date":
        return fields.Date(allow_none=True)
    return fields.String(validate=validate.Length(max=question.length_limit), allow_none=True)


@lru_cache(maxsize=None)
def answers_schema(assessment: Assessment) -> Schema:
    """A schema with one field per question; unknown keys (questions since removed) are kept, not lost."""
    declared = {q.id: _answer_field(q) for q in assessment.questions}
    schema_class = Schema.from_dict(declared, name=f"{assessment.id.title()}Answers")
    return schema_class(unknown="include")
