"""Deleting what the portal no longer needs to keep, after configurable periods; run daily by a schedule.

Drafts go when their own expiry passes (`drafts_expire_after_days` in the questionnaire); a submission, with every
version, every evidence file any version names and its review statuses, `PORTAL_SUBMISSION_RETENTION_DAYS` after
it was last sent; audit records after `PORTAL_AUDIT_RETENTION_DAYS`; sign-in links, rate-limit markers and
sessions after a day; a Charter sign-up whose address was never confirmed UNCONFIRMED_DAYS after it was made, and
the Charter's confirmation links a day after they expire. What was deleted is written to the audit log by reference
and count, never personal data.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..storage import NotFound, Store
from . import audit

# prefix -> days kept; daily-email markers a week, so a retried run in that time sends nothing twice.
SHORT_LIVED = {
    "council/sign-in-links/": 1,
    "council/rate-limits/": 1,
    "council/sessions/": 1,
    "council/notified/": 7,
    "council/kept-reviews/": 1,
    "suppliers/sign-in-links/": 1,
    "suppliers/sessions/": 1,
    "charter/links/": 1,  # a day after the link expired (functions/charter/signatories.py: they hold expires_at)
    "charter/used-links/": 8,  # past the life of the link it marks, so a used link never works again
}
UNCONFIRMED_DAYS = 30  # a Charter sign-up never confirmed: its link lasted 7 days; the privacy notice says 30


@dataclass
class Purged:
    drafts: int = 0
    submissions: list = field(default_factory=list)  # references
    evidence_files: int = 0
    audit_records: int = 0
    short_lived: int = 0
    unconfirmed_sign_ups: int = 0


def _folders(keys: list[str], depth: int) -> dict[str, list[str]]:
    """Keys grouped by their first `depth` segments."""
    found = {}
    for key in keys:
        found.setdefault("/".join(key.split("/")[:depth]), []).append(key)
    return found


def _delete(store: Store, keys) -> int:
    count = 0
    for key in keys:
        store.delete(key)
        count += 1
    return count


def purge(store: Store, now: datetime, submission_days: int, audit_days: int) -> Purged:
    result = Purged()
    _drafts(store, now, result)
    _submissions(store, now, timedelta(days=submission_days), result)
    cutoff = (now - timedelta(days=audit_days)).date().isoformat()
    for day, keys in _folders(store.keys(audit.PREFIX), 2).items():
        if day.split("/")[1] < cutoff:
            result.audit_records += _delete(store, keys)
    for prefix, days in SHORT_LIVED.items():
        for folder, keys in _folders(store.keys(prefix), prefix.count("/") + 1).items():
            if _written(store, folder, keys) < now - timedelta(days=days):
                result.short_lived += _delete(store, keys)
    _unconfirmed_sign_ups(store, now - timedelta(days=UNCONFIRMED_DAYS), result)
    if result.drafts or result.audit_records or result.unconfirmed_sign_ups:
        audit.record(
            store,
            "system",
            "deleted-by-retention",
            "",
            "retention",
            {
                "drafts": result.drafts,
                "audit_records": result.audit_records,
                "audit_records_before": cutoff,
                "unconfirmed_charter_sign_ups": result.unconfirmed_sign_ups,
            },
            at=now,
        )
    return result


def _drafts(store: Store, now: datetime, result: Purged) -> None:
    for keys in _folders(store.keys("drafts/"), 3).values():
        newest = store.read_json(sorted(keys)[-1])
        if datetime.fromisoformat(newest["expires_at"]) <= now:
            _delete(store, keys)
            result.drafts += 1


def _submissions(store: Store, now: datetime, kept_for: timedelta, result: Purged) -> None:
    """Each submission last sent more than `kept_for` ago, with every version, evidence file and review, audited."""
    for folder, keys in _folders(store.keys("submissions/"), 3).items():
        records = [store.read_json(key) for key in sorted(keys)]
        if datetime.fromisoformat(records[-1]["submitted_at"]) > now - kept_for:
            continue
        _, assessment_id, reference = folder.split("/")
        evidence = {item["key"] for record in records for item in record.get("evidence") or [] if item.get("key")}
        # Files first, then reviews, then the records that name them: a purge cut short is finished by the next run.
        for key in sorted(evidence):
            try:
                store.read_metadata(key)
            except NotFound:
                continue
            store.delete(key)
            result.evidence_files += 1
        _delete(store, store.keys(f"reviews/{assessment_id}/{reference}/"))
        _delete(store, keys)
        result.submissions.append(reference)
        details = {"versions": len(keys), "evidence_files": len(evidence)}
        audit.record(store, "system", "deleted-submission", reference, "retention", details, at=now)


def _unconfirmed_sign_ups(store: Store, made_before: datetime, result: Purged) -> None:
    """Charter sign-ups still unconfirmed that were made before `made_before`."""
    for keys in _folders(store.keys("charter/signatories/"), 3).values():
        newest = store.read_json(sorted(keys)[-1])
        if newest.get("status") == "unconfirmed" and datetime.fromisoformat(newest["at"]) <= made_before:
            _delete(store, keys)
            result.unconfirmed_sign_ups += 1


def _written(store: Store, folder: str, keys: list[str]) -> datetime:
    """When a short-lived item was made: rate-limit windows and email markers are named by it; links and sessions hold it."""
    name = folder.rsplit("/", 1)[1]
    if folder.startswith("council/rate-limits/"):
        return datetime.strptime(name, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    if folder.startswith("council/notified/"):
        return datetime.fromisoformat(name).replace(tzinfo=timezone.utc)
    first = store.read_json(
        sorted(keys)[0] if not folder.startswith(("council/sessions/", "suppliers/sessions/")) else f"{folder}/started.json"
    )
    moment = first.get("started_at") or first.get("expires_at") or first.get("used_at") or first.get("at")
    return datetime.fromisoformat(moment)
