"""Submissions and evidence put in storage as the assessment and evidence functions store them, for officers' tests."""

import base64
import hashlib
import secrets
from datetime import datetime, timezone

from portal.questionnaire.answers import parse_answer
from portal.questionnaire.model import Assessment
from portal.questionnaire.progress import readiness_by_theme

from .supplier import example_answer

SUBMITTED = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)


def typed_answers(assessment: Assessment, **given) -> dict:
    """An example answer to every question, as stored, with `given` answers (already typed) in their place."""
    answers = {q.id: parse_answer(q, example_answer(q)) for q in assessment.questions}
    return {**answers, **given}


def put_evidence(
    store, reference: str, name: str, data: bytes, content_type="application/pdf", slots=("policy",), valid_until=None
) -> dict:
    """An evidence file in storage and the entry a submission record keeps for it."""
    evidence_id = secrets.token_hex(8)
    key = f"evidence/{reference}/{evidence_id}"
    store.create(key, data, content_type)
    return {
        "id": evidence_id,
        "key": key,
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": content_type,
        "uploaded_at": "2026-11-19T09:00:00+00:00",
        "slots": list(slots),
        "valid_until": valid_until,
    }


def put_submission(
    store,
    assessment: Assessment,
    answers: dict | None = None,
    submitted_at=SUBMITTED,
    evidence=None,
    reference: str | None = None,
    version: int = 1,
) -> dict:
    """A submission record at submissions/<assessment>/<reference>/<NNNNNN>.json, shaped as Drafts.submit stores it."""
    answers = typed_answers(assessment) if answers is None else answers
    if reference is None:  # shaped like the references Drafts gives: base32 letters and digits
        code = base64.b32encode(secrets.token_bytes(5)).decode()
        reference = f"SV-{code[:4]}-{code[4:8]}"
    record = {
        "reference": reference,
        "assessment": assessment.id,
        "questionnaire_version": assessment.version,
        "submitted_at": submitted_at.isoformat(),
        "answers": answers,
        "readiness": {r.section.id: {"percent": r.percent, "level": r.level.id} for r in readiness_by_theme(assessment, answers)},
        "carbon_reduction_plan": None,
    }
    if evidence is not None:
        record["evidence"] = evidence
    store.create_json(f"submissions/{assessment.id}/{reference}/{version:06d}.json", record)
    return record
