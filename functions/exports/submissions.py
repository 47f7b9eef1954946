"""Find the submissions an officer asks for: the latest version of each, filtered by questionnaire and date."""

from dataclasses import dataclass
from datetime import date, datetime

from portal.dates import LONDON
from portal.questionnaire.model import Assessment

from ..storage import Store, read_json_many

UK = LONDON


@dataclass(frozen=True)
class SubmissionFilter:
    """Which submissions to take; a field left as None does not filter. Dates are UK days, inclusive."""

    assessment: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None

    def keeps(self, record: dict) -> bool:
        day = submitted_at(record).astimezone(UK).date()
        return (
            (self.assessment is None or record["assessment"] == self.assessment)
            and (self.submitted_from is None or day >= self.submitted_from)
            and (self.submitted_to is None or day <= self.submitted_to)
        )


@dataclass(frozen=True)
class Submission:
    assessment: Assessment
    record: dict

    @property
    def evidence(self) -> list[dict]:
        """The evidence attached when it was submitted; records from before evidence existed have none."""
        return self.record.get("evidence") or []


def submitted_at(record: dict) -> datetime:
    return datetime.fromisoformat(record["submitted_at"])


def latest_keys(store: Store, assessment_id: str | None = None) -> list[str]:
    """The key of the newest version of each submission, by questionnaire and reference."""
    latest = {}
    for key in store.keys(f"submissions/{assessment_id}/" if assessment_id else "submissions/"):
        parts = key.split("/")
        if len(parts) == 4 and parts[3].endswith(".json"):
            latest[tuple(parts[1:3])] = key  # keys come sorted, so the last version of each wins
    return list(latest.values())


def find_submissions(store: Store, assessments: dict, which: SubmissionFilter = SubmissionFilter()) -> list[Submission]:
    """Submissions matching `which`, newest first; `assessments` maps ids to questionnaires (Content.assessments).

    Submissions to a questionnaire no longer in content are left out: their columns cannot be known.
    """
    wanted = [
        (assessments[key.split("/")[1]], key) for key in latest_keys(store, which.assessment) if key.split("/")[1] in assessments
    ]
    records = read_json_many(store, [key for _, key in wanted])
    found = [Submission(assessment, record) for (assessment, _), record in zip(wanted, records) if which.keeps(record)]
    return sorted(found, key=lambda s: (submitted_at(s.record), s.record["reference"]), reverse=True)
