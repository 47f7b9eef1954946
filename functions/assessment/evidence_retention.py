"""Deleting the evidence files that no draft or submission still needs, run daily.

A bucket lifecycle rule counts from when an object was written, but a draft lives for a number of days after
its last save, so only the records can tell an abandoned draft's files from a live one's.
"""

from collections import defaultdict
from datetime import datetime

from portal.questionnaire.model import Assessment

from .records import _now
from ..storage import Store


def abandoned_evidence(store: Store, assessment: Assessment, now: datetime) -> list[str]:
    """Keys under evidence/ that no submission lists and whose draft has expired unsent, been sent, or gone."""
    submitted = {
        entry["key"] for key in store.keys(f"submissions/{assessment.id}/") for entry in store.read_json(key).get("evidence", [])
    }
    by_draft = defaultdict(list)
    for key in store.keys(f"evidence/{assessment.id}/"):
        if key not in submitted:
            by_draft[key.split("/")[2]].append(key)
    abandoned = []
    for digest, keys in by_draft.items():
        versions = store.keys(f"drafts/{assessment.id}/{digest}/")
        if versions:
            draft = store.read_json(versions[-1])
            if "deleted_at" in draft:  # deleted by the supplier: nothing of it is needed
                abandoned.extend(keys)
                continue
            editing = draft["reference"] is None or draft.get("updates_version") is not None
            if editing and datetime.fromisoformat(draft["expires_at"]) > now:
                continue  # still being worked on, before sending or in an update after it
        abandoned.extend(keys)
    return abandoned


def delete_abandoned_evidence(store: Store, assessments, clock=_now) -> int:
    """Delete every abandoned evidence file of these questionnaires; return how many."""
    now = clock()
    deleted = 0
    for assessment in assessments:
        for key in abandoned_evidence(store, assessment, now):
            store.delete(key)
            deleted += 1
    return deleted
