"""Drafts and submissions of a questionnaire, kept in storage write-once: every save is a new version."""

import base64
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from portal.questionnaire.model import Assessment
from portal.questionnaire import progress
from portal.questionnaire.progress import readiness_by_theme
from portal.questionnaire.record import answers_schema
from portal.clock import now
from portal.dates import uk_calendar_day

from ..storage import AlreadyExists, NotFound, Store
from ..storage.versions import ATTEMPTS
from .draft_merge import check_evidence_limits, rebased

DELETED = "/deleted.json"  # beside a deleted draft's versions, after them in a listing: says when, nothing else


class DraftNotFound(LookupError):
    """No draft answers to that resume link."""


class DraftExpired(LookupError):
    """The draft was kept for its full time and has gone."""


class DraftDeleted(LookupError):
    """The supplier deleted the draft; only the fact that it was deleted is kept, so that the link can say so."""


def _now() -> datetime:
    return now().replace(microsecond=0)


def _digest(token: str) -> str:
    """Storage keys hold a hash of the resume link, so a listing of the bucket reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Draft:
    token: str
    assessment_id: str
    questionnaire_version: int
    created_at: str
    expires_at: str
    version: int = 0
    answers: dict = field(default_factory=dict)
    completed: tuple = ()
    reference: str | None = None  # set once submitted
    evidence: tuple = ()  # one dict per uploaded file, in the shape the submission record keeps
    updates_version: int | None = None  # being changed after sending: the sent version it started from

    @property
    def editing(self) -> bool:
        """Not sent yet, or being updated after sending: its sections and evidence can be changed."""
        return self.reference is None or self.updates_version is not None

    @property
    def digest(self) -> str:
        return _digest(self.token)

    @property
    def reference_if_submitted(self) -> str:
        """The reference this draft gets (or got) when submitted: fixed by the link, so resubmitting finds it."""
        code = base64.b32encode(hashlib.sha256(("ref:" + self.token).encode()).digest()).decode()
        return f"SV-{code[:4]}-{code[4:8]}"

    def stored(self) -> dict:
        return {
            "assessment": self.assessment_id,
            "questionnaire_version": self.questionnaire_version,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "version": self.version,
            "answers": self.answers,
            "completed": sorted(self.completed),
            "reference": self.reference,
            "evidence": list(self.evidence),
            "updates_version": self.updates_version,
        }


def submitted_evidence(assessment: Assessment, answers: dict, evidence) -> list[dict]:
    """The files to submit: each with only the slots the answers ask for, and none left with no slot."""
    wanted = {slot.id for slot in progress.applicable_evidence(assessment, answers)}
    kept = [{**entry, "slots": [s for s in entry["slots"] if s in wanted]} for entry in evidence]
    return [entry for entry in kept if entry["slots"]]


def _check_answers(assessment: Assessment, answers: dict) -> dict:
    """Refuse to store answers of the wrong shape: what is written must read back as the questionnaire says."""
    errors = answers_schema(assessment).validate(answers)
    if errors:
        raise ValueError(f"answers do not match questionnaire {assessment.id}: {errors}")
    return answers


class Drafts:
    """Start, resume and save drafts; submit them as write-once submissions."""

    def __init__(self, store: Store, clock=_now):
        self.store = store
        self.clock = clock

    def _prefix(self, assessment_id: str, token: str) -> str:
        return f"drafts/{assessment_id}/{_digest(token)}/"

    def start(self, assessment: Assessment) -> Draft:
        now = self.clock()
        draft = Draft(
            token=secrets.token_urlsafe(24),
            assessment_id=assessment.id,
            questionnaire_version=assessment.version,
            created_at=now.isoformat(),
            expires_at=(now + timedelta(days=assessment.drafts_expire_after_days)).isoformat(),
        )
        return self._write(draft, version=1)

    def load(self, assessment: Assessment, token: str) -> Draft:
        if not token or len(token) > 64:
            raise DraftNotFound(token)
        versions = self.store.keys(self._prefix(assessment.id, token))
        if not versions:
            raise DraftNotFound(token)
        data = self.store.read_json(versions[-1])
        if versions[-1].endswith(DELETED):
            raise DraftDeleted(token)
        expired = datetime.fromisoformat(data["expires_at"]) <= self.clock()
        if data["reference"] is None and expired:
            raise DraftExpired(token)
        updates_version = None if expired else data.get("updates_version")  # an update left too long lapses
        return Draft(
            token=token,
            assessment_id=data["assessment"],
            questionnaire_version=data["questionnaire_version"],
            created_at=data["created_at"],
            expires_at=data["expires_at"],
            version=data["version"],
            answers=data["answers"],
            completed=tuple(data["completed"]),
            reference=data["reference"],
            evidence=tuple(data.get("evidence", [])),  # drafts saved before evidence existed have none
            updates_version=updates_version,
        )

    def save(self, assessment: Assessment, draft: Draft, **changes) -> Draft:
        """A new version with `changes` (answers, completed, evidence, reference) made to `draft`; never overwrites
        an earlier one. Where another save wrote a version since `draft` was read, the changes are applied to that
        one instead (draft_merge.py), so tabs saving at once each keep what they changed. A file over a question's
        limit once merged raises EvidenceRejected; a draft deleted meanwhile, DraftDeleted."""
        expires = self.clock() + timedelta(days=assessment.drafts_expire_after_days)  # kept N days after the last change
        latest = draft
        for _ in range(ATTEMPTS):  # storage/versions.py says why this many
            updated = replace(rebased(draft, changes, latest), expires_at=expires.isoformat())
            _check_answers(assessment, updated.answers)
            check_evidence_limits(assessment, latest, updated)
            try:
                return self._write(updated, version=latest.version + 1)
            except AlreadyExists:
                latest = self.load(assessment, draft.token)
        raise AlreadyExists(f"could not save draft after {ATTEMPTS} attempts")

    def _write(self, draft: Draft, version: int) -> Draft:
        draft = replace(draft, version=version)
        self.store.create_json(f"{self._prefix(draft.assessment_id, draft.token)}{version:06d}.json", draft.stored())
        return draft

    def submit(self, assessment: Assessment, draft: Draft, plan_check=None, when_stored=None) -> dict:
        """Store the submission once; submitting the same draft again returns the record already stored.

        `plan_check(answers, day)` gives the carbon reduction plan checker's result to keep beside the answers
        (None when there is no plan), so that council officers see what the supplier saw. The record lists the
        evidence files attached to slots that the final answers still ask for. `when_stored(record)` runs once,
        after this call stored it (not when it was stored already): to tell the supplier once.
        """
        reference = draft.reference_if_submitted
        # The version after the one the draft started from: write-once, so sending twice stores it once.
        key = f"submissions/{assessment.id}/{reference}/{(draft.updates_version or 0) + 1:06d}.json"
        submitted_at = self.clock()
        answers = progress.shown_answers(assessment, draft.answers)  # never answers to questions no longer asked
        record = {
            "reference": reference,
            "assessment": assessment.id,
            "questionnaire_version": assessment.version,
            "submitted_at": submitted_at.isoformat(),
            "answers": _check_answers(assessment, answers),
            "readiness": {
                r.section.id: {"percent": r.percent, "level": r.level.id} for r in readiness_by_theme(assessment, answers)
            },
            "carbon_reduction_plan": plan_check(answers, uk_calendar_day(submitted_at)) if plan_check else None,
            "evidence": submitted_evidence(assessment, answers, draft.evidence),
        }
        try:
            self.store.create_json(key, record)
        except AlreadyExists:
            record, when_stored = self.store.read_json(key), None
        if draft.editing:
            self.save(assessment, draft, reference=reference, updates_version=None)
        if when_stored:
            when_stored(record)
        return record

    def delete(self, assessment: Assessment, token: str) -> None:
        """Erase an unsent draft, every version of it and every file it took (UK GDPR); keep only when it was deleted.

        The mark is written first, so that a delete cut short still reads as deleted, and finishes when repeated.
        """
        prefix = self._prefix(assessment.id, token)
        try:
            self.store.create_json(prefix + DELETED.lstrip("/"), {"deleted_at": self.clock().isoformat()})
        except AlreadyExists:
            pass  # finishing a delete cut short
        digest = _digest(token)
        for key in [
            *self.store.keys(f"evidence/{assessment.id}/{digest}/"),
            *self.store.keys(f"uploads/{assessment.id}/{digest}/"),
            *self.store.keys(prefix),
        ]:
            if not key.endswith(DELETED):
                self.store.delete(key)

    def update(self, assessment: Assessment, draft: Draft) -> Draft:
        """Start changing a sent submission: the draft starts again from what was sent, every section completed."""
        versions = self.store.keys(f"submissions/{assessment.id}/{draft.reference}/")
        if not versions:
            raise NotFound(draft.reference)
        record = self.store.read_json(versions[-1])
        return self.save(
            assessment,
            draft,
            answers=record["answers"],
            evidence=tuple(record.get("evidence") or ()),
            completed=tuple(s.id for s in assessment.sections),
            updates_version=int(versions[-1].rsplit("/", 1)[1].split(".")[0]),
        )

    def sent_keys(self, assessment: Assessment, reference: str | None) -> set[str]:
        """The storage keys of every file any sent version lists: kept whatever the draft does now."""
        if reference is None:
            return set()
        return {
            entry["key"]
            for key in self.store.keys(f"submissions/{assessment.id}/{reference}/")
            for entry in self.store.read_json(key).get("evidence") or []
        }

    def submission(self, assessment: Assessment, reference: str) -> dict:
        versions = self.store.keys(f"submissions/{assessment.id}/{reference}/")
        if not versions:
            raise NotFound(reference)
        return self.store.read_json(versions[-1])
