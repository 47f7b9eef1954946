"""The emails about a registration: confirmation, waiting list, a freed place, a repeated registration, the reminder,
a cancellation and a change to the event.

Each is a Markdown template in portal/templates/events/emails/, sent as plain text and HTML. None holds anything the
person typed into the form: anyone can type anyone's address, so the form must not let them write to it. A
confirmed place gets the event's calendar file attached, with the online joining details the public one leaves out.
"""

from flask import current_app, render_template, url_for

from portal.events.calendar import calendar_file

from ..mail import mailer

from ..mail import outbox
from ..storage import StorageError

SUBJECTS = {
    "confirmed": "Your place at {title}",
    "waiting": "You are on the waiting list for {title}",
    "promoted": "A place has come up for you at {title}",
    "already": "You had already registered for {title}",
    "reminder": "Reminder: {title} is tomorrow",
    "cancelled": "You have cancelled your registration for {title}",
    "changed": "{title} has changed",
}


def private_link(event, token: str) -> str:
    """The full address of a registration's private page; needs a request context (a real or a test one)."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for("register.registration", slug=event.slug, token=token)


def personal_calendar(event, standing) -> bytes:
    """One person's copy of the event's calendar file: with the joining details only for someone with a place, and
    marked cancelled (with a higher SEQUENCE, so calendars take it) for someone who has cancelled."""
    site = current_app.extensions["portal.content"].site
    status = standing.status if standing is not None else None
    return calendar_file(
        [event],
        current_app.config["PORTAL_BASE_URL"],
        site.council.name,
        event.title,
        event.slug,
        joining=status == "confirmed",
        cancelled=status == "cancelled",
    )


def _cancellation(event) -> bytes:
    """What tells a calendar to remove the entry an earlier email added: METHOD:CANCEL, same UID, higher SEQUENCE."""
    site = current_app.extensions["portal.content"].site
    return calendar_file(
        [event],
        current_app.config["PORTAL_BASE_URL"],
        site.council.name,
        event.title,
        event.slug,
        cancelled=True,
        method="CANCEL",
        organizer=site.council.contact_email,
    )


def send(store, kind: str, event, registration, standing, token: str) -> bool:
    """Post one email about `registration` to the outbox; False (and logged) if it could not be stored, so the
    caller may try again; True also when its address can never be sent to (logged)."""
    site = current_app.extensions["portal.content"].site
    confirmed = standing is not None and standing.status == "confirmed"
    body = render_template(
        f"events/emails/{kind}.md",
        event=event,
        standing=standing,
        confirmed=confirmed,
        link=private_link(event, token),
        site=site,
    )
    try:
        message = mailer.compose(
            site.council.contact_email,
            registration.details["email"],
            SUBJECTS[kind].format(title=event.title),
            body,
            markdown=True,
        )
    except mailer.NotAnAddress:  # stored before the validator was stricter: no later try could send it either
        current_app.logger.warning("No %s email for a registration to %s: its address cannot be sent to", kind, event.slug)
        return True
    if confirmed:
        mailer.attach_calendar(message, personal_calendar(event, standing), f"{event.slug}.ics")
    elif kind == "cancelled":
        mailer.attach_calendar(message, _cancellation(event), f"{event.slug}.ics")
    try:
        outbox.post(store, message)
    except StorageError:
        current_app.logger.exception("Could not store the %s email for %s", kind, event.slug)
        return False
    return True


def email_the_promoted(registrations, event, promoted) -> None:
    """Email each person just given a freed place; they get a new private link, since we keep only hashes of the old."""
    for registration in promoted:
        token = registrations.new_link(event, registration.id)
        send(registrations.store, "promoted", event, registration, registrations.standing(event, registration.id), token)
