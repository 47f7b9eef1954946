"""Officers' view of the Charter: sign-ups waiting for a decision, every signatory and their history, concerns.

Admins decide (approve, or decline with a reason) and can remove a signatory with a reason; viewers read. The
applicant is emailed either way through the outbox, and an approval carries the certificate PDF. Every view and
decision is audited. Signatories are functions/charter/signatories.py's write-once records.
"""

from datetime import date

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.charter import yearly
from portal.clock import uk_today

from ..charter import emails as charter_emails
from ..charter import links as charter_links
from ..charter.certificate import certificate
from ..charter.signatories import Signatories, StatusChanged
from ..exports import charter as charter_export
from ..exports import registrations as files
from ..storage import NotFound, filename_metadata
from ..signin.contacts import SupplierContacts
from .export_pages import FORMATS, _link, _stamp
from .web import admin_only, audited, clock, council_blueprint, store

REASON_LIMIT = 1000
STATUS_ORDER = {"pending": 0, "approved": 1, "unconfirmed": 2, "declined": 3, "left": 4, "removed": 5}


def signatories() -> Signatories:
    return Signatories(store(), clock)


def current_officer() -> str:
    return g.officer.email


def _charter():
    return current_app.extensions["portal.content"].charter


def _signatory(signatory_id: str) -> dict:
    try:
        return signatories().get(signatory_id)
    except (NotFound, ValueError):
        abort(404)


def standing_of(record: dict, updates: list[dict]):
    """Where an approved signatory stands on their yearly updates today; None for anyone not yet approved."""
    if not record.get("joined_on"):
        return None
    return yearly.standing(
        date.fromisoformat(record["joined_on"]),
        [date.fromisoformat(u["on"]) for u in updates],
        uk_today(),
        _charter().yearly_update,
    )


@council_blueprint.get("/charter/")
def charter_signatories():
    everyone = sorted(
        signatories().everyone(), key=lambda r: (STATUS_ORDER.get(r["status"], 9), r["details"]["organisation"].casefold())
    )
    audited("viewed-charter-signatories", "")
    return render_template(
        "council/charter/signatories.html",
        title="Charter signatories",
        everyone=everyone,
        charter=_charter(),
        pending=sum(1 for r in everyone if r["status"] == "pending"),
    )


def _render_signatory(
    record: dict, errors: dict | None = None, values: dict | None = None, status: int = 200, done: str | None = None
):
    found = signatories()
    updates = found.updates(record["id"])
    concerns = [c for c in found.concerns() if c["signatory"] == record["id"]]
    return render_template(
        "council/charter/signatory.html",
        title=record["details"]["organisation"],
        record=record,
        history=found.history(record["id"]),
        updates=updates,
        concerns=concerns,
        standing=standing_of(record, updates),
        charter=_charter(),
        errors=errors or {},
        values=values or {},
        error_title=bool(errors),
        done=done,
    ), status


@council_blueprint.get("/charter/<signatory_id>/")
def charter_signatory(signatory_id):
    record = _signatory(signatory_id)
    audited("viewed-charter-signatory", signatory_id)
    done = request.args.get("done")  # after a decision: what was done, and that the applicant was emailed
    return _render_signatory(record, done=done if done in ("approved", "declined", "removed") else None)


def _reason(errors: dict, required: str) -> str:
    reason = request.form.get("reason", "").strip()
    if not reason:
        errors["reason"] = required
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = f"The reason must be {REASON_LIMIT:,} characters or fewer"
    return reason


