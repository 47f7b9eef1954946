"""Where the Charter's emailed links point. The confirmation link is the Charter's own (it confirms an address typed
into a form); a signatory's own page is a supplier page, reached by the supplier sign-in (DESIGN.md decision 13)."""

from flask import current_app

from .emails import absolute


def confirm_link(token: str) -> str:
    return absolute("charter.confirm", token=token)


def own_page_link(signatory_id: str) -> str:
    """Written out: the Charter function and its schedule have no supplier routes. Signing in leads back to it."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + f"/supplier/charter/{signatory_id}/"
