"""The council pages on a 320 px phone with JavaScript off: the page never scrolls sideways, a wide table scrolls
in its own labelled box that the keyboard reaches, and axe-core finds nothing on any of them."""

from playwright.sync_api import expect

from functions.council.officers import Officers
from functions.exports import jobs
from functions.storage import open_store
from tests.officer import send_submission

from .test_council_session import PHONE, portal, sign_in  # noqa: F401  (portal is a fixture)
from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

ADMIN = "robin.admin@exampleshire.gov.uk"


def test_council_pages_fit_a_320px_phone_and_pass_axe(portal, page_without_js, axe_page):
    app, folder, clock, submission = portal
    base = app.config["PORTAL_BASE_URL"]
    store = open_store(str(folder / "storage"))
    Officers(store).add(ADMIN, "admin")
    send_submission(app, store, "A Very Long Organisation Name Limited Trading As Something Else Entirely", clock=clock)
    job = jobs.create_job(store, ADMIN, {}, [], clock())
    page = page_without_js
    page.set_viewport_size(PHONE)
    axe_page.set_viewport_size(PHONE)
    page.goto(base + "/council/submissions/")
    sign_in(page, base, folder / "outbox", ADMIN)
    event = app.extensions["portal.content"].events[0].slug
    for address in (
        "/council/submissions/",
        submission.removeprefix(base),
        "/council/audit/",
        "/council/events/",
        f"/council/events/{event}/",
        "/council/exports/jobs/",
        f"/council/exports/jobs/{job.id}/",
        "/council/notifications",
        "/council/submissions/?from=yesterday",
    ):
        page.goto(base + address)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
            address,
            page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 330)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + getComputedStyle(e).overflowX + ' ' + e.clientWidth + '/' + e.scrollWidth)"
            ),
        )
        for box in page.locator(".app-table-scroll").all():
            assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
            expect(box).to_have_accessible_name(box.locator("caption").inner_text())
        assert violations(page, axe_page) == [], address
    page.goto(base + "/council/submissions/")
    box = page.locator(".app-table-scroll").first
    box.focus()
    page.keyboard.press("ArrowRight")  # the keyboard scrolls the table, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
