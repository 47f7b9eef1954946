"""The council function's Lambda entries, fed API Gateway HTTP API (payload v2) events, and its pages' HTML."""

import subprocess
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from functions import handlers
from functions.exports import job_runs, jobs
from functions.council.officers import Officers
from functions.events.registrations import Registrations
from functions.storage import open_store
from portal import create_app

from .conftest import CONTENT
from .event_factory import PAST_HYBRID, SAMPLE_NOW, UPCOMING_IN_PERSON, details
from .lambda_client import LambdaClient
from .officer import OfficerBrowser, csrf, emails_to, link_in, send_submission
from .test_html_validity import VNU

OFFICER = "officer@exampleshire.gov.uk"


@pytest.fixture
def lambda_environment(built, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_STORAGE", str(tmp_path / "storage"))
    monkeypatch.setenv("PORTAL_ASSETS", str(built[1]))
    monkeypatch.setenv("PORTAL_CONTENT", str(CONTENT))
    monkeypatch.setenv("PORTAL_EMAIL", f"outbox:{tmp_path / 'outbox'}")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-test-key-that-is-long-enough-to-sign-cookies")
    monkeypatch.setattr(handlers, "_handlers", {})
    Officers(open_store(str(tmp_path / "storage"))).add(OFFICER)
    return tmp_path


def test_officer_signs_in_and_reads_submissions_through_the_lambda_entry(lambda_environment):
    client = LambdaClient(handlers.council)
    assert client.get("/council/submissions/").status_code == 302
    page = client.get("/council/sign-in")
    assert client.post("/council/sign-in", {"email": OFFICER, "csrf_token": csrf(page.get_data(as_text=True))}).status_code == 303
    # On Lambda the sign-in email is left to the scheduled sender (it runs every minute), so that how long the
    # answer took cannot tell an officer's address from a stranger's.
    assert emails_to(lambda_environment / "outbox", OFFICER) == []
    handlers.email_sender({}, None)
    path = link_in(emails_to(lambda_environment / "outbox", OFFICER)[-1])
    page = client.get(path)
    response = client.post(path, {"csrf_token": csrf(page.get_data(as_text=True))})
    assert response.status_code == 303
    listing = client.get("/council/submissions/")
    assert listing.status_code == 200 and "Signed in as officer@exampleshire.gov.uk" in listing.get_data(as_text=True)
    assert listing.headers["Cache-Control"] == "no-store"
    assert [c for c in client.cookies] == ["session"]


def test_scheduled_entries_purge_and_email(lambda_environment):
    store = open_store(str(lambda_environment / "storage"))
    officers = Officers(store)
    officers.change(officers.find(OFFICER), notify_daily=True)
    assert handlers.council_purge({}, None)["submissions"] == 0
    assert handlers.council_notifications({}, None) == {"sent": 0, "already_sent": 0, "failed": 0, "submissions": 0}


def test_council_pages_are_valid_html(built, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_EXPORT_JOBS": "s3-event",
        }
    )
    store = open_store(str(tmp_path / "storage"))
    Officers(store).add(OFFICER, "admin")
    reference = send_submission(app, store)
    event = app.extensions["portal.content"].event(UPCOMING_IN_PERSON)
    Registrations(store, clock=lambda: SAMPLE_NOW).register(event, details(1, name="<b>Ann</b> & =1+1"))
    removed = replace(event, slug="taken-off-the-website")  # an event since removed from content/
    Registrations(store, clock=lambda: SAMPLE_NOW).register(removed, details(2, name="<i>Bo</i>"))
    officer = OfficerBrowser(app.test_client(), tmp_path / "outbox")
    pages = {"sign-in": officer.client.get("/council/sign-in"), "sign-in-error": officer.ask_for_link("")}
    officer.sign_in(OFFICER)
    submission = f"/council/submissions/readiness/{reference}/"
    pages.update(
        {
            "list": officer.client.get("/council/submissions/"),
            "list-error": officer.client.get("/council/submissions/?from=soon"),
            "submission": officer.client.get(submission),
            "status-error": officer.post(f"{submission}status", {"status": "done"}, form_page=submission),
            "notifications": officer.client.get("/council/notifications"),
            "audit": officer.client.get("/council/audit/"),
            "events": officer.client.get("/council/events/"),
            "event": officer.client.get(f"/council/events/{event.slug}/"),
            "event-without-registrations": officer.client.get(f"/council/events/{PAST_HYBRID}/"),
            "event-removed": officer.client.get(f"/council/events/{removed.slug}/"),
        }
    )
    pages["zips-none"] = officer.client.get("/council/exports/jobs/")
    job_page = urlsplit(officer.post("/council/exports/evidence", form_page="/council/submissions/").headers["Location"]).path
    pages["zip-preparing"] = officer.client.get(job_page)
    job_runs.run_for_app(app, job_page.rstrip("/").rsplit("/", 1)[1])
    pages["zip-ready"] = officer.client.get(job_page)
    stalled = jobs.create_job(store, OFFICER, {"status": "new"}, [], datetime.now(timezone.utc) - timedelta(minutes=21))
    pages["zip-failed"] = officer.client.get(f"/council/exports/jobs/{stalled.id}/")
    pages["zips"] = officer.client.get("/council/exports/jobs/")
    assert "taken-off-the-website" in pages["events"].get_data(as_text=True)
    assert "&lt;i&gt;Bo&lt;/i&gt;" in pages["event-removed"].get_data(as_text=True)
    assert [pages[p].status_code for p in ("zip-preparing", "zip-ready", "zip-failed", "zips-none", "zips")] == [200] * 5
    assert "Nobody has asked" in pages["zips-none"].get_data(as_text=True) and "<table" in pages["zips"].get_data(as_text=True)
    folder = tmp_path / "html"
    folder.mkdir()
    for name, response in pages.items():
        (folder / f"{name}.html").write_bytes(response.get_data())
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
