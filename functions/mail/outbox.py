"""The durable outbox: every email the portal sends is first stored, write-once, then delivered by a sender.

Keys, under `outbox/`:
- `pending/<id>.eml`: the message as it will be sent, written once when it is posted;
- `attempts/<id>/<n>.json`: attempt n's claim, written once, so two senders never deliver the same message at once;
- `attempts/<id>/<n>-failed.json`: why attempt n failed and when the next may start (back-off, doubling to an hour);
- `sent/<id>.json`: that it was delivered, written once; then the pending message and its attempts are deleted, so
  no copy of a private link outlives its delivery.

`post` stores a message and tries it once at once, so a working transport delivers within the request; a failure
leaves it pending for the sender (`deliver_due`: `flask --app portal send-email`, `make run`'s background thread, and
the scheduled `email_sender` function in AWS). A message is never given up on.

Never sent twice: a message is delivered only by the sender that created its attempt's claim, and one that has a
`sent` record (checked again after claiming) is never tried again. A sender that dies, or cannot write `sent`,
between handing a message over and recording it leaves a claim without an outcome; after CLAIM_EXPIRES that attempt
counts as failed and the message is tried again, so that (and only that) can deliver a message twice.
"""

import email
import email.policy
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import click
from flask.cli import with_appcontext

from portal.clock import now as clock_now

from . import mailer
from ..storage import AlreadyExists, NotFound, StorageError, Store, app_store

__all__ = ["CLAIM_EXPIRES", "Delivered", "deliver_due", "pending", "post", "retry_after", "send_email", "start_sender"]

PREFIX = "outbox/"
CLAIM_EXPIRES = timedelta(minutes=15)  # well past a Lambda's 5-minute timeout and SMTP's 10-second one
_STAMP = "%Y%m%dT%H%M%S%fZ"
log = logging.getLogger(__name__)


@dataclass
class Delivered:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # failed earlier and not due again yet, or being sent by another sender


