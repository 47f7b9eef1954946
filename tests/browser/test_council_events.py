"""An officer finds who registered for an event, in real Chromium with JavaScript off, and downloads the list.

axe-core checks the events list, an event's registrations, an event nobody has registered for yet, and the
registrations of an event taken out of the content.
"""

import csv
import io
from dataclasses import replace

import openpyxl
import pytest
from playwright.sync_api import expect

from functions.council.officers import Officers
from functions.events.registrations import Registrations
from functions.storage import open_store
from portal import create_app
from tests.event_factory import SAMPLE_NOW, content_with_events, details, upcoming_event
from tests.live_server import serving_app
from tests.officer import emails_to, link_in, next_email_to

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

OFFICER = "casey.officer@exampleshire.gov.uk"
HOSTILE = "=cmd|'/c calc'!A1"


@pytest.fixture(scope="module")
def portal(built, tmp_path_factory):
    """Every function and the site in one real server on the file store, with two events: one with registrations."""
    root = tmp_path_factory.mktemp("council-events")
    content = content_with_events(
        root,
        {
            **upcoming_event("meet-the-buyer", capacity=1, now=SAMPLE_NOW),
            **upcoming_event("quiet-event", days=40, now=SAMPLE_NOW),
        },
    )
    app = create_app(
        {
            "PORTAL_CONTENT": content,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(root / "storage"),
            "PORTAL_EMAIL": f"outbox:{root / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": lambda: SAMPLE_NOW,
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )  # make run's sender too
    store = open_store(str(root / "storage"))
    registrations = Registrations(store, clock=lambda: SAMPLE_NOW)
    event = app.extensions["portal.content"].event("meet-the-buyer")
    registrations.register(event, details(1, name="Priya Shah", organisation="Shah Landscapes Ltd"))
    registrations.register(event, details(2, name=HOSTILE, organisation="Waiting Firm Ltd"))
    registrations.register(replace(event, slug="old-market-day"), details(3, name="Omar Reid"))  # since removed
    Officers(store).add(OFFICER)
    with serving_app(app):
        yield app, root
    app.extensions["portal.email_sender"].set()


def test_officer_sees_who_registered_and_downloads_the_list(portal, page_without_js, axe_page):
    app, root = portal
    page = page_without_js
    base = app.config["PORTAL_BASE_URL"]
    page.goto(base + "/council/events/")  # not signed in: sign in first, then back here
    page.get_by_label("Work email address").fill(OFFICER)
    known = len(emails_to(root / "outbox", OFFICER))
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.goto(base + link_in(next_email_to(root / "outbox", OFFICER, known)))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    row = page.locator("tbody tr", has_text="Test event meet-the-buyer")
    expect(row).to_contain_text("1 of 1")
    expect(row.locator("td").last).to_have_text("1")
    assert violations(page, axe_page) == []

    page.get_by_role("link", name="Test event quiet-event").click()
    expect(page.get_by_text("Nobody has registered for this event yet.")).to_be_visible()
    assert violations(page, axe_page) == []

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Events").click()
    page.get_by_role("link", name="Test event meet-the-buyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test event meet-the-buyer")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Priya Shah")
    expect(rows.nth(0)).to_contain_text("Confirmed")
    expect(rows.nth(1)).to_contain_text(HOSTILE)
    expect(rows.nth(1)).to_contain_text("Waiting list")
    assert violations(page, axe_page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "meet-the-buyer-registrations-2026-11-23.csv"
    people = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert [(p["Full name"], p["Status"]) for p in people] == [("Priya Shah", "Confirmed"), ("'" + HOSTILE, "Waiting list")]

    with page.expect_download() as download:
        page.get_by_role("button", name="Spreadsheet (XLSX)").click()
    assert download.value.suggested_filename == "meet-the-buyer-registrations-2026-11-23.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert [row[6].value for row in sheet.iter_rows(min_row=2)] == ["Priya Shah", "'" + HOSTILE]
    expect(page.get_by_role("heading", level=1)).to_have_text("Test event meet-the-buyer")  # still on the page


def test_officer_finds_the_registrations_of_an_event_taken_off_the_website(portal, page_without_js, axe_page):
    app, root = portal
    page = page_without_js
    base = app.config["PORTAL_BASE_URL"]
    page.goto(base + "/council/events/")
    page.get_by_label("Work email address").fill(OFFICER)
    known = len(emails_to(root / "outbox", OFFICER))
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.goto(base + link_in(next_email_to(root / "outbox", OFFICER, known)))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=2, name="Events taken off the website")).to_be_visible()
    expect(page.locator("tbody tr", has_text="old-market-day").locator("td")).to_have_text("1")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name="old-market-day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("old-market-day")
    expect(page.locator("tbody tr")).to_contain_text("Omar Reid")
    assert violations(page, axe_page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "old-market-day-registrations-2026-11-23.csv"
    people = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert [(p["Full name"], p["Status"]) for p in people] == [("Omar Reid", "Confirmed")]
