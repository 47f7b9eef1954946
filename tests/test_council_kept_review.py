"""A review typed as the session runs out is kept on the server for that officer, and put back in the form on the
submission's page once they have signed in again; no one else sees it, and it comes back once."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from functions.storage import open_store
from tests.officer import ADMIN, VIEWER, council_app_with_officers, emails_to, link_in, send_submission, signed_in


@pytest.fixture
def app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


def sign_in_again(officer, address, sign_in_page):
    """Sign in from the page the officer was sent to, as a person would: its form carries where to go next."""
    query = parse_qs(urlsplit(sign_in_page).query)
    officer.post("/council/sign-in", {"email": address, "next": query["next"][0]}, form_page=sign_in_page)
    return officer.use_link(link_in(emails_to(officer.outbox, address)[-1]))


def test_a_review_posted_after_the_session_ran_out_is_kept_and_put_back(app, storage_url, tmp_path, clock):
    store = open_store(storage_url)
    reference = send_submission(app, store, clock=clock)
    page = f"/council/submissions/readiness/{reference}/"
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")
    form = viewer.client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    clock.advance(minutes=31)
    posted = viewer.client.post(
        f"{page}status", data={"csrf_token": token, "status": "needs-follow-up", "note": "Ask for the 2025 carbon plan"}
    )
    assert posted.status_code == 302
    sign_in_page = posted.headers["Location"]
    assert store.keys(f"reviews/readiness/{reference}/") == []  # nothing saved as a review yet
    shown = viewer.client.get(sign_in_page).get_data(as_text=True)
    assert "We kept the review you were saving" in shown

    back = sign_in_again(viewer, VIEWER, sign_in_page)
    assert back.status_code == 303 and urlsplit(back.headers["Location"]).path == page
    restored = viewer.client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Your review has not been saved yet" in restored
    assert re.search(r'value="needs-follow-up" checked', restored)
    assert "Ask for the 2025 carbon plan</textarea>" in restored
    again = viewer.client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Ask for the 2025 carbon plan" not in again  # put back once; saving it is the officer's choice


def test_a_kept_review_is_only_for_the_officer_who_typed_it(app, storage_url, tmp_path, clock):
    store = open_store(storage_url)
    reference = send_submission(app, store, clock=clock)
    page = f"/council/submissions/readiness/{reference}/"
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")
    token = re.search(r'name="csrf_token" value="([^"]+)"', viewer.client.get(page).get_data(as_text=True)).group(1)
    clock.advance(minutes=31)
    viewer.client.post(f"{page}status", data={"csrf_token": token, "status": "accepted", "note": "Private draft"})
    admin = signed_in(app, ADMIN, tmp_path / "outbox")
    assert "Private draft" not in admin.client.get(f"{page}?kept=1").get_data(as_text=True)
    clock.advance(hours=3)  # and it is short-lived
    viewer.sign_in(VIEWER)
    assert "Private draft" not in viewer.client.get(f"{page}?kept=1").get_data(as_text=True)
