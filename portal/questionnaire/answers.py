"""Turn what a supplier typed or picked into a typed, storable answer, or say in GOV.UK style what is wrong.

Each answer type does the reading and showing for its own answers (portal/questionnaire/answer_types.py).
"""

from .answer_types import AnswerInvalid
from .model import Question

__all__ = ["AnswerInvalid", "display_answer", "parse_answer"]


def parse_answer(question: Question, raw):
    """The typed answer (None when left blank), or AnswerInvalid. `raw` is a string, a list of strings, or None."""
    value = question.kind.parse(question, raw)
    if value is None and not question.optional:
        raise AnswerInvalid(question.error_if_empty or question.kind.required_message)
    return value


def display_answer(question: Question, value) -> str:
    """An answer as a supplier would read it on check answers or in an export."""
    if value in (None, "", []):
        return "Not answered"
    return question.kind.display(question, value)
