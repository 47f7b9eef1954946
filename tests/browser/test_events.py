"""Registering for an event in real Chromium with JavaScript off, against the app as `make run` serves it.

From the home page to an upcoming event, a mistake and its error summary, registration, the calendar file,
cancelling through the private link, and the first person on the waiting list getting the place.
"""

import email
import re
from email import policy

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from functions.events.registrations import Registrations
from functions.storage import open_store
from tests.event_factory import content_with_events, details, make_app, upcoming_event

from .axe import axe_violations
from tests.live_server import serving_app

SLUG = "one-place-left"
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


@pytest.fixture
def axe_page(browser):
    """axe-core needs JavaScript (its promises wait on timers, which never fire with JavaScript off), so it runs in
    a second page that is given exactly the document the JavaScript-off page shows, at the same address."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def violations(page, axe_page) -> list[str]:
    html, address = SCRIPT.sub("", page.content()), page.url
    axe_page.route(
        lambda url: url == address, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
    )
    try:
        axe_page.goto(address)
    finally:
        axe_page.unroute_all()
    return axe_violations(axe_page)


@pytest.fixture(scope="module")
def portal(built, tmp_path_factory):
    """The site and the functions in one real server, on the file store, over an event with a single place."""
    root = tmp_path_factory.mktemp("events-journey")
    content = content_with_events(root, upcoming_event(SLUG, capacity=1), keep_samples=True)
    app = make_app(content, built[1], str(root / "storage"), root / "outbox", SESSION_COOKIE_SECURE=False, TESTING=False)
    with serving_app(app):
        yield app, root


def private_link_in_email(root, address: str) -> str:
    """The private link in the newest email to `address`: the only place it is given."""
    sent = sorted((root / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    for path in reversed(sent):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            return re.search(r"(http://\S+/register/[A-Za-z0-9_-]{20,}/)", message.get_body(("plain",)).get_content()).group(1)
    raise AssertionError(f"no email to {address}")


def fill_in(page, person: dict):
    page.get_by_label("Full name").fill(person["name"])
    page.get_by_label("Organisation name").fill(person["organisation"])
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Small (10 to 49 staff)").check()
    page.get_by_label("Your role").fill(person["role"])
    page.get_by_label("Access or dietary needs (optional)").fill("A seat near the front, please")


def test_register_download_the_calendar_cancel_and_the_next_person_gets_the_place(portal, page_without_js, axe_page):
    app, root = portal
    page = page_without_js
    base = app.config["PORTAL_BASE_URL"]

    page.goto(base + "/")
    page.get_by_role("link", name="Events for suppliers").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events for suppliers")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name=f"Test event {SLUG}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Test event {SLUG}")
    assert violations(page, axe_page) == []

    # A mistake first: the page comes back with an error summary and what was typed.
    page.get_by_label("Full name").fill("Ann Example")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_title(f"Error: Test event {SLUG} – Social value portal – Exampleshire Council")
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of your organisation")
    expect(page.get_by_label("Full name")).to_have_value("Ann Example")
    assert violations(page, axe_page) == []

    fill_in(page, details(1, name="Ann Example"))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert violations(page, axe_page) == []
    private_link = private_link_in_email(root, "person1@example.com")
    assert private_link.startswith(f"{base}/events/{SLUG}/register/")
    page.goto(private_link)  # from the confirmation email
    expect(page.get_by_role("heading", level=1)).to_have_text("You have a place")
    assert violations(page, axe_page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Add the event to your calendar (.ics file)").click()
    [event] = Calendar.from_ical(open(download.value.path(), "rb").read()).events
    assert event["UID"] == f"{SLUG}@127.0.0.1"

    # Registering again with the same address shows the same page, changes nothing, and emails the owner their link.
    page.goto(f"{base}/events/{SLUG}/")
    fill_in(page, details(1, name="Ann Example-Smith"))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # Someone else registers and, the event being full, waits.
    app.test_client().post(f"/events/{SLUG}/register", data=details(2))
    waiting_page = private_link_in_email(root, "person2@example.com")

    page.goto(private_link)  # as if from the confirmation email, later
    page.get_by_role("link", name="Cancel your place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to cancel your place?")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Yes, cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration has been cancelled")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have cancelled your registration")

    page.goto(waiting_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have a place")
    offers = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in (root / "outbox").glob("*.eml")]
    assert [m["To"] for m in offers if m["Subject"].startswith("A place has come up")] == ["person2@example.com"]
    registrations = Registrations(open_store(str(root / "storage")))
    event_model = app.extensions["portal.content"].event(SLUG)
    assert [(r.details["name"], s.status) for r, s, _ in registrations.everyone(event_model.slug)] == [
        ("Person 2", "confirmed"),
        ("Ann Example", "cancelled"),
    ]
