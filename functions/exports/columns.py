"""An export's columns, derived from the questionnaire's YAML: a few about the submission, then one per question."""

from dataclasses import dataclass
from typing import Callable

from portal.questionnaire.answer_types import DATE, NUMBER, TEXT
from portal.questionnaire.model import Assessment, Question

from .submissions import UK, submitted_at

__all__ = ["DATE", "NUMBER", "TEXT", "TIME", "Column", "UnknownColumns", "chosen", "columns"]

TIME = "time"


@dataclass(frozen=True)
class Column:
    id: str
    heading: str
    kind: str  # NUMBER, DATE, TIME (UK wall-clock) or TEXT: how a spreadsheet should hold the value
    value: Callable[[dict], object]  # the typed value from a stored record, or None for a blank cell


class UnknownColumns(ValueError):
    """Columns were asked for that the questionnaire does not have."""

    def __init__(self, unknown: list[str]):
        super().__init__(f"There is no column called {', '.join(unknown)}")
        self.unknown = unknown


def _answer(question: Question):
    """The answer to `question` as a typed value: a number, a date, or the text a supplier would read."""

    def value(record: dict):
        answer = record.get("answers", {}).get(question.id)
        return None if answer in (None, "", []) else question.kind.export_value(question, answer)

    return value


def _heading(question: Question) -> str:
    unit = question.kind.export_unit(question)
    return f"{question.label} ({unit})" if unit else question.label


def _readiness(section_id: str, field: str, labels: dict):
    def value(record: dict):
        found = (record.get("readiness") or {}).get(section_id)
        if not found:
            return None
        return found["percent"] if field == "percent" else labels.get(found["level"], found["level"])

    return value


def columns(assessment: Assessment) -> list[Column]:
    """Every column an export of `assessment` can have, in order."""
    levels = {level.id: level.label for level in assessment.levels}
    found = [
        Column("reference", "Reference", TEXT, lambda r: r["reference"]),
        Column("submitted_at", "Submitted", TIME, lambda r: submitted_at(r).astimezone(UK).replace(tzinfo=None, microsecond=0)),
        Column("questionnaire_version", "Questionnaire version", NUMBER, lambda r: r["questionnaire_version"]),
    ]
    for section in assessment.scored_sections:
        found.append(
            Column(
                f"{section.id}-readiness-percent",
                f"{section.title}: readiness (%)",
                NUMBER,
                _readiness(section.id, "percent", levels),
            )
        )
        found.append(
            Column(
                f"{section.id}-readiness-level",
                f"{section.title}: readiness level",
                TEXT,
                _readiness(section.id, "level", levels),
            )
        )
    found.extend(Column(q.id, _heading(q), q.kind.export_kind, _answer(q)) for q in assessment.questions)
    found.append(
        Column("evidence-files", "Evidence files", TEXT, lambda r: "; ".join(e["name"] for e in r.get("evidence") or []) or None)
    )
    return found


def chosen(assessment: Assessment, ids: list[str] | None = None) -> list[Column]:
    """The columns named by `ids`, in that order; all of them when `ids` is empty or None."""
    available = columns(assessment)
    if not ids:
        return available
    by_id = {column.id: column for column in available}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UnknownColumns(unknown)
    return [by_id[i] for i in ids]
