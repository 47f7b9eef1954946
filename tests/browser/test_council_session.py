"""Work that must not be lost when a session runs out, in real Chromium.

With JavaScript off, at 320 px: a review posted after the session ended is kept, and after signing in again the
officer is back on the submission with it in the form; axe-core checks each page. With JavaScript: two minutes
before the end the page warns, and "Stay signed in" works without leaving the page or losing what was typed.
"""

import pytest
from playwright.sync_api import expect

from functions.storage import open_store
from portal import create_app
from tests.conftest import CONTENT
from tests.live_server import serving_app
from tests.officer import Clock, emails_to, link_in, next_email_to, send_submission

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

OFFICER = "morgan.officer@exampleshire.gov.uk"
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def portal(built, tmp_path):
    clock = Clock()
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": clock,
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )  # make run's sender, as a backstop
    store = open_store(str(tmp_path / "storage"))
    reference = send_submission(app, store, "Northwind Haulage Ltd", clock=clock)
    from functions.council.officers import Officers

    Officers(store).add(OFFICER)
    with serving_app(app):
        yield app, tmp_path, clock, f"{app.config['PORTAL_BASE_URL']}/council/submissions/readiness/{reference}/"
    app.extensions["portal.email_sender"].set()  # stop make run's sender


def sign_in(page, base, outbox, email=OFFICER):
    page.get_by_label("Work email address").fill(email)
    known = len(emails_to(outbox, email))
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(base + link_in(next_email_to(outbox, email, known)))
    page.get_by_role("button", name="Sign in").click()


def test_a_review_typed_as_the_session_ends_comes_back_after_signing_in_again(portal, page_without_js, axe_page):
    app, folder, clock, submission = portal
    base = app.config["PORTAL_BASE_URL"]
    page = page_without_js
    page.set_viewport_size(PHONE)
    axe_page.set_viewport_size(PHONE)
    page.goto(submission)
    sign_in(page, base, folder / "outbox")
    expect(page).to_have_url(submission)
    page.get_by_role("link", name="Go to the review").click()
    page.get_by_label("Needs follow-up").check()
    page.get_by_label("Note (optional)").fill("Their 2025 carbon plan is missing scope 3")
    clock.advance(minutes=31)
    page.get_by_role("button", name="Save review status").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the council pages")
    expect(page.get_by_text("We kept the review you were saving")).to_be_visible()
    assert violations(page, axe_page) == []
    sign_in(page, base, folder / "outbox")
    expect(page).to_have_url(submission + "?kept=1")
    expect(page.get_by_text("Your review has not been saved yet")).to_be_visible()
    expect(page.get_by_label("Needs follow-up")).to_be_checked()
    expect(page.get_by_label("Note (optional)")).to_have_value("Their 2025 carbon plan is missing scope 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page never scrolls sideways
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Save review status").click()
    expect(page.get_by_text("Review status changed to Needs follow-up.")).to_be_visible()


def test_with_javascript_the_page_warns_two_minutes_before_and_stay_signed_in_keeps_the_page(portal, page):
    app, folder, clock, submission = portal
    base = app.config["PORTAL_BASE_URL"]
    page.clock.install()
    page.goto(submission)
    sign_in(page, base, folder / "outbox")
    page.get_by_label("Note (optional)").fill("Half-typed note")
    warning = page.get_by_role("alert").filter(has_text="We will sign you out in 2 minutes")
    expect(warning).to_be_hidden()
    page.clock.run_for("27:00")
    expect(warning).to_be_hidden()
    clock.advance(minutes=28, seconds=30)
    page.clock.run_for("01:30")
    expect(warning).to_be_visible()

    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    expect(page.get_by_label("Note (optional)")).to_have_value("Half-typed note")  # the page was not left
    clock.advance(minutes=20)  # 48 minutes after signing in, 20 after staying: still signed in
    page.get_by_role("button", name="Save review status").click()
    expect(page.get_by_text("Review status changed to New.")).to_be_visible()
