"""Evidence pages of the self-assessment: upload straight to storage, then check, attach, reuse and remove files.

The upload form posts the file to storage (S3's presigned POST, or the file store's stand-in), which sends the
browser back to `uploaded`. That view moves the file to a key of the server's choosing, checks it by reading
its first bytes (all of a small file) and the size storage listed, and attaches it to the draft or deletes it
with a message.
No byte of a file passes through here, except the ranged reads the checks and the SHA-256 need.
"""

import re
import secrets
from contextlib import suppress
from datetime import date
from urllib.parse import urlsplit

from flask import abort, current_app, flash, get_flashed_messages, redirect, render_template, request, url_for

from portal.evidence import checks
from portal.headers import content_security_policy
from portal.evidence.checks import EvidenceRejected
from portal.evidence.reading import HeadFirst, sha256_of
from portal.evidence.filetypes import FILE_TYPES, list_in_words
from portal.questionnaire import progress
from portal.clock import now, uk_today

from .. import malware
from .web import assessment_blueprint, assessment_or_404, draft_or_404, drafts, section_or_404
from ..storage import AlreadyExists, NotFound, StorageError

UPLOAD_ID = re.compile(r"[0-9a-f]{32}\Z")
VALID_UNTIL_FIELDS = ("valid-until-day", "valid-until-month", "valid-until-year")
# The policy lets through files up to twice a slot's limit, so that most too-large files reach the check below
# and get its message; past that S3 itself refuses the post.
POLICY_SIZE_MARGIN = 2


def _store():
    return drafts().store


def _slot(assessment, draft, slot_id):
    """The evidence slot, if the answers ask for it; with the section it belongs to (which must be open)."""
    slot = assessment.evidence_slot(slot_id) or abort(404)
    section = section_or_404(assessment, draft, assessment.section_of(slot.question).id)
    if slot not in progress.section_evidence(section, draft.answers):
        abort(404)
    return section, slot


def _upload_prefix(assessment, draft, upload_id) -> str:
    return f"uploads/{assessment.id}/{draft.digest}/{upload_id}/"


def _evidence_key(assessment, draft, file_id) -> str:
    return f"evidence/{assessment.id}/{draft.digest}/{file_id}"


def _in_slot(draft, slot) -> list[dict]:
    return [entry for entry in draft.evidence if slot.id in entry["slots"]]


@assessment_blueprint.get("/<token>/evidence/<slot_id>/")
def evidence(assessment_id, token, slot_id):
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section, slot = _slot(assessment, draft, slot_id)
    return _render(assessment, draft, section, slot, added=request.args.get("added"))


@assessment_blueprint.get("/<token>/evidence/<slot_id>/uploaded/<upload_id>")
def uploaded(assessment_id, token, slot_id, upload_id):
    """Where storage sends the browser after an upload: check the file, then attach it or delete it."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section, slot = _slot(assessment, draft, slot_id)
    if not UPLOAD_ID.match(upload_id):
        abort(404)
    store = _store()
    file_id = secrets.token_hex(16)
    key = _evidence_key(assessment, draft, file_id)
    try:
        upload = store.claim_upload(_upload_prefix(assessment, draft, upload_id), key)
    except NotFound:
        return _render(assessment, draft, section, slot, error=checks.upload_failed()), 400
    except AlreadyExists:  # a file id drawn twice: never overwrite, ask for the upload again
        return _render(assessment, draft, section, slot, error=checks.upload_failed()), 400
    except StorageError:
        with suppress(StorageError):
            store.delete(key)  # storage failed after the copy, while clearing the upload: keep no stray copy
        raise
    try:
        entry = {**_check(store, key, upload, slot, draft), "id": file_id}
        date_error = None
        if slot.ask_valid_until:
            try:
                entry["valid_until"] = _valid_until(upload.fields)
            except DateInvalid as wrong:
                # The file is good: keep it, held for this question, and ask only for the date again.
                date_error, entry = str(wrong), {**entry, "slots": [], "held_for": slot.id}
        draft = drafts().load(assessment, token)  # the newest version: another tab may have saved meanwhile
        draft = drafts().save(assessment, draft, evidence=draft.evidence + (entry,))
    except EvidenceRejected as rejected:
        store.delete(key)
        return _render(assessment, draft, section, slot, error=str(rejected)), 400
    except Exception:
        with suppress(StorageError):
            store.delete(key)  # not attached, so not kept: nothing half-stored
        raise
    if date_error:
        return _render(assessment, draft, section, slot, date_error=date_error, valid_until=upload.fields), 400
    return redirect(url_for(".evidence", assessment_id=assessment.id, token=token, slot_id=slot.id, added=file_id), 303)


@assessment_blueprint.post("/<token>/evidence/<slot_id>/valid-until")
def valid_until(assessment_id, token, slot_id):
    """The date for a file kept while its date was wrong: attach the file with it, or ask again."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section, slot = _slot(assessment, draft, slot_id)
    held = _held(draft, slot)
    if held is None or request.form.get("file") != held["id"]:
        return redirect(url_for(".evidence", assessment_id=assessment.id, token=token, slot_id=slot.id), 303)
    typed = {name: request.form.get(name, "") for name in VALID_UNTIL_FIELDS}
    try:
        day = _valid_until(typed)
    except DateInvalid as wrong:
        return _render(assessment, draft, section, slot, date_error=str(wrong), valid_until=typed), 400
    if len(_in_slot(draft, slot)) >= slot.max_files:
        return _render(assessment, draft, section, slot, error=checks.too_many(slot.max_files)), 400
    attached = {key: value for key, value in held.items() if key != "held_for"} | {"slots": [slot.id], "valid_until": day}
    try:
        drafts().save(assessment, draft, evidence=tuple(attached if e["id"] == held["id"] else e for e in draft.evidence))
    except EvidenceRejected as rejected:  # another tab filled the question meanwhile
        return _render(assessment, draft, section, slot, error=str(rejected)), 400
    return redirect(url_for(".evidence", assessment_id=assessment.id, token=token, slot_id=slot.id, added=held["id"]), 303)


