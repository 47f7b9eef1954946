"""Officers decide on Charter sign-ups (issue 20, item 2): admins approve, or decline with a reason; viewers read; the
applicant is emailed either way, an approval with the certificate PDF; every step is in the audit log."""

import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from functions.charter.signatories import Signatories
from functions.council import audit
from functions.storage import open_store

from .charter_people import OWN_PAGE, charter_app, emails_to, sign_up_and_confirm, text_of
from .officer import ADMIN, VIEWER, Clock, csrf, signed_in


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app(built, storage_url, outbox):
    return charter_app(built[1], storage_url, outbox)


def records(app) -> list[dict]:
    return Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).everyone()


def audit_actions(app) -> list[str]:
    store = open_store(app.config["PORTAL_STORAGE"])
    return [entry["action"] for entry in audit.read(store, audit.keys_newest_first(store))]


@pytest.fixture
def pending(app, outbox):
    sign_up_and_confirm(app.test_client(), outbox)
    return records(app)[0]["id"]


def test_officers_see_pending_sign_ups_and_the_details(app, outbox, pending):
    officer = signed_in(app, VIEWER, outbox)
    listing = officer.client.get("/council/charter/").get_data(as_text=True)
    assert "Green Firm 0 Ltd" in listing and "Waiting for a decision" in listing
    page = officer.client.get(f"/council/charter/{pending}/").get_data(as_text=True)
    assert "pat0@example.com" in page and "Save decision" not in page  # a viewer reads, and cannot decide
    assert (
        officer.post(
            f"/council/charter/{pending}/decide", {"decision": "approve"}, form_page=f"/council/charter/{pending}/"
        ).status_code
        == 403
    )
    assert records(app)[0]["status"] == "pending"
    assert {"viewed-charter-signatories", "viewed-charter-signatory"} <= set(audit_actions(app))


def test_approving_emails_the_certificate_and_a_private_link(app, outbox, pending):
    admin = signed_in(app, ADMIN, outbox)
    response = admin.post(f"/council/charter/{pending}/decide", {"decision": "approve"}, form_page=f"/council/charter/{pending}/")
    assert response.status_code == 303
    after = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The sign-up has been approved and they are on the register. We have emailed them to say so." in after
    record = records(app)[0]
    assert record["status"] == "approved" and record["by"] == ADMIN and record["joined_on"]
    message = emails_to(outbox, "pat0@example.com")[-1]
    assert "You have signed" in message["Subject"]
    [certificate] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certificate.get_content())).pages)
    assert "Green Firm 0 Ltd" in text and "Pat Person 0" in text
    assert OWN_PAGE.search(text_of(message))
    assert "approved-charter-sign-up" in audit_actions(app)


def test_declining_needs_a_reason_which_the_applicant_is_sent(app, outbox, pending):
    officer = signed_in(app, ADMIN, outbox)
    response = officer.post(
        f"/council/charter/{pending}/decide", {"decision": "decline", "reason": "  "}, form_page=f"/council/charter/{pending}/"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter the reason for declining" in html and 'href="#reason"' in html
    assert records(app)[0]["status"] == "pending"
    officer.post(
        f"/council/charter/{pending}/decide",
        {"decision": "decline", "reason": "Not based in Exampleshire"},
        form_page=f"/council/charter/{pending}/",
    )
    assert records(app)[0]["status"] == "declined"
    message = emails_to(outbox, "pat0@example.com")[-1]
    assert "Not based in Exampleshire" in text_of(message)
    assert "declined-charter-sign-up" in audit_actions(app)


def test_a_decision_is_made_once(app, outbox, pending):
    officer = signed_in(app, ADMIN, outbox)
    form_page = officer.client.get(f"/council/charter/{pending}/").get_data(as_text=True)
    token = csrf(form_page)
    first = officer.client.post(f"/council/charter/{pending}/decide", data={"decision": "approve", "csrf_token": token})
    second = officer.client.post(
        f"/council/charter/{pending}/decide", data={"decision": "decline", "reason": "x", "csrf_token": token}
    )
    assert first.status_code == 303 and second.status_code == 409
    assert [v["status"] for v in Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).history(pending)] == [
        "unconfirmed",
        "pending",
        "approved",
    ]


def test_an_admin_can_remove_a_signatory_with_a_reason(app, outbox, pending):
    officer = signed_in(app, ADMIN, outbox)
    officer.post(f"/council/charter/{pending}/decide", {"decision": "approve"}, form_page=f"/council/charter/{pending}/")
    response = officer.post(f"/council/charter/{pending}/remove", {"reason": ""}, form_page=f"/council/charter/{pending}/")
    assert response.status_code == 400 and "Enter the reason for removing them" in response.get_data(as_text=True)
    officer.post(
        f"/council/charter/{pending}/remove", {"reason": "Broke the commitments"}, form_page=f"/council/charter/{pending}/"
    )
    assert records(app)[0]["status"] == "removed"
    assert "Broke the commitments" in text_of(emails_to(outbox, "pat0@example.com")[-1])
    assert "removed-charter-signatory" in audit_actions(app)


def test_an_unknown_signatory_is_not_found(app, outbox):
    officer = signed_in(app, VIEWER, outbox)
    for address in ("/council/charter/0000000000000000/", "/council/charter/a%20b/", "/council/charter/" + "a" * 40 + "/"):
        assert officer.client.get(address).status_code == 404


@pytest.fixture
def admin(app, outbox):
    return signed_in(app, ADMIN, outbox)


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=st.dictionaries(
        st.sampled_from(["decision", "reason"]),
        st.one_of(st.sampled_from(["approve", "decline", ""]), st.text(max_size=1100)),
        max_size=2,
    )
)
def test_whatever_an_admin_posts_as_a_decision_gets_a_page_and_one_version_at_most(app, admin, pending, form):
    officer = admin
    before = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).history(pending)
    response = officer.post(f"/council/charter/{pending}/decide", form, form_page=f"/council/charter/{pending}/")
    after = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).history(pending)
    assert response.status_code in (303, 400, 409)
    assert len(after) == len(before) + (response.status_code == 303)
