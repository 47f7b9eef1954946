"""The event registration function: register from the static event page, then view or cancel by private link."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from portal.events.form import RegistrationForm
from portal.events.model import ORGANISATION_SIZES
from portal.events.pages import event_or_404, now, render_event

from .. import keep_private, refuse_cross_site_post

from . import emails as event_emails
from ..viewer import client_ip
from ..limits import RateLimits
from .registrations import RegistrationClosed, RegistrationNotFound
from .registrations import app_registrations as registrations
from ..storage import StorageUnavailable

register_blueprint = Blueprint("register", __name__, url_prefix="/events/<slug>")
CLOSED = "Registration for this event has closed, so we did not take your details."
NOT_SAVED = "We could not save your registration. Your answers are still below: try again in a few minutes."
TOO_MANY = "We have had too many registrations from here or for this email address. Wait 15 minutes, then try again."
LIMIT_PER_CLIENT = 20  # registrations from one network address per 15 minutes, for any event
LIMIT_PER_ADDRESS = 3  # registrations for one email address per 15 minutes, for any event


keep_private(register_blueprint, kept="registrations")


@register_blueprint.post("/register")
def register(slug):
    """Posted from the static event page, which cannot carry a CSRF token; refuse posts from other sites instead."""
    refuse_cross_site_post()
    event = event_or_404(slug)
    form = RegistrationForm()
    if not event.registration_open(now()):
        return render_event(event, form, 409, problem=CLOSED)
    if not form.validate():
        return render_event(event, form, 400)
    try:
        if not _within_limits(form.email.data):
            return render_event(event, form, 429, problem=TOO_MANY)
        outcome = registrations().register(event, form.details())
    except RegistrationClosed:
        return render_event(event, form, 409, problem=CLOSED)
    except StorageUnavailable:
        current_app.logger.exception("Could not save a registration for %s", slug)
        return render_event(event, form, 503, problem=NOT_SAVED)
    event_emails.email_the_promoted(registrations(), event, outcome.promoted)
    # The page is the same whether or not the address was registered already, and only the address's owner gets
    # the private link: anyone can type someone else's email into the form.
    if outcome.already:
        kind = "already"
    else:
        kind = "confirmed" if outcome.standing.status == "confirmed" else "waiting"
    event_emails.send(registrations().store, kind, event, outcome.registration, outcome.standing, outcome.token)
    return redirect(url_for(".check_email", slug=slug), 303)


def _within_limits(email: str) -> bool:
    """Each request counts against the client and the address, so that nobody can make us email someone over and over."""
    limits = RateLimits(registrations().store, now)
    return limits.allow("register-client", client_ip(), LIMIT_PER_CLIENT) and limits.allow(
        "register-email", email.lower(), LIMIT_PER_ADDRESS
    )


@register_blueprint.get("/register/check-your-email")
def check_email(slug):
    return render_template("events/check_email.html", event=event_or_404(slug), title="Check your email")


def _registration(event, token):
    try:
        return registrations().find(event, token)
    except RegistrationNotFound:
        abort(404)


@register_blueprint.get("/register/<token>/")
def registration(slug, token):
    """The private page: confirmation after registering, and where to view or cancel later."""
    event = event_or_404(slug)
    found = _registration(event, token)
    standing = registrations().standing(event, found.id)
    return render_template(
        "events/registration.html",
        event=event,
        registration=found,
        standing=standing,
        token=token,
        link=event_emails.private_link(event, token),
        cancelled_now=request.args.get("cancelled") == "1",
        ended=event.has_ended(now()),
        title=_title(standing),
        sizes=ORGANISATION_SIZES,
    )


def _title(standing) -> str:
    if standing is None or standing.status == "cancelled":
        return "Your registration has been cancelled" if standing else "Your registration"
    return "You have a place" if standing.status == "confirmed" else "You are on the waiting list"


@register_blueprint.route("/register/<token>/cancel", methods=["GET", "POST"])
def cancel(slug, token):
    event = event_or_404(slug)
    found = _registration(event, token)
    standing = registrations().standing(event, found.id)
    if (standing is not None and standing.status == "cancelled") or event.has_ended(now()):
        return redirect(url_for(".registration", slug=slug, token=token))
    if request.method == "POST":  # the CSRF token was checked before this view ran
        event_emails.email_the_promoted(registrations(), event, registrations().cancel(event, found))
        # The calendar entry an earlier email added is removed by this one's METHOD:CANCEL.
        event_emails.send(registrations().store, "cancelled", event, found, registrations().standing(event, found.id), token)
        return redirect(url_for(".registration", slug=slug, token=token, cancelled=1), 303)
    waiting = standing is not None and standing.status == "waiting"
    return render_template(
        "events/cancel.html",
        event=event,
        token=token,
        waiting=waiting,
        title="Leave the waiting list" if waiting else "Cancel your place",
    )


@register_blueprint.get("/register/<token>/calendar.ics")
def calendar(slug, token):
    event = event_or_404(slug)
    found = _registration(event, token)
    standing = registrations().standing(event, found.id)
    body = event_emails.personal_calendar(event, standing)
    return body, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{event.slug}.ics"',
    }
