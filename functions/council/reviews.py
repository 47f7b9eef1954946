"""Officers' review of a submission: New, Looked at, Needs follow-up or Accepted, with a note, who and when.

Each change is a new version at `reviews/<assessment>/<reference>/<NNNNNN>.json`; a submission with none is New.
"""

from datetime import datetime

from portal.clock import now

from ..storage import Store
from ..storage import versions

STATUSES = {"new": "New", "looked-at": "Looked at", "needs-follow-up": "Needs follow-up", "accepted": "Accepted"}
NOTE_LIMIT = 2000


class ReviewInvalid(ValueError):
    """A status or note that cannot be stored; the message is for the officer."""


def _prefix(assessment_id: str, reference: str) -> str:
    return f"reviews/{assessment_id}/{reference}/"


def history(store: Store, assessment_id: str, reference: str) -> list[dict]:
    """Every status change, oldest first."""
    return versions.all_versions(store, _prefix(assessment_id, reference))


def change(store: Store, assessment_id: str, reference: str, status: str, note: str, by: str, at: datetime | None = None) -> dict:
    if status not in STATUSES:
        raise ReviewInvalid("Select a review status")
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ReviewInvalid(f"Note must be {NOTE_LIMIT:,} characters or fewer")
    review = {"status": status, "note": note, "by": by, "at": (at or now()).isoformat(timespec="seconds")}
    versions.append(store, _prefix(assessment_id, reference), review)
    return review
