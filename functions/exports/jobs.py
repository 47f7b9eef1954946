"""Evidence ZIPs built in the background, since a large tender's evidence takes longer than a page may wait.

A job is a write-once record, `exports/jobs/<id>.json`: who asked, when, the list's filters and the exact submission
versions it covers. Its outcome is a second write-once object, `exports/job-results/<id>/done.json` or `failed.json`,
so the record is never changed. Results live outside `exports/jobs/`, so that the EventBridge rule for new job records
(which starts the evidence_export Lambda in AWS) never fires for them. Locally a thread runs the job instead; both
call `run_job`.
"""

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal.clock import now

from ..storage import AlreadyExists, NotFound, Store, read_json_many
from . import packs
from .submissions import Submission, latest_keys

JOBS = "exports/jobs/"
RESULTS = "exports/job-results/"
# Lambda stops a run after 15 minutes; a job with no outcome well after that has lost its worker.
GIVE_UP_AFTER = timedelta(minutes=20)
# The bucket's DeleteExports rule (infra/template.yaml) deletes everything under exports/ this long after it was made.
KEPT_FOR = timedelta(days=7)
_JOB_ID = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{16}\Z")
_JOB_KEY = re.compile(rf"{re.escape(JOBS)}([^/]+)\.json\Z")
PREPARING, READY, FAILED = "preparing", "ready", "failed"
OUTCOMES = (("done", READY), ("failed", FAILED))  # the outcome objects' names, and the state each means

log = logging.getLogger(__name__)


def _now() -> datetime:
    return now().replace(microsecond=0)


@dataclass(frozen=True)
class Job:
    id: str
    officer: str
    created_at: datetime
    filters: dict  # the list's query string, so that "Try again" asks for the same submissions
    submissions: list  # {"assessment", "reference", "key" (the version), "files"}

    @property
    def files(self) -> int:
        return sum(item["files"] for item in self.submissions)


@dataclass(frozen=True)
class Status:
    state: str  # PREPARING, READY or FAILED
    job: Job
    result: dict  # done.json or failed.json; {} while preparing


def job_key(job_id: str) -> str:
    return f"{JOBS}{job_id}.json"


def _result_key(job_id: str, outcome: str) -> str:
    return f"{RESULTS}{job_id}/{outcome}.json"


def job_id_from_key(key: str) -> str | None:
    """The job id in a job record's key; None for any other key."""
    match = _JOB_KEY.match(key)
    return match.group(1) if match and _JOB_ID.match(match.group(1)) else None


def create_job(store: Store, officer: str, filters: dict, submissions: list[Submission], now: datetime) -> Job:
    """Record a job for the evidence of `submissions`, as of their newest versions now; returns it."""
    versions = {tuple(key.split("/")[1:3]): key for key in latest_keys(store)}
    covered = [
        {
            "assessment": s.assessment.id,
            "reference": s.record["reference"],
            "files": len(s.evidence),
            "key": versions.get((s.assessment.id, s.record["reference"])),
        }
        for s in submissions
    ]
    job = Job(
        id=f"{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(8)}",
        officer=officer,
        created_at=now,
        filters=dict(filters),
        submissions=[item for item in covered if item["key"]],
    )  # one purged this moment is left out
    store.create_json(
        job_key(job.id),
        {
            "id": job.id,
            "officer": job.officer,
            "created_at": now.isoformat(),
            "filters": job.filters,
            "submissions": job.submissions,
        },
    )
    return job


def read_job(store: Store, job_id: str) -> Job:
    """The job with this id; NotFound for an id that is not one (so a typed address is a 404, not a 500), ValueError
    for a record that is damaged."""
    if not isinstance(job_id, str) or not _JOB_ID.match(job_id):
        raise NotFound(job_id)
    return _job(job_id, store.read_json(job_key(job_id)))


