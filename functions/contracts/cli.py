"""`flask --app portal rebuild-contract-summaries`: every contract's summary made again from its records;
`flask --app portal chase-returns`: today's reminders about returns due and overdue."""

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.clock import now, uk_today

from ..storage import app_store
from .summaries import rebuild_all


@click.command("rebuild-contract-summaries")
@with_appcontext
def rebuild_contract_summaries():
    """Make every contract's summary (what the council's contract pages read) again from its records."""
    count = rebuild_all(app_store(), current_app.extensions["portal.content"], uk_today())
    click.echo(f"Rebuilt the summaries of {count} contract{'' if count == 1 else 's'}.")


@click.command("chase-returns")
@with_appcontext
def chase_returns():
    """Email today's reminders (UK time) about returns due soon, due today and overdue, and tell contract managers
    of long-overdue ones. Safe to run more than once a day: each reminder is sent once."""
    from .chasing import chase

    result = chase(
        app_store(),
        current_app.extensions["portal.content"],
        uk_today(),
        now(),
        current_app.config["PORTAL_BASE_URL"].rstrip("/"),
    )
    click.echo(
        f"Looked at {result.contracts} contracts; sent {result.sent} reminder emails, "
        f"{result.already_sent} already sent, {result.failed} failed."
    )
