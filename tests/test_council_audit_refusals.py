"""What the audit log once missed: refusals. A viewer's 403, a post without its CSRF token, a sign-in link that
cannot be used, evidence ZIP pages and lists, another officer's job, and the API's every answer but a 200; each
recorded with the viewer's address the pages use."""

import pytest

from functions.council import audit
from functions.exports import jobs
from tests.council_api_client import issue_token
from tests.officer import ADMIN, VIEWER, OfficerBrowser, council_app_with_officers, emails_to, link_in, signed_in


@pytest.fixture
def app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


def recorded(store, action: str) -> list[dict]:
    return [entry for entry in audit.read(store, audit.keys_newest_first(store)) if entry["action"] == action]


def test_a_viewers_403_is_recorded(app, store, tmp_path):
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")
    assert viewer.client.get("/council/audit/").status_code == 403
    [entry] = recorded(store, "refused-not-allowed")
    assert (entry["who"], entry["subject"], entry["ip"]) == (VIEWER, "/council/audit/", "127.0.0.1")


def test_a_post_without_its_csrf_token_is_recorded(app, store, tmp_path):
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")
    response = viewer.client.post("/council/notifications", data={"notify_daily": "yes"})
    assert response.status_code == 400 and "Your form could not be sent" in response.get_data(as_text=True)
    stranger = app.test_client().post("/council/sign-in", data={"email": ADMIN})
    assert stranger.status_code == 400
    entries = recorded(store, "refused-csrf")
    assert {(e["who"], e["subject"]) for e in entries} == {(VIEWER, "/council/notifications"), ("anonymous", "/council/sign-in")}
    assert all(e["ip"] == "127.0.0.1" for e in entries)


def test_sign_in_links_that_cannot_be_used_are_recorded(app, store, tmp_path, clock):
    browser = OfficerBrowser(app.test_client(), tmp_path / "outbox")
    assert browser.client.get("/council/sign-in/made-up").status_code == 404
    browser.ask_for_link(VIEWER)
    link = link_in(emails_to(tmp_path / "outbox", VIEWER)[-1])
    clock.advance(minutes=16)
    assert browser.client.get(link).status_code == 410
    entries = recorded(store, "refused-sign-in-link")
    assert sorted((e["who"], e["details"]["reason"]) for e in entries) == [("anonymous", "unknown"), (VIEWER, "expired")]


def test_evidence_zip_pages_and_another_officers_job_are_recorded(app, store, tmp_path, clock):
    job = jobs.create_job(store, ADMIN, {}, [], clock())
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")
    assert viewer.client.get("/council/exports/jobs/").status_code == 200
    assert viewer.client.get(f"/council/exports/jobs/{job.id}/").status_code == 404
    assert viewer.client.get("/council/exports/jobs/nothing-here/").status_code == 404
    admin = signed_in(app, ADMIN, tmp_path / "outbox")
    assert admin.client.get(f"/council/exports/jobs/{job.id}/").status_code == 200
    assert [e["who"] for e in recorded(store, "viewed-evidence-zips")] == [VIEWER]
    assert [(e["who"], e["subject"]) for e in recorded(store, "viewed-evidence-zip")] == [(ADMIN, job.id)]
    refused = recorded(store, "refused-evidence-zip")
    assert sorted((e["subject"], e["details"]["reason"]) for e in refused) == sorted(
        [(job.id, "another officer's"), ("nothing-here", "not found")]
    )
    assert all(e["who"] == VIEWER and e["ip"] == "127.0.0.1" for e in refused)


def test_the_api_records_every_answer_not_only_its_200s(app, store):
    client = app.test_client()
    assert client.get("/council/api/submissions").status_code == 401
    token = issue_token(app, VIEWER)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/council/api/submissions?per_page=0", headers=headers).status_code == 400
    assert client.get("/council/api/submissions/readiness/SV-ZZZZ-ZZZZ", headers=headers).status_code == 404
    assert client.open("/council/api/submissions", method="TRACE", headers=headers).status_code == 405
    entries = recorded(store, "api.refused")
    assert sorted((e["who"], e["details"]["status"]) for e in entries) == [
        ("anonymous", 401),
        ("anonymous", 405),
        (VIEWER, 400),
        (VIEWER, 404),
    ]
    assert all(e["ip"] == "127.0.0.1" for e in entries)
