"""`flask --app portal rebuild-contract-summaries`: every contract's summary made again from its records."""
import click
from flask import current_app
from flask.cli import with_appcontext

from portal.clock import uk_today

from ..storage import app_store
from .summaries import rebuild_all


@click.command("rebuild-contract-summaries")
@with_appcontext
def rebuild_contract_summaries():
    """Make every contract's summary (what the council's contract pages read) again from its records."""
    count = rebuild_all(app_store(), current_app.extensions["portal.content"], uk_today())
    click.echo(f"Rebuilt the summaries of {count} contract{'' if count == 1 else 's'}.")
