"""The emails about a registration: confirmation, waiting list, a freed place, an update and the reminder.

Each is a plain-text template in portal/templates/events/emails/. A confirmed place gets the event's calendar
file attached, with the online joining details that the public calendar leaves out.
"""
from flask import current_app, render_template, url_for

from portal.events.calendar import calendar_file

from . import mailer, outbox
from .storage import StorageError

SUBJECTS = {
    "confirmed": "Your place at {title}",
    "waiting": "You are on the waiting list for {title}",
    "promoted": "A place has come up for you at {title}",
    "updated": "We have updated your registration for {title}",
    "reminder": "Reminder: {title} is tomorrow",
}


def private_link(event, token: str) -> str:
    """The full address of a registration's private page; needs a request context (a real or a test one)."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for("register.registration", slug=event.slug, token=token)


def personal_calendar(event, confirmed: bool) -> bytes:
    """The event's calendar file; with the joining details only for a person who has a place."""
    site = current_app.extensions["portal.content"].site
    return calendar_file([event], current_app.config["PORTAL_BASE_URL"], site.council.name, event.title, event.slug,
                         joining=confirmed)


def send(store, kind: str, event, registration, standing, token: str) -> bool:
    """Post one email about `registration` to the outbox; False (and logged) if it could not be stored."""
    site = current_app.extensions["portal.content"].site
    confirmed = standing is not None and standing.status == "confirmed"
    body = render_template(f"events/emails/{kind}.txt", event=event, registration=registration, standing=standing,
                           confirmed=confirmed, link=private_link(event, token), site=site)
    message = mailer.compose(site.council.contact_email, registration.details["email"],
                             SUBJECTS[kind].format(title=event.title), body)
    if confirmed:
        message.add_attachment(personal_calendar(event, confirmed=True), maintype="text", subtype="calendar",
                               filename=f"{event.slug}.ics")
    try:
        outbox.post(store, message)
    except StorageError:
        current_app.logger.exception("Could not store the %s email for %s", kind, event.slug)
        return False
    return True
