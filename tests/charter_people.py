"""People using the Charter in tests: an applicant with the static page's form and their emails, and the set-up."""

import email
import re
from email import policy
from pathlib import Path

from tests.officer import ADMIN, Clock, OfficerBrowser, council_app_with_officers, signed_in

CONFIRM = re.compile(r"https?://[^/\s]+(/charter/confirm/[A-Za-z0-9_-]+)")
OWN_PAGE = re.compile(r"https?://[^/\s]+(/supplier/charter/[0-9a-f]+/)")
SUPPLIER_LINK = re.compile(r"https?://\S+?(/supplier/sign-in/[A-Za-z0-9_-]+)")


def sign_up_form(n: int = 0, **changes) -> dict:
    """What an applicant might type into the sign-up form."""
    return {
        "organisation": f"Green Firm {n} Ltd",
        "size": "small",
        "sector": "professional",
        "website": f"www.firm{n}.example.com",
        "name": f"Pat Person {n}",
        "role": "Director",
        "email": f"pat{n}@example.com",
        "commitments": ["local-jobs", "carbon"],
        "statement": "We care about Exampleshire.",
        "publish": ["statement"],
        **changes,
    }


def emails_to(outbox: Path, address: str) -> list:
    found = []
    for file in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(file.read_bytes(), policy=policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, pattern=CONFIRM) -> str:
    return pattern.search(text_of(message)).group(1)


def charter_app(assets, storage_url, outbox, clock=None, **config):
    return council_app_with_officers(assets, storage_url, outbox, clock or Clock(), "http://localhost", **config)


def sign_up_and_confirm(client, outbox, n: int = 0, **changes) -> str:
    """Sign up and confirm by the emailed link; returns the address."""
    form = sign_up_form(n, **changes)
    response = client.post("/charter/sign-up", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    confirm = link_in(emails_to(outbox, form["email"])[-1])
    page = client.get(confirm).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(confirm, data={"csrf_token": token}).status_code == 303
    return form["email"]


def approve(app, outbox, signatory_id: str):
    officer = signed_in(app, ADMIN, outbox)
    return officer.post(
        f"/council/charter/{signatory_id}/decide", {"decision": "approve"}, form_page=f"/council/charter/{signatory_id}/"
    )


def signatory_signed_in(app, outbox: Path, address: str) -> OfficerBrowser:
    """A signatory signed in to their supplier pages by the emailed link, as a person would be."""
    signatory = OfficerBrowser(app.test_client(), outbox)  # the same form-posting browser, on other pages
    assert signatory.post("/supplier/sign-in", {"email": address}).status_code == 303
    assert signatory.post(link_in(emails_to(outbox, address)[-1], SUPPLIER_LINK)).status_code == 303
    return signatory
