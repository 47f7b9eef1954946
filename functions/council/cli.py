"""Commands for whoever runs the portal: `flask --app portal add-officer`, `disable-officer`, `purge` and `notify-officers`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from .api_tokens import ApiTokens
from . import audit
from ..signin.links import SignInLinks
from .officers import ROLES, OfficerInvalid, Officers
from ..signin.sessions import Sessions
from .web import SESSIONS, SIGN_IN_LINKS, store


@click.command("add-officer")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="viewer",
    show_default=True,
    help="viewer: read and review submissions; admin: also read and download the audit log.",
)
@click.option("--base-url", help="The portal's address for the link (default: PORTAL_BASE_URL), e.g. http://127.0.0.1:8000")
@with_appcontext
def add_officer(email, role, base_url):
    """Let EMAIL sign in to the council pages, and print a single-use sign-in link (valid for 15 minutes)."""
    try:
        officer = Officers(store()).add(email, role)
    except OfficerInvalid as invalid:
        raise click.BadParameter(str(invalid), param_hint="EMAIL") from None
    audit.record(store(), "system", "added-officer", officer.email, "command line", {"role": officer.role})
    token = SignInLinks(store(), prefix=SIGN_IN_LINKS).issue(officer.email)
    from .signin_pages import link_for

    with current_app.test_request_context():
        link = link_for(token, base_url)
    click.echo(
        f"{officer.email} can sign in as {officer.role}. Their sign-in link works once, for 15 minutes;"
        " later they can ask for one on the sign-in page:"
    )
    click.echo(link)


@click.command("disable-officer")
@click.argument("email")
@with_appcontext
def disable_officer(email):
    """Stop EMAIL signing in to the council pages or using API tokens, and end their open sessions now."""
    officers = Officers(store())
    officer = officers.find(email)
    if officer is None:
        raise click.ClickException(
            f"There is no council officer with the email address {email}. Check the address; nothing was changed."
        )
    was_disabled = officer.disabled
    if not was_disabled:
        officer = officers.change(officer, disabled=True)
    ended = Sessions(store(), prefix=SESSIONS).end_all(officer.email)
    revoked = ApiTokens(store()).revoke_all(officer.email)
    audit.record(
        store(),
        "system",
        "disabled-officer",
        officer.email,
        "command line",
        {"already_disabled": was_disabled, "sessions_ended": ended, "api_tokens_revoked": revoked},
    )
    click.echo(
        f"{officer.email} was already disabled."
        if was_disabled
        else f"Disabled {officer.email}: they can no longer sign in or use their API tokens."
    )
    click.echo(f"Revoked {len(revoked)} API token{'' if len(revoked) == 1 else 's'} for good: adding them again gives none back.")
    click.echo(
        f"Ended {ended} open session{'' if ended == 1 else 's'}. "
        f"To let them back in, run add-officer {officer.email} --role {officer.role}."
    )


@click.command("purge")
@with_appcontext
def purge():
    """Delete drafts, submissions (with their evidence), audit records and sign-in data past their retention periods."""
    from portal.clock import now

    from .retention import purge as run_purge

    result = run_purge(
        store(), now(), current_app.config["PORTAL_SUBMISSION_RETENTION_DAYS"], current_app.config["PORTAL_AUDIT_RETENTION_DAYS"]
    )
    click.echo(
        f"Deleted {result.drafts} drafts, {len(result.submissions)} submissions with {result.evidence_files} "
        f"evidence files, {result.audit_records} audit records, {result.short_lived} expired sign-in items and "
        f"{result.unconfirmed_sign_ups} Charter sign-ups never confirmed."
    )
    for reference in result.submissions:
        click.echo(f"Deleted submission {reference}")


@click.command("notify-officers")
@with_appcontext
def notify_officers():
    """Email each officer who asked for it the list of submissions sent yesterday (UK time)."""
    from portal.clock import now

    from .notifications import notify

    with current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"]):
        result = notify(store(), now())
    click.echo(
        f"{result.submissions} new submissions; sent {result.sent} emails, {result.already_sent} already sent, "
        f"{result.failed} failed."
    )