def retry_after(attempt: int) -> timedelta:
    """One minute after the first failure, doubling each time, never more than an hour."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))


def post(
    store: Store, message: EmailMessage, *, send_now: bool = True, setting: str | None = None, now: datetime | None = None
) -> str:
    """Store `message` for delivery and return its id; unless `send_now` is False, try to deliver it at once.

    Once this returns the message will be delivered, now or by the sender later. It raises only if the message
    could not be stored (a StorageError), and then nothing was stored. Inside an app, `setting` and `now` default
    to its PORTAL_EMAIL and its clock.
    """
    setting, now = _from_app(setting, now)
    message_id = f"{now.astimezone(timezone.utc).strftime(_STAMP)}-{secrets.token_hex(8)}"
    store.create(f"{PREFIX}pending/{message_id}.eml", message.as_bytes(), content_type="message/rfc822")
    if send_now:
        try:
            _deliver(store, setting, message_id, now)
        except StorageError:  # stored, so the sender will deliver it
            log.exception("Stored email %s; it will be sent by the next run of the sender", message_id)
    return message_id


def pending(store: Store) -> list[str]:
    """The ids of the messages not yet delivered, oldest first."""
    return sorted(
        key[len(PREFIX) + len("pending/") : -len(".eml")] for key in store.keys(f"{PREFIX}pending/") if key.endswith(".eml")
    )


def deliver_due(store: Store, setting: str | None = None, now: datetime | None = None) -> Delivered:
    """Try every pending message that is due; safe to run twice, and beside other senders."""
    setting, now = _from_app(setting, now)
    result = Delivered()
    for message_id in pending(store):
        outcome = _deliver(store, setting, message_id, now)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _from_app(setting: str | None, at: datetime | None) -> tuple[str, datetime]:
    from flask import current_app, has_app_context

    if not setting and not has_app_context():
        raise ValueError("Name the transport (PORTAL_EMAIL) when no app is running")
    return setting or current_app.config["PORTAL_EMAIL"], at or clock_now()


def _deliver(store: Store, setting: str, message_id: str, now: datetime) -> str:
    """Deliver one message if it is due and no one else is at it: 'sent', 'failed' or 'waiting'."""
    if store.keys(f"{PREFIX}sent/{message_id}.json"):
        _tidy(store, message_id)  # a sender stopped between writing `sent` and tidying up
        return "waiting"
    try:
        attempt = _next_attempt(store, message_id, now)
        if attempt is None:
            return "waiting"
        store.create_json(f"{PREFIX}attempts/{message_id}/{attempt}.json", {"claimed_at": now.isoformat()})
        # Another sender may have delivered it and tidied its claims away between our look and our claim.
        if store.keys(f"{PREFIX}sent/{message_id}.json"):
            _tidy(store, message_id)
            return "waiting"
        data = store.read(f"{PREFIX}pending/{message_id}.eml")
    except (AlreadyExists, NotFound):  # another sender claimed it, or delivered it and tidied up
        return "waiting"
    try:
        mailer.send(setting, email.message_from_bytes(data, policy=email.policy.default))
    except mailer.EmailFailed as failure:
        log.warning("Could not send email %s (attempt %d): %s", message_id, attempt, failure)
        store.create_json(
            f"{PREFIX}attempts/{message_id}/{attempt}-failed.json",
            {"error": str(failure)[:500], "retry_at": (now + retry_after(attempt)).isoformat()},
        )
        return "failed"
    try:
        store.create_json(f"{PREFIX}sent/{message_id}.json", {"sent_at": now.isoformat(), "attempts": attempt})
    except AlreadyExists:
        pass
    _tidy(store, message_id)
    return "sent"


def _next_attempt(store: Store, message_id: str, now: datetime) -> int | None:
    """The number of the attempt to make now, or None while the last attempt is running or its back-off lasts."""
    names = {key.rsplit("/", 1)[1] for key in store.keys(f"{PREFIX}attempts/{message_id}/")}
    claims = sorted(int(name[: -len(".json")]) for name in names if name[: -len(".json")].isdigit())
    if not claims:
        return 1
    last = claims[-1]
    if f"{last}-failed.json" in names:
        due = datetime.fromisoformat(store.read_json(f"{PREFIX}attempts/{message_id}/{last}-failed.json")["retry_at"])
    else:
        due = datetime.fromisoformat(store.read_json(f"{PREFIX}attempts/{message_id}/{last}.json")["claimed_at"]) + CLAIM_EXPIRES
    return last + 1 if now >= due else None


def _tidy(store: Store, message_id: str) -> None:
    """Delete a delivered message and its attempts (the `sent` record stays); a failure here is tidied next run."""
    try:
        # The message first: a sender that lists no claims after this finds nothing to send.
        for key in [f"{PREFIX}pending/{message_id}.eml", *store.keys(f"{PREFIX}attempts/{message_id}/")]:
            store.delete(key)
    except StorageError:
        log.warning("Could not tidy up sent email %s; the next run will", message_id)


@click.command("send-email")
@with_appcontext
def send_email():
    """Deliver every stored email that is due (PORTAL_EMAIL says how). Safe to run twice, or beside `make run`."""

    result = deliver_due(app_store())
    click.echo(
        f"Sent {result.sent}, failed {result.failed} (to try again later), waiting {result.waiting}; "
        f"{len(pending(app_store()))} still to send"
    )


def start_sender(app, every_seconds: float) -> threading.Event:
    """`make run`'s sender: a daemon thread that delivers what is due every `every_seconds`, until the returned
    event is set."""
    stop = threading.Event()

    def run():
        while not stop.wait(every_seconds):
            try:
                with app.app_context():
                    deliver_due(app_store(app))
            except Exception:  # a storage outage must not stop the thread; the next round tries again
                log.exception("The email sender's round failed")

    threading.Thread(target=run, name="email-sender", daemon=True).start()
    return stop
