"""Two saves of one draft at once (two tabs, a double click, fifty uploads landing together): the one that writes
second applies its change to the version the first wrote, so that neither loses what the other changed.

A save says what it changed as new values for some of the draft's fields, worked out from the version it read
(its base). Against a newer version, only what differs from the base is applied: answers by question, completed
sections one by one, evidence files by id; any other field takes this save's value.
"""

from dataclasses import replace

from portal.evidence import checks
from portal.evidence.checks import EvidenceRejected

_ABSENT = object()


def rebased(base, changes: dict, latest):
    """`latest` with what `changes` changed in `base`."""
    merged = {}
    for name, value in changes.items():
        before, now = getattr(base, name), getattr(latest, name)
        if name == "answers":
            merged[name] = _answers(before, value, now)
        elif name in ("completed", "evidence"):
            merged[name] = _items(before, value, now, (lambda e: e["id"]) if name == "evidence" else (lambda s: s))
        else:
            merged[name] = value
    return replace(latest, **merged)


def _answers(before: dict, mine: dict, now: dict) -> dict:
    merged = dict(now)
    for question in before.keys() | mine.keys():
        if before.get(question, _ABSENT) != mine.get(question, _ABSENT):
            if question in mine:
                merged[question] = mine[question]
            else:
                merged.pop(question, None)
    return merged


def _items(before: tuple, mine: tuple, now: tuple, key) -> tuple:
    was, chosen = {key(i): i for i in before}, {key(i): i for i in mine}
    kept = [chosen.get(key(i), i) for i in now if not (key(i) in was and key(i) not in chosen)]
    present = {key(i) for i in kept}
    return tuple(kept + [i for i in mine if key(i) not in was and key(i) not in present])


def check_evidence_limits(assessment, before, after) -> None:
    """EvidenceRejected if `after` holds more files for a question than it takes, and more than `before` did."""
    for slot in assessment.evidence_slots:
        count = sum(1 for entry in after.evidence if slot.id in entry.get("slots", ()))
        if count > slot.max_files and count > sum(1 for entry in before.evidence if slot.id in entry.get("slots", ())):
            raise EvidenceRejected(checks.too_many(slot.max_files))
