"""Commands for whoever runs the portal: `flask --app portal add-officer`, `purge` and `notify-officers`."""
import click
from flask import current_app
from flask.cli import with_appcontext

from . import audit
from .links import SignInLinks
from .officers import ROLES, OfficerInvalid, Officers
from .web import store


@click.command("add-officer")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True,
              help="viewer: read and review submissions; admin: also read and download the audit log.")
@with_appcontext
def add_officer(email, role):
    """Let EMAIL sign in to the council pages, and print a single-use sign-in link (valid for 15 minutes)."""
    try:
        officer = Officers(store()).add(email, role)
    except OfficerInvalid as invalid:
        raise click.BadParameter(str(invalid), param_hint="EMAIL") from None
    audit.record(store(), "system", "added-officer", officer.email, "command line", {"role": officer.role})
    token = SignInLinks(store()).issue(officer.email)
    with current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"]):
        from .signin import link_for

        link = link_for(token)
    click.echo(f"{officer.email} can sign in as {officer.role}. Their sign-in link works once, for 15 minutes;"
               " later they can ask for one on the sign-in page:")
    click.echo(link)
