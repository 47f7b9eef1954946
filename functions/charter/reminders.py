"""The Charter's yearly round: on each anniversary of joining, email the signatory a private link for their update;
when they have missed `missed_before_lapsing` in a row, tell officers once that they have lapsed.

Safe to run twice, or in two places at once: a write-once marker per signatory and anniversary is made before each
email, and removed if the email could not be stored, so the next run tries again (as functions/council/notifications.py
does). Runs as `flask --app portal charter-reminders` and as the scheduled `charter_reminders` function; needs an app
context and a request context, for the links.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.charter import yearly
from portal.clock import uk_today
from portal.dates import uk_date

from . import emails, links
from .signatories import Signatories


@dataclass
class Reminded:
    asked: int = 0
    lapsed: int = 0
    already: int = 0
    failed: int = 0


def run(found: Signatories, today: date, charter) -> Reminded:
    settings, result = charter.yearly_update, Reminded()
    for record in found.everyone():
        if record["status"] != "approved" or not record.get("joined_on"):
            continue
        joined = date.fromisoformat(record["joined_on"])
        updates = [date.fromisoformat(u["on"]) for u in found.updates(record["id"])]
        standing = yearly.standing(joined, updates, today, settings)
        if standing.update_due:
            _ask(found, record, joined, standing.reached, settings, result)
        if standing.lapsed:
            _tell_officers(found, record, standing, result)
    return result


def _ask(found, record, joined, anniversary, settings, result) -> None:
    if not found.mark("requested", record["id"], anniversary):
        result.already += 1
        return
    due_by = yearly.anniversary(joined, anniversary) + timedelta(days=settings.due_within_days)
    if emails.send(
        found.store,
        "update-due",
        record["details"]["email"],
        link=links.own_page_link(record["id"]),
        due_by=uk_date(due_by),
        missed_before_lapsing=settings.missed_before_lapsing,
    ):
        result.asked += 1
    else:
        found.unmark("requested", record["id"], anniversary)
        result.failed += 1


def _tell_officers(found, record, standing, result) -> None:
    if not found.mark("lapsed", record["id"], standing.reached):
        result.already += 1
        return
    if emails.to_officers(
        found.store,
        "lapsed",
        organisation=record["details"]["organisation"],
        missed=standing.missed,
        link=emails.council_link(f"{record['id']}/"),
    ):
        result.lapsed += 1
    else:
        found.unmark("lapsed", record["id"], standing.reached)
        result.failed += 1


def run_for_app() -> dict:
    from .signatories import app_signatories

    return asdict(run(app_signatories(), uk_today(), current_app.extensions["portal.content"].charter))


@click.command("charter-reminders")
@with_appcontext
def charter_reminders():
    """Email signatories whose yearly Charter update is due, and tell officers of any that have lapsed."""
    with current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"]):
        result = run_for_app()
    click.echo(", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in result.items()))
