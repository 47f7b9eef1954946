"""A Charter signatory's own pages, behind the supplier sign-in (DESIGN.md decision 13): their status, the yearly
update (a few lines per commitment, and a report's address) and leaving the Charter.

The address holds a "charter" grant from the officer's approval (functions/council/charter_pages.py); leaving
withdraws it, as an officer's removal does, so the session ends with it.
"""

from datetime import date

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.charter import yearly
from portal.charter.forms import read_update
from portal.clock import uk_today

from ..charter import emails
from ..charter.signatories import ENDED, StatusChanged, app_signatories
from ..storage import NotFound
from .web import contacts, supplier_blueprint


def _charter():
    return current_app.extensions["portal.content"].charter


def _signatory(signatory_id: str) -> dict:
    """The signatory whose grant the signed-in address holds; 404 for anyone else's (or none)."""
    if not any(grant.kind == "charter" and grant.subject == signatory_id for grant in contacts().grants(g.supplier)):
        abort(404)
    try:
        return app_signatories().get(signatory_id)
    except NotFound:
        abort(404)


def _chosen(record: dict) -> list:
    return [c for c in _charter().commitments if c.id in record["details"]["commitments"]]


def _render(record: dict, values=None, errors=None, status=200, done=None):
    updates = app_signatories().updates(record["id"])
    joined = date.fromisoformat(record["joined_on"]) if record.get("joined_on") else None
    standing = (
        yearly.standing(joined, [date.fromisoformat(u["on"]) for u in updates], uk_today(), _charter().yearly_update)
        if joined
        else None
    )
    return render_template(
        "charter/own_page.html",
        title=record["details"]["organisation"],
        charter=_charter(),
        record=record,
        updates=updates,
        standing=standing,
        chosen=_chosen(record),
        values=values or {},
        errors=errors or {},
        error_title=bool(errors),
        done=done,
    ), status


@supplier_blueprint.get("/charter/<signatory_id>/")
def charter_signatory(signatory_id):
    return _render(_signatory(signatory_id), done=request.args.get("done"))


@supplier_blueprint.post("/charter/<signatory_id>/update")
def charter_update(signatory_id):
    record = _signatory(signatory_id)
    if record["status"] != "approved":
        return redirect(url_for(".charter_signatory", signatory_id=signatory_id), 303)
    update, errors = read_update(request.form, _chosen(record))
    if errors:
        return _render(record, request.form.to_dict(), errors, 400)
    app_signatories().add_update(record, update, uk_today(), g.supplier)
    return redirect(url_for(".charter_signatory", signatory_id=signatory_id, done="updated"), 303)


@supplier_blueprint.route("/charter/<signatory_id>/leave", methods=["GET", "POST"])
def charter_leave(signatory_id):
    record = _signatory(signatory_id)
    if record["status"] in ENDED:
        return redirect(url_for(".charter_signatory", signatory_id=signatory_id), 303)
    if request.method == "POST":
        try:
            app_signatories().change(record, "left", g.supplier, allowed_from=("pending", "approved"))
        except StatusChanged:
            return redirect(url_for(".charter_signatory", signatory_id=signatory_id), 303)
        contacts().withdraw(g.supplier, "charter", signatory_id, g.supplier, "Left the Charter")
        emails.send(app_signatories().store, "left", record["details"]["email"])
        # Their grant is withdrawn, so this is the last page they see signed in: it says what happened.
        return render_template(
            "charter/left.html",
            title="You have left the Charter",
            charter=_charter(),
            organisation=record["details"]["organisation"],
        )
    return render_template("charter/leave.html", title="Leave the Charter", charter=_charter(), record=record)
