"""Evidence on a contract's returns: the page that uploads a file straight to storage and lists the contract's
files, and what the return pages need to offer them on each line and keep the choice with a sent return.

A contact gets here from the return form's "Save and add a file" button, which saves their answers first, and
goes back to the same form; a file uploaded once can be chosen on any return of the contract.
"""

import re
import secrets
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.evidence.checks import EvidenceRejected
from portal.evidence.filetypes import BYTES_PER_MB, FILE_TYPES, list_in_words
from portal.headers import content_security_policy

from ..contracts.evidence import MAX_BYTES, TYPES, ContractFiles
from ..contracts.returns import valid_period_id
from .contract_pages import contract_or_404
from .web import store, supplier_blueprint

UPLOAD_ID = re.compile(r"[0-9a-f]{32}\Z")


def _files() -> ContractFiles:
    return ContractFiles(store(), scanner=current_app.config["PORTAL_MALWARE_SCANNER"])


def contract_files(contract_id) -> list[dict]:
    """Every file uploaded for the contract, to choose from on any of its returns."""
    return _files().files(contract_id)


def files_by_id(contract_id) -> dict:
    return {f["id"]: f for f in contract_files(contract_id)}


def errors(contract_id, form, lines) -> dict:
    """A message for each line whose chosen files are not all the contract's (a stale or forged choice)."""
    found = {}
    known = None
    for line in lines:
        name = f"lines-{line['code']}-evidence"
        chosen = form.getlist(name) if hasattr(form, "getlist") else []
        if chosen:
            known = known if known is not None else set(files_by_id(contract_id))
            if not set(chosen) <= known:
                found[name] = f"Select files uploaded for this contract as evidence for {line['code']}"
    return found


def chosen(form: dict, checked) -> dict:
    """{measure code: [file ids]} chosen on the checked return's lines (the draft's form, already checked)."""
    return {
        line.measure_code: list(form.get(f"lines-{line.measure_code}-evidence", []))
        for line in checked.lines
        if form.get(f"lines-{line.measure_code}-evidence")
    }


def _period(value) -> str | None:
    return value if isinstance(value, str) and valid_period_id(value) else None


def _render(contract_id, contract, period_id, error=None, added=None, status=200):
    upload_id = secrets.token_hex(16)
    back_to = current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(
        ".evidence_uploaded", contract_id=contract_id, upload_id=upload_id, period=period_id
    )
    form = _files().upload_form(contract_id, upload_id, back_to)
    files = contract_files(contract_id)
    response = current_app.make_response(
        (
            render_template(
                "supplier/evidence.html",
                title="Evidence files for this contract",
                contract=contract,
                contract_id=contract_id,
                period_id=period_id,
                files=files,
                form=form,
                error=error,
                added=next((f for f in files if f["id"] == added), None),
                types=list_in_words(TYPES),
                max_mb=MAX_BYTES // BYTES_PER_MB,
                error_title=bool(error),
                accept=",".join(e for t in TYPES for e in FILE_TYPES[t].extensions),
            ),
            status,
        )
    )
    target = urlsplit(form.url)
    if target.netloc:  # the form posts to storage, on another origin in production: allow exactly that one
        response.headers["Content-Security-Policy"] = content_security_policy().replace(
            "form-action 'self'", f"form-action 'self' {target.scheme}://{target.netloc}"
        )
    return response


@supplier_blueprint.get("/contracts/<contract_id>/evidence/")
def evidence(contract_id):
    contract, _ = contract_or_404(contract_id)
    return _render(contract_id, contract, _period(request.args.get("period")), added=request.args.get("added"))


@supplier_blueprint.get("/contracts/<contract_id>/evidence/uploaded/<upload_id>")
def evidence_uploaded(contract_id, upload_id):
    """Where storage sends the browser after an upload: check the file, then keep it or delete it with a message."""
    contract, _ = contract_or_404(contract_id)
    if not UPLOAD_ID.match(upload_id):
        abort(404)
    period_id = _period(request.args.get("period"))
    try:
        kept = _files().attach(contract_id, upload_id, g.supplier)
    except EvidenceRejected as rejected:
        return _render(contract_id, contract, period_id, error=str(rejected), status=400)
    return redirect(url_for(".evidence", contract_id=contract_id, period=period_id, added=kept["id"]), 303)
