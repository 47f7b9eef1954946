"""An officer with an API token, as an administrator would set one up, for the council API's tests."""

import hashlib

from portal import create_app

from .conftest import CONTENT

OFFICER = "Procurement.Officer@exampleshire.gov.uk"


def put_officer(store, email=OFFICER, disabled=False, version=1):
    """An officer record as the council pages store it: newest version wins."""
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    store.create_json(
        f"officers/{digest}/{version:06d}.json",
        {
            "email": email.lower(),
            "role": "viewer",
            "created_at": "2026-11-01T09:00:00+00:00",
            "disabled": disabled,
            "notify_daily": False,
        },
    )


def api_app(storage_url, built):
    return create_app(
        {"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": storage_url},
        functions=("council_api",),
    )


def issue_token(app, email=OFFICER):
    """Run `flask --app portal issue-api-token EMAIL`; the token is on the last line."""
    result = app.test_cli_runner().invoke(args=["issue-api-token", email])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]