def _held(draft, slot) -> dict | None:
    return next((e for e in reversed(draft.evidence) if e.get("held_for") == slot.id), None)


def _check(store, key, upload, slot, draft) -> dict:
    """The record of a stored file that passes every check, or EvidenceRejected with the message to show."""
    if len(_in_slot(draft, slot)) >= slot.max_files:
        raise EvidenceRejected(checks.too_many(slot.max_files))
    size = upload.size  # the claimed copy's, as storage listed it: no request of its own
    read_range = HeadFirst(store, key)
    inspected = checks.inspect(read_range, size, upload.filename, slot.types, slot.max_bytes)
    if malware.scan_status(store, key, current_app.config["PORTAL_MALWARE_SCANNER"]) == malware.THREAT:
        raise EvidenceRejected(checks.virus())
    return {
        "key": key,
        "name": inspected.name,
        "size": size,
        "sha256": sha256_of(read_range, size),
        "content_type": inspected.type.content_type,
        "uploaded_at": now().replace(microsecond=0).isoformat(),
        "slots": [slot.id],
        "valid_until": None,
    }


class DateInvalid(ValueError):
    """The date a file is valid until is not a real date, or has passed."""


def _valid_until(fields: dict) -> str | None:
    parts = [fields.get(name, "").strip() for name in VALID_UNTIL_FIELDS]
    if not any(parts):
        return None
    try:
        day = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise DateInvalid("The date it is valid until must be a real date, like 31 3 2027") from None
    if day < uk_today():
        raise DateInvalid("The date it is valid until must be today or in the future")
    return day.isoformat()


