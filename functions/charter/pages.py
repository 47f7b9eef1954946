"""The Charter function: sign up from the static Charter page, confirm the address by a single-use emailed link, and
raise a concern from the register. A signatory's own pages (yearly updates, leaving) are supplier pages, behind the
supplier sign-in (DESIGN.md decision 13): functions/suppliers/charter_pages.py.

The sign-up and concern forms are posted from static pages, which cannot carry a CSRF token: like event registration,
those views are exempt and refuse `Sec-Fetch-Site: cross-site`. The confirmation page's form carries a token.
"""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from portal.charter.forms import read_concern, read_sign_up
from portal.charter.pages import render_charter, render_signatory
from portal.charter.register import public_signatory
from portal.clock import now

from .. import keep_private, refuse_cross_site_post
from ..limits import RateLimits
from ..storage import NotFound, StorageUnavailable
from ..viewer import client_ip
from . import emails, links
from .signatories import LinkNotFound, LinkUsed, app_signatories

charter_blueprint = Blueprint("charter", __name__, url_prefix="/charter")
LIMIT_PER_CLIENT = 10  # sign-ups or concerns from one network address per 15 minutes
LIMIT_PER_ADDRESS = 3  # sign-ups for one email address per 15 minutes
TOO_MANY = "We have had too many forms from here or for this email address. Wait 15 minutes, then try again."
NOT_SAVED = "We could not save your form. Your answers are still below: try again in a few minutes."

keep_private(charter_blueprint, kept="answers")


def _charter():
    return current_app.extensions["portal.content"].charter


def _allowed(kind: str, email: str | None = None) -> bool:
    limits = RateLimits(app_signatories().store, now)
    return limits.allow(f"charter-{kind}-client", client_ip(), LIMIT_PER_CLIENT) and (
        email is None or limits.allow(f"charter-{kind}-email", email, LIMIT_PER_ADDRESS)
    )


@charter_blueprint.post("/sign-up")
def sign_up():
    refuse_cross_site_post()
    values = {
        **request.form.to_dict(),
        "commitments": request.form.getlist("commitments"),
        "publish": request.form.getlist("publish"),
    }
    details, errors = read_sign_up(request.form, _charter())
    if errors:
        return render_charter(values, errors, 400)
    try:
        if not _allowed("sign-up", details["email"]):
            return render_charter(values, {"sign-up": TOO_MANY}, 429)
        record, token = app_signatories().sign_up(details)
    except StorageUnavailable:
        current_app.logger.exception("Could not save a Charter sign-up")
        return render_charter(values, {"sign-up": NOT_SAVED}, 503)
    emails.send(app_signatories().store, "confirm", details["email"], link=links.confirm_link(token))
    return redirect(url_for(".check_email"), 303)


@charter_blueprint.get("/sign-up/check-your-email")
def check_email():
    return render_template("charter/check_email.html", title="Check your email", charter=_charter())


@charter_blueprint.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    """A button, not the link itself, confirms: an email scanner that follows links must not use up a single-use one."""
    try:
        link = app_signatories().link(token, "confirm")
    except LinkNotFound:
        return _link_invalid()
    record = app_signatories().get(link.signatory)
    if record["status"] != "unconfirmed":
        return _link_invalid(used=True)
    if request.method == "POST":
        try:
            app_signatories().confirm(token)
        except (LinkUsed, LinkNotFound):
            return _link_invalid(used=True)
        return redirect(url_for(".confirmed"), 303)
    return render_template(
        "charter/confirm.html",
        title="Confirm your email address",
        charter=_charter(),
        organisation=record["details"]["organisation"],
    )


@charter_blueprint.get("/confirmed")
def confirmed():
    return render_template("charter/confirmed.html", title="Your email address is confirmed", charter=_charter())


def _link_invalid(used: bool = False):
    return render_template(
        "charter/link_invalid.html", title="That link has been used or has expired", charter=_charter(), used=used
    ), 404


@charter_blueprint.post("/concern/<signatory_id>")
def concern(signatory_id):
    """Posted from a signatory's static page on the register; reaches officers, never the public page."""
    refuse_cross_site_post()
    try:
        record = app_signatories().get(signatory_id)
    except NotFound:
        abort(404)
    if record["status"] != "approved":
        abort(404)
    signatory = public_signatory(record, app_signatories().updates(signatory_id))
    values = request.form.to_dict()
    concern_, errors = read_concern(request.form)
    if errors:
        return render_signatory(signatory, values, errors, 400)
    try:
        if not _allowed("concern"):
            return render_signatory(signatory, values, {"concern-form": TOO_MANY}, 429)
        app_signatories().raise_concern(signatory_id, concern_)
    except StorageUnavailable:
        current_app.logger.exception("Could not save a concern")
        return render_signatory(signatory, values, {"concern-form": NOT_SAVED}, 503)
    emails.to_officers(
        app_signatories().store, "concern", organisation=record["details"]["organisation"], link=emails.council_link("concerns/")
    )
    return redirect(url_for(".concern_sent"), 303)


@charter_blueprint.get("/concern/sent")
def concern_sent():
    return render_template("charter/concern_sent.html", title="We have your concern", charter=_charter())
