"""Chasing returns: each day, for every contract, the reminders the core's chasing plan says are due (due soon,
due today, weekly while overdue, and the contract manager told), each emailed once through the outbox.

It reads only the contracts' kept summaries (decision 14): the contract, and which periods have a return sent.
Each reminder's email to each recipient has a write-once marker, `chasing/<contract_id>/<period id>/<kind>/<hash of
the address>.json`, made before the email is posted, so a second run (a retry, or two machines) sends nothing
twice. If the email cannot be stored its marker is removed, so that the next run tries it again (and only it);
the plan catches up a missed day (except "due today").
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template

from portal.contracts import KINDS, chasing_plan
from portal.dates import uk_date

from ..mail import mailer, outbox
from ..storage import AlreadyExists, NotFound, StorageError, Store
from . import summaries
from .monitoring import every_summary
from .records import deserialise

PREFIX = "chasing/"


@dataclass
class Chased:
    contracts: int = 0
    sent: int = 0  # emails posted now, one per reminder and recipient
    already_sent: int = 0  # emails an earlier run posted
    failed: int = 0
    emails: list = field(default_factory=list)  # (reminder key, recipient), for the log and the tests


def marker_key(reminder_key: str, recipient: str) -> str:
    """One marker per reminder and recipient, so that an email that failed is tried again without repeating the
    ones that went; the address is hashed, never kept in a key."""
    return f"{PREFIX}{reminder_key}/{hashlib.sha256(recipient.lower().encode()).hexdigest()[:32]}.json"


def chase(store: Store, content, today: date, now: datetime, base_url: str) -> Chased:
    """Send the reminders due on `today` (a UK day). Needs an app context (for the email templates)."""
    result = Chased()
    settings, due_days = content.contracts.chasing, content.contracts.return_due_days
    sender = content.site.council.contact_email
    for summary in every_summary(store):
        result.contracts += 1
        contract_id, contract = summary["contract_id"], deserialise(summary["contract"])
        sent = {s["period"].id for s in summaries.schedule(summary, today) if s["sent_version"]}
        for reminder in chasing_plan(contract, contract_id, sent, settings, due_days, today):
            for recipient in reminder.recipients:
                marker = marker_key(reminder.key, recipient)
                try:
                    store.create_json(marker, {"at": now.isoformat(), "kind": reminder.kind})
                except AlreadyExists:
                    result.already_sent += 1
                    continue
                try:
                    _post(store, sender, recipient, reminder, contract, contract_id, content, base_url)
                    result.sent += 1
                    result.emails.append((reminder.key, recipient))
                except mailer.NotAnAddress:  # no later run could send it either, so the marker stays
                    current_app.logger.warning("A reminder for contract %s has an address that cannot be sent to", contract_id)
                    result.failed += 1
                except StorageError:
                    current_app.logger.exception("Could not store a reminder for contract %s", contract_id)
                    try:
                        store.delete(marker)  # the next run tries again
                    except (NotFound, StorageError):
                        pass
                    result.failed += 1
    return result


def _post(store, sender, recipient, reminder, contract, contract_id, content, base_url) -> None:
    period = reminder.period
    link = (
        f"{base_url}/council/contracts/{contract_id}/"
        if reminder.kind == "escalate"
        else f"{base_url}/supplier/contracts/{contract_id}/"
    )
    body = render_template(
        "contracts/chasing_email.txt",
        kind=reminder.kind,
        contract=contract,
        period_from=uk_date(period.start),
        period_to=uk_date(period.end),
        due=uk_date(period.due),
        days_overdue=reminder.days_overdue,
        link=link,
        site=content.site,
    )
    subject = f"{KINDS[reminder.kind]}: {contract.title} ({contract.reference})"
    outbox.post(store, mailer.compose(sender, recipient, subject, body))
