"""The day-before reminder: email everyone with a confirmed place at an event that starts tomorrow (UK time).

Run daily by a schedule. A write-once 'reminded' marker per registration makes a second run in the same day,
or a retried one, send nothing twice; if an email fails, its marker is removed so that the next run tries again.
"""
from dataclasses import dataclass

from flask import current_app

from portal.events.model import starting_tomorrow
from portal.events.pages import now as clock

from . import event_emails
from .register import registrations


@dataclass
class RemindersSent:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def send_reminders(now=None) -> RemindersSent:
    """Needs an app context and a request context (for the private links); returns what happened."""
    now = now or clock()
    result = RemindersSent()
    for event in starting_tomorrow(current_app.extensions["portal.content"].events, now):
        for registration, standing, reminded in registrations().everyone(event.slug):
            if standing.status != "confirmed":
                continue
            if reminded or not registrations().mark_reminded(event, registration.id):
                result.already_sent += 1
                continue
            # We keep only hashes of private links, so each reminder carries a new one.
            token = registrations().new_link(event, registration.id)
            if event_emails.send(registrations().store, "reminder", event, registration, standing, token):
                result.sent += 1
            else:
                registrations().unmark_reminded(event, registration.id)
                result.failed += 1
    return result
