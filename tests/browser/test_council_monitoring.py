"""With JavaScript off, axe-core checks the pages that look across contracts: the returns page (filtered), totals,
a contract's KPI ratings (and its error state), the annual report, and the public report 'Social value delivered'
that the static site freezes (served here by the app, fed as build.py feeds it)."""

from datetime import date, datetime, timezone

import pytest
from playwright.sync_api import expect

from functions.contracts.monitoring import public_report_from
from functions.contracts.overrides import publish
from functions.storage import open_store
from portal import create_app
from portal.delivered import DELIVERED
from tests.conftest import CONTENT
from tests.contract_factory import contract, record, review, send
from tests.live_server import serving_app

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

ADMIN = "avery.admin@exampleshire.gov.uk"
Q1, Q2 = "2026-04-01--2026-06-30", "2026-07-01--2026-09-30"
TODAY = date(2026, 12, 5)


@pytest.fixture
def portal(built, tmp_path):
    storage = str(tmp_path / "storage")
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": lambda: datetime(2026, 12, 5, 10, tzinfo=timezone.utc),
        }
    )
    store = open_store(storage)
    highways = record(app, store, contract(commitments=(("LE01", "4.5", "quarterly"), ("WB06", "10", "quarterly"))))
    send(app, store, highways, Q1, {"LE01": "5", "WB06": "12"})
    review(app, store, highways, Q1, "accepted", {"LE01": "4", "WB06": "12"})
    send(app, store, highways, Q2, {"LE01": "4", "WB06": "9"})
    record(app, store, contract("Parks", "EXC-PARKS", supplier="Green Spaces Ltd", commitments=(("WB06", "20", "monthly"),)))
    publish(store, highways, True, ADMIN)
    app.extensions[DELIVERED] = lambda: public_report_from(store, app.extensions["portal.content"], TODAY)
    with serving_app(app) as base:
        yield app, base, highways


def test_the_monitoring_pages_pass_axe_with_javascript_off(portal, page_without_js, axe_page):
    app, base, highways = portal
    page = page_without_js
    link = app.test_cli_runner().invoke(args=["add-officer", ADMIN, "--role", "admin"]).output.strip().splitlines()[-1]
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Returns", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns")
    expect(page.get_by_text("Overdue: 7")).to_be_visible()
    assert violations(page, axe_page) == []
    page.get_by_label("Show").select_option("awaiting_review")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 return")).to_be_visible()
    assert violations(page, axe_page) == []

    page.get_by_role("link", name="Totals", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Totals")
    page.get_by_label("Financial year", exact=True).select_option("2026")
    page.get_by_role("button", name="Show totals").click()
    expect(page.get_by_role("heading", name="The financial year 2026 to 2027")).to_be_visible()
    assert violations(page, axe_page) == []

    page.goto(f"{base}/council/contracts/{highways}/ratings")
    expect(page.get_by_role("heading", level=1)).to_have_text("KPI ratings")
    assert violations(page, axe_page) == []
    page.get_by_role("group", name="Change the rating of LE01").get_by_label("Good").check()
    page.get_by_role("button", name="Save the rating of LE01").click()
    expect(page.get_by_role("link", name="Enter why you are changing the rating")).to_be_visible()
    assert violations(page, axe_page) == []

    page.get_by_role("link", name="Annual report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social value: annual report 2026 to 2027")
    assert violations(page, axe_page) == []

    page.goto(base + "/")
    page.get_by_role("link", name="Social value delivered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social value delivered")
    expect(page.get_by_text("Highways maintenance").first).to_be_visible()
    assert violations(page, axe_page) == []
