"""The evidence ZIP in real Chromium with JavaScript off: the officer asks for it from the list, is told it is being
prepared, checks again until it is ready and downloads it; a ZIP that never comes is shown as failed, with a way to
try again. axe-core checks each state of the page. With JavaScript on, the page checks again by itself."""

import zipfile
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from functions.exports import job_runs
from functions.storage import open_store
from portal import create_app
from tests.conftest import CONTENT
from tests.live_server import serving_app
from tests.officer import Clock, send_submission
from tests.test_council_pages import with_evidence

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

VIEWER = "casey.officer@exampleshire.gov.uk"


@pytest.fixture
def portal(built, tmp_path):
    """The council pages served for real, with jobs left to run when the test says (as S3's event would start them)."""
    clock = Clock()
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": clock,
            "PORTAL_EXPORT_JOBS": "s3-event",
        }
    )
    with serving_app(app) as base:
        yield app, base, clock


def test_officer_waits_for_the_evidence_zip_then_downloads_it_with_javascript_off(portal, page_without_js, axe_page):
    app, base, clock = portal
    page = page_without_js
    store = open_store(app.config["PORTAL_STORAGE"])
    send_submission(app, store, "Brightside Catering Ltd", clock)
    reference = with_evidence(app, store, clock, "policy.pdf", "certificate.pdf")
    page.goto(app.test_cli_runner().invoke(args=["add-officer", VIEWER]).output.strip().splitlines()[-1])
    page.get_by_role("button", name="Sign in").click()

    # The council navigation leads to the officer's evidence ZIPs: none yet.
    page.get_by_role("navigation", name="Council pages").get_by_role("link", name="Evidence ZIPs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evidence ZIPs")
    expect(page.get_by_role("main")).to_contain_text("You have not asked for an evidence ZIP")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name="Back to submissions").click()

    page.get_by_role("button", name="Their evidence files (ZIP)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We are preparing your ZIP")
    expect(page.get_by_role("main")).to_contain_text("2 submissions with 2 evidence files")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We are preparing your ZIP")

    job_runs.run_for_app(app, urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[1])
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ZIP is ready")
    assert violations(page, axe_page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ZIP").click()
    assert download.value.suggested_filename.startswith("evidence-") and download.value.suggested_filename.endswith(".zip")
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert sorted(names) == sorted(
        [f"readiness/{reference}/001-policy.pdf", f"readiness/{reference}/002-certificate.pdf", "manifest.json"]
    )

    # An officer who closed the job's page finds the ZIP again on their evidence ZIPs page.
    page.get_by_role("link", name="See all your evidence ZIPs").click()
    table = page.get_by_role("table", name="1 evidence ZIP in the last 7 days")
    expect(table.get_by_role("row").nth(1)).to_contain_text("Ready")
    assert violations(page, axe_page) == []
    table.get_by_role("link", name="View").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ZIP is ready")

    # A second ZIP whose worker never reports back is shown as failed after 20 minutes, and can be asked for again.
    page.get_by_role("link", name="Back to submissions").click()
    page.get_by_role("button", name="Their evidence files (ZIP)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We are preparing your ZIP")
    clock.advance(minutes=21)
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not prepare your ZIP")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We are preparing your ZIP")
    page.get_by_role("link", name="See all your evidence ZIPs").click()
    rows = page.get_by_role("table", name="3 evidence ZIPs in the last 7 days").get_by_role("row")
    for number, state in enumerate(("Preparing", "Failed", "Ready"), 1):
        expect(rows.nth(number)).to_contain_text(state)
    assert violations(page, axe_page) == []


def test_with_javascript_the_page_shows_the_zip_is_ready_without_checking_again(portal, page):
    app, base, clock = portal
    store = open_store(app.config["PORTAL_STORAGE"])
    with_evidence(app, store, clock, "policy.pdf")
    page.goto(app.test_cli_runner().invoke(args=["add-officer", VIEWER]).output.strip().splitlines()[-1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Their evidence files (ZIP)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We are preparing your ZIP")

    job_runs.run_for_app(app, urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ZIP is ready", timeout=15000)
    expect(page.get_by_role("button", name="Download the ZIP")).to_be_visible()
