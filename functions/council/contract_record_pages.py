"""Recording a contract and varying one (admins): one form with a row per commitment, which can be filled from a
spreadsheet. Without JavaScript: "Add another commitment" and "Import" post the form back with the answers kept,
and nothing is stored until "Save" finds every answer right."""

import secrets
from datetime import date

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.clock import uk_today
from portal.contracts import BASES, FREQUENCIES, hidden_by_change, read_contract
from portal.dates import uk_date
from portal.contracts.spreadsheet import MAX_BYTES, commitments_from_rows, read_commitment_rows
from portal.contracts.contract_form import MAX_COMMITMENTS
from portal.contracts.form import Invalid, raw_text, text_field
from portal.post_size import takes_posts_up_to

from ..contracts import summaries
from ..contracts.records import ChangedMeanwhile, Contracts
from ..contracts.returns import Returns, read_based_on
from ..storage import StorageUnavailable
from . import contract_forms
from .web import admin_only, audited, clock, council_blueprint, officers, store

REASON_LIMIT = 500
# The form with a spreadsheet larger than the reader takes (MAX_BYTES, 1 MB), so that it is told so with the answers
# kept. Under what API Gateway can pass to a function (6 MB, a file base64-encoded); larger gets the "too large" page.
LARGEST_POST = 4 * 1024 * 1024


def _content():
    return current_app.extensions["portal.content"]


def contracts() -> Contracts:
    return Contracts(store(), clock)


def _render(values, errors, *, contract_id=None, extra=0, imported=0, not_saved=False, changed=None, status=200):
    content = _content()
    return render_template(
        "council/contract_form.html",
        title=("Change a contract" if contract_id else "Record a contract"),
        values=values,
        errors=errors,
        rows=contract_forms.rows(values, content, extra),
        contract_id=contract_id,
        measures=content.measures,
        bases=BASES,
        frequencies=FREQUENCIES,
        imported=imported,
        not_saved=not_saved,
        changed=changed,
        error_title=bool(errors or changed),
    ), status


def _import(values):
    """Commitments from the spreadsheet into the form, or the spreadsheet's problems, every bad row named."""
    upload = request.files.get("spreadsheet")
    data = upload.read(MAX_BYTES + 1) if upload else b""  # one byte over: read_commitment_rows says it is too large
    if not data:
        return 0, {"spreadsheet": ["Select a spreadsheet (XLSX or CSV) of commitments"]}
    if not (upload.filename or "").lower().endswith((".csv", ".xlsx")):
        return 0, {"spreadsheet": ["The selected file must be a CSV or XLSX"]}
    found, problems = read_commitment_rows(data, _content())
    if problems:
        return 0, {"spreadsheet": problems}
    start, end = contract_forms.dates(values)
    if start is None and any(row.period is not None for row in found):
        return 0, {"spreadsheet": ["Enter the contract's start and end dates before importing amounts for numbered periods"]}
    commitments, problems = commitments_from_rows(found, _content(), start, end)
    if problems:
        return 0, {"spreadsheet": problems}
    if len(contract_forms.used_rows(values)) + len(commitments) > MAX_COMMITMENTS:
        return 0, {
            "spreadsheet": [f"A contract can have {MAX_COMMITMENTS} commitments at most: this spreadsheet would make more"]
        }
    contract_forms.add_imported(values, commitments)
    return len(commitments), {}


def _changed_meanwhile(values, contract_id):
    """Another officer saved a variation after this form was opened: saving would quietly undo theirs."""
    latest = contracts().history(contract_id)[-1]
    values["based_on"] = str(latest["version"])  # saving again, having looked, goes ahead
    return _render(values, {}, contract_id=contract_id, changed=latest, status=409)


def _hidden_message(hidden: list[tuple[str, str]]) -> str:
    """What a change may not do, naming the figures already sent that it would hide (the first few)."""
    named = [f"{code} for {_period_words(period_id)}" for code, period_id in hidden[:3]]
    more = f", and {len(hidden) - 3} more" if len(hidden) > 3 else ""
    return (
        f"Returns already sent would no longer show: {'; '.join(named)}{more}. Keep those commitments, how often "
        "each is reported and the contract's dates as they are for the periods already reported"
    )