@council_blueprint.post("/charter/<signatory_id>/decide")
@admin_only
def decide_charter_sign_up(signatory_id):
    record = _signatory(signatory_id)
    decision, errors = request.form.get("decision", ""), {}
    if decision not in ("approve", "decline"):
        errors["decision"] = "Select whether to approve or decline the sign-up"
    reason = _reason(errors, "Enter the reason for declining, which we send to the applicant") if decision == "decline" else ""
    if errors:
        return _render_signatory(record, errors, request.form.to_dict(), 400)
    try:
        if decision == "approve":
            changed = signatories().change(
                record, "approved", current_officer(), allowed_from=("pending",), joined_on=uk_today().isoformat()
            )
        else:
            changed = signatories().change(record, "declined", current_officer(), reason, allowed_from=("pending",))
    except StatusChanged:
        return _render_signatory(
            _signatory(signatory_id), {"decision": "Someone else has decided this sign-up already"}, status=409
        )
    audited("approved-charter-sign-up" if decision == "approve" else "declined-charter-sign-up", signatory_id, reason=reason)
    if decision == "approve":
        # Their own pages are supplier pages: the address may now sign in to them (decision 13).
        SupplierContacts(store(), clock).grant(
            changed["details"]["email"], "charter", signatory_id, changed["details"]["organisation"], current_officer()
        )
        pdf = certificate(changed)
        charter_emails.send(
            store(),
            "approved",
            changed["details"]["email"],
            attachment=pdf,
            attached=pdf is not None,
            link=charter_links.own_page_link(signatory_id),
        )
    else:
        charter_emails.send(store(), "declined", changed["details"]["email"], reason=reason)
    done = "approved" if decision == "approve" else "declined"
    return redirect(url_for("council.charter_signatory", signatory_id=signatory_id, done=done), 303)


@council_blueprint.post("/charter/<signatory_id>/remove")
@admin_only
def remove_charter_signatory(signatory_id):
    record, errors = _signatory(signatory_id), {}
    reason = _reason(errors, "Enter the reason for removing them, which we send to the signatory")
    if errors:
        return _render_signatory(record, errors, request.form.to_dict(), 400)
    try:
        signatories().change(record, "removed", current_officer(), reason, allowed_from=("approved",))
    except StatusChanged:
        return _render_signatory(_signatory(signatory_id), {"reason": "This signatory has changed: check it again"}, status=409)
    SupplierContacts(store(), clock).withdraw(record["details"]["email"], "charter", signatory_id, current_officer(), reason)
    audited("removed-charter-signatory", signatory_id, reason=reason)
    charter_emails.send(store(), "removed", record["details"]["email"], reason=reason)
    return redirect(url_for("council.charter_signatory", signatory_id=signatory_id, done="removed"), 303)


@council_blueprint.get("/charter/concerns/")
def charter_concerns():
    found = signatories()
    concerns = found.concerns()
    names = {r["id"]: r["details"]["organisation"] for r in found.everyone()}
    audited("viewed-charter-concerns", "")
    return render_template(
        "council/charter/concerns.html",
        title="Concerns about Charter signatories",
        concerns=concerns,
        names=names,
        charter=_charter(),
    )


@council_blueprint.get("/charter/downloads")
def charter_exports():
    return render_template("council/charter/exports.html", title="Download Charter signatories and updates")


@council_blueprint.post("/charter/downloads/<kind>")
def export_charter(kind):
    """Every signatory (each one's newest version), or every update, as CSV or XLSX; audited."""
    file_format = request.args.get("format")
    if file_format not in FORMATS or kind not in ("signatories", "updates"):
        abort(400)
    found = signatories()
    everyone = found.everyone()
    if kind == "signatories":
        table, columns = charter_export.signatory_rows(everyone, _charter()), charter_export.SIGNATORY_COLUMNS
    else:
        table = charter_export.update_rows([(r, found.updates(r["id"])) for r in everyone], _charter())
        columns = charter_export.UPDATE_COLUMNS
    data = files.to_file(table, file_format, f"Charter {kind}", columns)
    filename = f"charter-{kind}-{clock():%Y-%m-%d}.{file_format}"
    key = f"exports/charter/{_stamp()}.{file_format}"
    store().create(key, data, FORMATS[file_format], filename_metadata(filename))
    audited(f"downloaded-charter-{kind}", "", format=file_format, rows=len(table), export=key)
    return _link(key, filename, FORMATS[file_format])
