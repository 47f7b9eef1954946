"""The daily email: each officer who opted in gets one list of the submissions sent the day before (UK time).

A write-once marker per officer per day, made before sending, means a retried or repeated run sends nothing twice;
if the email fails, the marker is removed so that the next run tries again.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app, render_template, url_for

from portal.dates import LONDON, uk_date

from ..mail import mailer

from ..mail import outbox
from ..storage import AlreadyExists, StorageError, Store
from . import submissions
from .officers import Officers, email_digest


@dataclass
class Notified:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    submissions: int = 0


def sent_on(summaries, day) -> list:
    """Submissions sent during `day`, a UK calendar day, oldest first."""
    start = datetime.combine(day, time(0), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(0), LONDON)
    return sorted((s for s in summaries if start <= datetime.fromisoformat(s.submitted_at) < end), key=lambda s: s.submitted_at)


def notify(store: Store, now: datetime) -> Notified:
    """Needs an app context and a request context (for the links to each submission)."""
    day = now.astimezone(LONDON).date() - timedelta(days=1)
    new = sent_on(submissions.summaries(store), day)
    result = Notified(submissions=len(new))
    if not new:
        return result
    site = current_app.extensions["portal.content"].site
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    links = [(s, base + url_for("council.submission", assessment_id=s.assessment_id, reference=s.reference)) for s in new]
    for officer in Officers(store).everyone():
        if not officer.notify_daily or officer.disabled:
            continue
        marker = f"council/notified/{day.isoformat()}/{email_digest(officer.email)}.json"
        try:
            store.create_json(marker, {"at": now.isoformat(), "submissions": len(new)})
        except AlreadyExists:
            result.already_sent += 1
            continue
        body = render_template(
            "council/daily_email.txt", day=day, links=links, site=site, settings=base + url_for("council.notifications")
        )
        subject = f"{len(new)} new submission{'s' if len(new) != 1 else ''} on {uk_date(day)}"
        try:
            outbox.post(store, mailer.compose(site.council.contact_email, officer.email, subject, body))
            result.sent += 1
        except mailer.NotAnAddress:  # no later run could send it either, so the marker stays
            current_app.logger.warning("No daily email for an officer whose address cannot be sent to")
            result.failed += 1
        except StorageError:
            current_app.logger.exception("Could not store a daily email")
            store.delete(marker)
            result.failed += 1
    return result