def _period_words(period_id: str) -> str:
    start, _, end = period_id.partition("--")
    return f"{uk_date(date.fromisoformat(start))} to {uk_date(date.fromisoformat(end))}"


def _form(contract_id=None, version=None):
    """The form's post: add a row, import, or save (create, or vary version `version` with a reason)."""
    values = contract_forms.values_from_post(request.form)
    if contract_id:  # the version the form was opened on, carried through adding rows and importing
        values["based_on"] = str(read_based_on(request.form, version))
    else:  # the id the form drew for the contract it records, so that sending it twice records one
        values["form_id"] = raw_text(request.form, "form_id")
    action = request.form.get("action", "save")
    if action == "add":
        return _render(values, {}, contract_id=contract_id, extra=1)
    if action == "import":
        count, errors = _import(values)
        return _render(values, errors, contract_id=contract_id, imported=count, status=400 if errors else 200)
    if contract_id and int(values["based_on"]) < version:
        return _changed_meanwhile(values, contract_id)
    contract, errors = read_contract(request.form, _content())
    manager = officers().find(contract.contract_manager) if contract else None
    if contract and (manager is None or manager.disabled):
        errors["contract_manager"] = "Enter the email address of a council officer who can sign in to these pages"
    if contract_id and contract:
        hidden = hidden_by_change(contract, Returns(store()).sent(contract_id), _content().contracts.return_due_days)
        if hidden:
            errors["commitments"] = _hidden_message(hidden)
    reason = None
    if contract_id:
        try:
            reason = text_field(
                request.form,
                "reason",
                missing="Enter why the contract is changing",
                max_length=REASON_LIMIT,
                too_long=f"Reason must be {REASON_LIMIT} characters or fewer",
            )
        except Invalid as problem:
            errors["reason"] = problem.message
    if errors:
        return _render(values, errors, contract_id=contract_id, status=400)
    try:
        if contract_id:
            try:
                version = contracts().vary(contract_id, contract, g.officer.email, reason, int(values["based_on"]))
            except ChangedMeanwhile:  # saved at the same moment as another officer's
                return _changed_meanwhile(values, contract_id)
            audited("varied-contract", contract_id, version=version, reason=reason)
        else:
            contract_id, recorded = contracts().create_once(contract, g.officer.email, values["form_id"])
            if not recorded:  # this form, sent again (a double click): the contract it recorded
                return redirect(url_for(".contract", contract_id=contract_id, saved=1), 303)
            audited("recorded-contract", contract_id, title=contract.title, reference=contract.reference)
    except StorageUnavailable:
        current_app.logger.exception("Could not save a contract")
        return _render(values, {}, contract_id=contract_id, not_saved=True, status=503)
    try:
        summaries.refresh(store(), contract_id, _content(), uk_today())
    except StorageUnavailable:  # the record is safe; the contract page makes the summary when it is next read
        current_app.logger.exception("Could not refresh the summary of contract %s", contract_id)
    return redirect(url_for(".contract", contract_id=contract_id, saved=1), 303)


@council_blueprint.route("/contracts/new", methods=["GET", "POST"])
@takes_posts_up_to(LARGEST_POST)
@admin_only
def new_contract():
    if request.method == "POST":
        return _form()
    # The framework asks for one commitment at least, usually two or three.
    return _render({"form_id": secrets.token_hex(6)}, {}, extra=3)


@council_blueprint.route("/contracts/<contract_id>/change", methods=["GET", "POST"])
@takes_posts_up_to(LARGEST_POST)
@admin_only
def change_contract(contract_id):
    found = contracts().get(contract_id)
    if found is None:
        abort(404)
    if request.method == "POST":
        return _form(contract_id, found[1])
    values = {**contract_forms.values_from_contract(found[0]), "based_on": str(found[1])}
    return _render(values, {}, contract_id=contract_id)
