"""Scheduled event email: the day-before reminder, places freed by more capacity, and each change to an event.

`send_reminders` emails everyone with a confirmed place at an event that starts tomorrow (UK time); a schedule runs
it each morning. `check_events` runs every 15 minutes: when the council raises an event's capacity in content, the
first people waiting get the new places, in order, and an email; and when it adds an `updates:` entry, everyone with
a place or on the waiting list who registered before the change is emailed once, with the new calendar entry.

Write-once markers ('reminded', 'changes') make a second run, or a retried one, send nothing twice; if an email
cannot be stored, its marker is removed so that the next run tries again. Both run as
`flask --app portal send-reminders` too.
"""

from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.events.model import starting_tomorrow
from portal.clock import now as clock

from . import emails as event_emails
from .registrations import app_registrations as registrations


@dataclass
class RemindersSent:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


@dataclass
class EventsChecked:
    promoted: int = 0
    told_of_changes: int = 0
    already_told: int = 0
    failed: int = 0


def send_reminders(now=None) -> RemindersSent:
    """Needs an app context and a request context (for the private links); returns what happened."""
    now = now or clock()
    result = RemindersSent()
    for event in starting_tomorrow(current_app.extensions["portal.content"].events, now):
        for registration, standing, reminded in registrations().everyone(event.slug):
            if standing.status != "confirmed":
                continue
            if reminded:
                result.already_sent += 1
                continue
            outcome = _email_once(
                "reminder", event, registration, standing, registrations().mark_reminded, registrations().unmark_reminded
            )
            result.sent += outcome == "sent"
            result.already_sent += outcome == "already"
            result.failed += outcome == "failed"
    return result


def check_events(now=None) -> EventsChecked:
    """For every event still to start: give free places to those waiting, and tell people of its latest change."""
    now = now or clock()
    result = EventsChecked()
    for event in current_app.extensions["portal.content"].events:
        if now >= event.starts:
            continue
        # Settling gives each free place (more capacity, or a cancellation whose request stopped short) in order.
        promoted = registrations().places.settle(event.slug, event.capacity, now)
        event_emails.email_the_promoted(registrations(), event, [registrations().get(event, r) for r in promoted])
        result.promoted += len(promoted)
        if event.updates and not registrations().change_told(event):
            _tell_of_change(event, result)
    return result


def _tell_of_change(event, result: EventsChecked) -> None:
    changed_at = event.updates[-1].at
    failed = result.failed
    for registration, standing, _ in registrations().everyone(event.slug):
        if standing.status not in ("confirmed", "waiting") or _as_time(registration.created_at) >= changed_at:
            continue  # cancelled, or registered after the change and so saw it already
        outcome = _email_once(
            "changed", event, registration, standing, registrations().mark_told_of_change, registrations().unmark_told_of_change
        )
        result.told_of_changes += outcome == "sent"
        result.already_told += outcome == "already"
        result.failed += outcome == "failed"
    if result.failed == failed:
        registrations().change_told(event, done=True)  # later runs need not read every registration again


def _email_once(kind: str, event, registration, standing, mark, unmark) -> str:
    """Email `registration` once about `kind`, guarded by a write-once marker: "sent", "already" (another run
    marked it first) or "failed" (the marker is taken back, so the next run tries again)."""
    if not mark(event, registration.id):
        return "already"
    # We keep only hashes of private links, so each email carries a new one.
    token = registrations().new_link(event, registration.id)
    if event_emails.send(registrations().store, kind, event, registration, standing, token):
        return "sent"
    unmark(event, registration.id)
    return "failed"


def _as_time(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def run_schedule(reminders: bool) -> dict:
    """What the schedules run; needs an app context and a request context."""
    from dataclasses import asdict

    done = {"checked": asdict(check_events())}
    if reminders:
        done["reminders"] = asdict(send_reminders())
    return done


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Email tomorrow's reminders, places freed by more capacity, and changes to events. Safe to run twice."""
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["PORTAL_BASE_URL"]):  # for the private links
        done = run_schedule(reminders=True)
    checked, reminded = done["checked"], done["reminders"]
    click.echo(
        f"Reminders: sent {reminded['sent']}, already sent {reminded['already_sent']}, failed {reminded['failed']}. "
        f"Places given to people waiting: {checked['promoted']}. Told of changes: {checked['told_of_changes']}, "
        f"already told {checked['already_told']}, failed {checked['failed']}."
    )
