"""What suppliers submitted, as officers see it: one summary per submission, filtered, sorted and paged.

Reads `submissions/<assessment>/<reference>/<NNNNNN>.json` (functions/assessment/records.py writes them) and the review
statuses beside them; the newest version of each is the current one.
"""

from dataclasses import dataclass, field
from datetime import date
from math import ceil

from portal.questionnaire.answers import display_answer
from portal.questionnaire.progress import shown_questions

from ..storage import NotFound, Store, read_json_many
from . import reviews

PAGE_SIZE = 20
SORTS = {
    "newest": (lambda s: s.submitted_at, True),
    "oldest": (lambda s: s.submitted_at, False),
    "organisation": (lambda s: (s.organisation.casefold(), s.reference), False),
    "reference": (lambda s: s.reference, False),
}


@dataclass(frozen=True)
class Summary:
    assessment_id: str
    reference: str
    organisation: str
    submitted_at: str
    questionnaire_version: int
    readiness: dict  # theme id -> level id
    plan_failed: int | None  # rules the carbon reduction plan failed; None without a plan
    evidence_count: int
    status: str
    versions: int


def _folders(keys: list[str]) -> dict[tuple[str, str], list[str]]:
    """(assessment, reference) -> its version keys, oldest first, from a listing of a top-level prefix."""
    found = {}
    for key in keys:
        parts = key.split("/")
        if len(parts) == 4:
            found.setdefault((parts[1], parts[2]), []).append(key)
    return found


def summaries(store: Store) -> list[Summary]:
    """Every submission, as of its newest version, with its newest review status."""
    reviewed, submitted = _folders(store.keys("reviews/")), _folders(store.keys("submissions/"))
    newest = read_json_many(store, [keys[-1] for keys in (*reviewed.values(), *submitted.values())])
    statuses = {folder: review["status"] for folder, review in zip(reviewed, newest)}
    found = []
    for ((assessment_id, reference), keys), record in zip(submitted.items(), newest[len(reviewed) :]):
        plan = record.get("carbon_reduction_plan")
        found.append(
            Summary(
                assessment_id=assessment_id,
                reference=reference,
                organisation=str(record["answers"].get("organisation_name") or "Not given"),
                submitted_at=record["submitted_at"],
                questionnaire_version=record["questionnaire_version"],
                readiness={theme: value["level"] for theme, value in record.get("readiness", {}).items()},
                plan_failed=None if plan is None else len(plan.get("failed", [])),
                evidence_count=len(record.get("evidence") or []),
                status=statuses.get((assessment_id, reference), "new"),
                versions=len(keys),
            )
        )
    return found


@dataclass(frozen=True)
class Filters:
    theme: str = ""
    level: str = ""
    status: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = "newest"
    page: int = 1
    errors: dict = field(default_factory=dict)  # field name -> message, for dates typed wrongly


def apply(found: list[Summary], filters: Filters) -> list[Summary]:
    def keep(summary: Summary) -> bool:
        day = date.fromisoformat(summary.submitted_at[:10])
        level = summary.readiness.get(filters.theme) if filters.theme else None
        return (
            (not filters.theme or level is not None)
            and (not filters.level or (level == filters.level if filters.theme else filters.level in summary.readiness.values()))
            and (not filters.status or summary.status == filters.status)
            and (filters.submitted_from is None or day >= filters.submitted_from)
            and (filters.submitted_to is None or day <= filters.submitted_to)
        )

    key, reverse = SORTS.get(filters.sort, SORTS["newest"])
    return sorted((s for s in found if keep(s)), key=key, reverse=reverse)


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    count: int
    total: int


def page_of(items: list, number: int, size: int = PAGE_SIZE) -> Page:
    count = max(1, ceil(len(items) / size))
    number = min(max(1, number), count)
    return Page(items[(number - 1) * size : number * size], number, count, len(items))


def versions(store: Store, assessment_id: str, reference: str) -> list[dict]:
    """Every version of one submission, oldest first; NotFound if there is none."""
    keys = store.keys(f"submissions/{assessment_id}/{reference}/")
    if not keys:
        raise NotFound(reference)
    return read_json_many(store, keys)


def answer_rows(assessment, answers: dict) -> list:
    """[(section, [(question, shown answer)])], as on the supplier's check answers pages."""
    return [
        (section, [(q, display_answer(q, answers.get(q.id))) for q in shown_questions(section, answers)])
        for section in assessment.sections
    ]


def changes(assessment, before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(question, answer before, answer after) for every answer that differs between two versions' answers."""
    found = []
    for question_id in sorted(set(before) | set(after), key=_question_order(assessment)):
        if before.get(question_id) != after.get(question_id):
            question = assessment.question(question_id)
            if question is None:  # a question since removed from the questionnaire: its answer is kept, shown raw
                found.append(
                    (question_id, str(before.get(question_id, "Not answered")), str(after.get(question_id, "Not answered")))
                )
            else:
                found.append(
                    (
                        question.label,
                        display_answer(question, before.get(question_id)),
                        display_answer(question, after.get(question_id)),
                    )
                )
    return found


def _question_order(assessment):
    order = {q.id: index for index, q in enumerate(assessment.questions)}
    return lambda question_id: (order.get(question_id, len(order)), question_id)


def status_label(status: str) -> str:
    return reviews.STATUSES.get(status, status)
