"""The stored shape of answers, generated from the questionnaire: marshmallow checks what is written and read."""

from functools import lru_cache

from marshmallow import Schema

from .model import Assessment


@lru_cache(maxsize=None)
def answers_schema(assessment: Assessment) -> Schema:
    """A schema with one field per question; unknown keys (questions since removed) are kept, not lost."""
    declared = {q.id: q.kind.stored_field(q) for q in assessment.questions}
    schema_class = Schema.from_dict(declared, name=f"{assessment.id.title()}Answers")
    return schema_class(unknown="include")