def _asked_at(job_id: str) -> datetime:
    """The time a job id begins with; ValueError if its digits are no time."""
    return datetime.strptime(job_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def _job(job_id: str, stored) -> Job:
    """The job stored under `job_id`; ValueError for anything that is not it (pages show it, so its types matter)."""
    try:
        job = Job(
            id=stored["id"],
            officer=stored["officer"],
            created_at=datetime.fromisoformat(stored["created_at"]),
            filters=stored["filters"],
            submissions=stored["submissions"],
        )
        shaped = (
            job.id == job_id
            and isinstance(job.officer, str)
            and job.created_at.tzinfo is not None
            and job.created_at.astimezone(timezone.utc).replace(microsecond=0) == _asked_at(job_id)
            and isinstance(job.filters, dict)
            and isinstance(job.submissions, list)
            and isinstance(job.files, int)
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise ValueError("Not a job record") from error
    if not shaped:
        raise ValueError("Not a job record")
    return job


def _outcome_among(job_id: str, read: dict) -> tuple[str, dict] | None:
    """The job's outcome among `read` (key -> stored JSON, None where it is not JSON); None while it has none.
    An outcome that is damaged counts as a failure, so that the officer can try again."""
    for name, state in OUTCOMES:
        key = _result_key(job_id, name)
        if key in read:
            result = read[key]
            usable = isinstance(result, dict) and (
                state == FAILED or (isinstance(result.get("export"), str) and isinstance(result.get("filename"), str))
            )
            return (state, result) if usable else (FAILED, {"reason": "error"})
    return None


def _outcome(store: Store, job_id: str) -> tuple[str, dict] | None:
    read = {}
    for name, _ in OUTCOMES:
        key = _result_key(job_id, name)
        try:
            read[key] = store.read_json(key)
        except NotFound:
            continue
        except ValueError:
            read[key] = None
        break
    return _outcome_among(job_id, read)


def status(store: Store, job_id: str, now: datetime) -> Status:
    """How the job is going. A job whose worker has given no outcome after GIVE_UP_AFTER has failed."""
    return _status(read_job(store, job_id), _outcome(store, job_id), now)


def _status(job: Job, found: tuple[str, dict] | None, now: datetime) -> Status:
    if found:
        return Status(found[0], job, found[1])
    if now - job.created_at > GIVE_UP_AFTER:
        return Status(FAILED, job, {"reason": "stopped"})
    return Status(PREPARING, job, {})


def _asked_since(job_id: str | None, since: datetime) -> bool:
    """Whether the job id (None for a key that holds none) starts with a real time after `since`."""
    try:
        return job_id is not None and _asked_at(job_id) > since
    except ValueError:  # digits in the right places, but not a time: no job page can have made it
        return False


def _read_each(store: Store, keys: list[str]) -> dict:
    """key -> the JSON stored there (None where it is not JSON), without the keys where nothing is; all at once, or,
    should one have gone or be damaged, one by one."""
    try:
        return dict(zip(keys, read_json_many(store, keys)))
    except (NotFound, ValueError):
        found = {}
        for key in keys:
            try:
                found[key] = read_json_many(store, [key])[0]
            except NotFound:
                log.warning("Skipped %s: it has gone", key)
            except ValueError:
                log.warning("%s is not JSON", key)
                found[key] = None
        return found


def recent(store: Store, now: datetime, officer: str | None = None) -> list[Status]:
    """The jobs asked for in the last KEPT_FOR (whose ZIPs may still be in storage), newest first; only `officer`'s if
    given. A record that has gone or is damaged is left out, so that one bad object does not hide the rest.

    Old jobs are dropped by the time in their ids, unread. Records and outcomes are write-once, so read_json_many may
    remember them; outcomes are found by listing, never by asking for one that may not be there yet.
    """
    ids = [job_id for job_id in map(job_id_from_key, store.keys(JOBS)) if _asked_since(job_id, now - KEPT_FOR)]
    records = _read_each(store, [job_key(job_id) for job_id in ids])
    listed = set(store.keys(RESULTS))
    outcomes = _read_each(
        store, [_result_key(job_id, name) for job_id in ids for name, _ in OUTCOMES if _result_key(job_id, name) in listed]
    )
    found = []
    for job_id in ids:
        try:
            job = _job(job_id, records[job_key(job_id)])
        except (KeyError, ValueError):  # gone, or not a job record
            continue
        if officer is None or job.officer == officer:
            found.append(_status(job, _outcome_among(job_id, outcomes), now))
    return sorted(found, key=lambda each: each.job.created_at, reverse=True)  # ids order them only to the second


def _record(store: Store, job_id: str, outcome: str, result: dict) -> dict:
    try:
        store.create_json(_result_key(job_id, outcome), result)
    except AlreadyExists:  # another run of the same job finished first; its outcome stands
        return _outcome(store, job_id)[1]
    return result


def _still_kept(store: Store, items: list[dict]) -> list[dict | None]:
    """Each submission's record, or None where the retention purge deleted it after the job was recorded."""
    records = []
    for item in items:
        try:
            records.append(store.read_json(item["key"]))
        except NotFound:
            records.append(None)
    return records


def run_job(store: Store, job_id: str, assessments: dict, scanner: str | None = None, clock=_now) -> Status:
    """Build the job's ZIP into storage and record the outcome; a job that already has one is left alone.

    `assessments` maps ids to questionnaires (Content.assessments); `scanner` is PORTAL_MALWARE_SCANNER.
    """
    if _outcome(store, job_id) is None:
        job = read_job(store, job_id)
        try:
            submissions = [
                Submission(assessments[item["assessment"]], record)
                for item, record in zip(job.submissions, _still_kept(store, job.submissions))
                if record
            ]
            key = packs.evidence_zip(store, submissions, scanner, clock)
            _record(
                store,
                job_id,
                "done",
                {
                    "export": key,
                    "finished_at": clock().isoformat(),
                    "filename": store.read_metadata(key).get("filename", "evidence.zip"),
                },
            )
        except Exception:  # the officer is told it failed and may try again; the log says why
            log.exception("Evidence ZIP job %s failed", job_id)
            _record(store, job_id, "failed", {"reason": "error", "finished_at": clock().isoformat()})
    return status(store, job_id, clock())
