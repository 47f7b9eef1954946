"""flask --app portal issue-api-token EMAIL / revoke-api-token TOKEN_ID: an administrator's API token commands."""

import click
from flask.cli import with_appcontext

from ..council.api_tokens import ApiTokens, NoSuchOfficer, NoSuchToken
from .views import audit
from ..storage import app_store


def _tokens() -> ApiTokens:
    return ApiTokens(app_store())


@click.command("issue-api-token")
@click.argument("email")
@with_appcontext
def issue_api_token(email):
    """Issue an API token to the council officer with EMAIL. The token is shown once, on the last line."""
    tokens = _tokens()
    try:
        issued = tokens.issue(email)
    except NoSuchOfficer:
        raise click.ClickException(
            f"There is no council officer with the email address {email}, or they are disabled. "
            "Add them first with: flask --app portal add-officer EMAIL"
        ) from None
    audit(tokens.store, "command line", "api-token.issue", issued.id, None, {"email": email.strip().lower()})
    click.echo(f"Issued API token {issued.id} to {email}. Keep it secret: it is not stored and cannot be shown again.")
    click.echo(f"To revoke it: flask --app portal revoke-api-token {issued.id}")
    click.echo(issued.token)


@click.command("revoke-api-token")
@click.argument("token_id")
@with_appcontext
def revoke_api_token(token_id):
    """Revoke the API token TOKEN_ID for good."""
    tokens = _tokens()
    try:
        revoked = tokens.revoke(token_id)
    except NoSuchToken:
        raise click.ClickException(f"There is no API token with the id {token_id}") from None
    if revoked:
        audit(tokens.store, "command line", "api-token.revoke", token_id, None)
    click.echo(f"Revoked API token {token_id}." if revoked else f"API token {token_id} was already revoked.")