@assessment_blueprint.post("/<token>/evidence/<slot_id>/reuse")
def reuse(assessment_id, token, slot_id):
    """Attach files already uploaded for another question, without uploading them again (WCAG 2.2, 3.3.7)."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section, slot = _slot(assessment, draft, slot_id)
    chosen = set(request.form.getlist("file"))
    offered = {entry["id"] for entry in draft.evidence if entry["slots"] and slot.id not in entry["slots"]}
    if not chosen or not chosen <= offered:
        return _render(assessment, draft, section, slot, reuse_error="Select a file you have already uploaded"), 400
    if len(_in_slot(draft, slot)) + len(chosen) > slot.max_files:
        return _render(assessment, draft, section, slot, reuse_error=checks.too_many(slot.max_files)), 400
    refused = [e["name"] for e in draft.evidence if e["id"] in chosen and e["content_type"] not in _content_types(slot)]
    if refused:
        return _render(
            assessment,
            draft,
            section,
            slot,
            reuse_error=f"{refused[0]} cannot be used here: it must be a {list_in_words(slot.types)}",
        ), 400
    evidence = tuple({**e, "slots": e["slots"] + [slot.id]} if e["id"] in chosen else e for e in draft.evidence)
    try:
        drafts().save(assessment, draft, evidence=evidence)
    except EvidenceRejected as rejected:  # another tab filled the question meanwhile
        return _render(assessment, draft, section, slot, reuse_error=str(rejected)), 400
    return redirect(url_for(".evidence", assessment_id=assessment.id, token=token, slot_id=slot.id), 303)


@assessment_blueprint.post("/<token>/evidence/<slot_id>/remove")
def remove(assessment_id, token, slot_id):
    """Take a file off this question; a file on no question any more is deleted from storage."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    slot = _slot(assessment, draft, slot_id)[1]
    file_id = request.form.get("file", "")
    if file_id not in {entry["id"] for entry in _in_slot(draft, slot)}:
        abort(404)
    kept, gone = [], []
    for entry in draft.evidence:
        if entry["id"] == file_id:
            entry = {**entry, "slots": [s for s in entry["slots"] if s != slot.id]}
        (kept if entry["slots"] or entry.get("held_for") else gone).append(entry)
    drafts().save(assessment, draft, evidence=tuple(kept))
    sent = drafts().sent_keys(assessment, draft.reference)  # a version already sent keeps its files
    for entry in gone:  # only once the draft no longer lists it
        if entry["key"] not in sent:
            _store().delete(entry["key"])
    removed = next(entry["name"] for entry in draft.evidence if entry["id"] == file_id)
    flash(f"{removed} has been removed", "removed")  # said on the page the browser is sent back to
    return redirect(url_for(".evidence", assessment_id=assessment.id, token=token, slot_id=slot.id), 303)


def _content_types(slot) -> set[str]:
    return {FILE_TYPES[t].content_type for t in slot.types}


def _reusable(draft, slot) -> list[dict]:
    """Files attached to other questions that this one takes."""
    return [
        entry
        for entry in draft.evidence
        if entry["slots"] and slot.id not in entry["slots"] and entry["content_type"] in _content_types(slot)
    ]


def _render(assessment, draft, section, slot, error=None, reuse_error=None, added=None, valid_until=None, date_error=None):
    store = _store()
    scanner = current_app.config["PORTAL_MALWARE_SCANNER"]
    attached = [(entry, malware.scan_status(store, entry["key"], scanner)) for entry in _in_slot(draft, slot)]
    held = _held(draft, slot)
    room = len(attached) < slot.max_files
    reuse_items = [{"value": entry["id"], "text": entry["name"]} for entry in _reusable(draft, slot)] if room else []
    form = None
    if room and held is None:
        upload_id = secrets.token_hex(16)
        back_to = current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(
            ".uploaded", assessment_id=assessment.id, token=draft.token, slot_id=slot.id, upload_id=upload_id
        )
        form = store.upload_form(
            _upload_prefix(assessment, draft, upload_id),
            back_to,
            max_bytes=slot.max_bytes * POLICY_SIZE_MARGIN,
            metadata_fields=VALID_UNTIL_FIELDS if slot.ask_valid_until else (),
        )
    response = current_app.make_response(
        render_template(
            "assessments/evidence.html",
            assessment=assessment,
            draft=draft,
            section=section,
            slot=slot,
            attached=attached,
            reusable=bool(reuse_items),
            reuse_items=reuse_items,
            form=form,
            error=error,
            reuse_error=reuse_error,
            added=next((entry for entry, _ in attached if entry["id"] == added), None),
            scanner=scanner,
            removed=get_flashed_messages(category_filter=["removed"]),
            held=held,
            date_error=date_error,
            types=list_in_words(slot.types),
            accept=",".join(e for t in slot.types for e in FILE_TYPES[t].extensions),
            valid_until=[(valid_until or {}).get(name, "") for name in VALID_UNTIL_FIELDS],  # as typed, kept
            title=slot.label,
            error_title=bool(error or reuse_error or date_error),
        )
    )
    target = urlsplit(form.url) if form else None
    if target and target.netloc:
        # The form posts to storage, on another origin in production: allow exactly that one in form-action.
        response.headers["Content-Security-Policy"] = content_security_policy().replace(
            "form-action 'self'", f"form-action 'self' {target.scheme}://{target.netloc}"
        )
    return response
