"""The Charter journey in real Chromium with JavaScript off, against the app as `make run` serves it, on both stores:
sign up (a mistake first), confirm by the emailed link, an admin approves, the rebuilt register shows the signatory,
a year on the yearly update is asked for, two missed updates lapse them, they update, then leave. axe-core checks
every page on the way, error states included.
"""

import pytest
from playwright.sync_api import expect

from build import published_register
from functions.council.officers import Officers
from functions.storage import open_store
from portal import create_app
from portal.charter.pages import REGISTER
from tests.charter_people import OWN_PAGE, SUPPLIER_LINK, emails_to, link_in
from tests.conftest import CONTENT
from tests.live_server import serving_app
from tests.officer import Clock, next_email_to
from tests.officer import link_in as sign_in_link

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

ADMIN, APPLICANT = "avery.admin@exampleshire.gov.uk", "sam@meadow.example.com"


@pytest.fixture
def portal(built, storage_url, tmp_path):
    clock = Clock()
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": clock,
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )  # make run's sender too, as it has
    Officers(open_store(storage_url)).add(ADMIN, "admin")
    with serving_app(app):
        yield app, tmp_path / "outbox", clock
    app.extensions["portal.email_sender"].set()


def rebuild_register(app):
    """What `python build.py` freezes: the register read from storage as it stands on the app's clock."""
    app.extensions[REGISTER] = published_register(app)


def test_sign_up_confirm_approve_register_update_lapse_and_leave(portal, page_without_js, axe_page):
    app, outbox, clock = portal
    page, base = page_without_js, app.config["PORTAL_BASE_URL"]

    page.goto(base + "/")
    page.get_by_role("link", name="Social Value Charter").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social Value Charter")
    assert violations(page, axe_page) == []
    page.get_by_label("Organisation name").fill("Meadow Landscapes Ltd")
    page.get_by_label("Contact email address").fill("not an address")
    page.get_by_role("button", name="Sign the Charter").click()
    expect(page).to_have_title("Error: Social Value Charter – Social value portal – Exampleshire Council")
    expect(page.get_by_role("alert")).to_contain_text("Select the size of your organisation")
    expect(page.get_by_label("Organisation name")).to_have_value("Meadow Landscapes Ltd")
    assert violations(page, axe_page) == []

    page.get_by_label("Small (10 to 49 staff)").check()
    page.get_by_label("Facilities, cleaning and grounds").check()
    page.get_by_label("Website (optional)").fill("meadow.example.com")
    page.get_by_label("Full name of the person signing").fill("Sam Meadow")
    page.get_by_label("Their role").fill("Owner")
    page.get_by_label("Contact email address").fill(APPLICANT)
    page.get_by_label("Cut your carbon emissions").check()
    page.get_by_label("Pay fairly").check()
    page.get_by_label("Our statement").check()
    page.get_by_label("A short statement about why you are signing (optional)").fill("Greener grounds for everyone.")
    page.get_by_role("button", name="Sign the Charter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert violations(page, axe_page) == []

    page.goto(base + link_in(next_email_to(outbox, APPLICANT, 0)))
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email address is confirmed")
    assert violations(page, axe_page) == []

    # An admin signs in, finds the sign-up and approves it.
    page.goto(base + "/council/sign-in")
    page.get_by_label("Email address").fill(ADMIN)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(base + sign_in_link(next_email_to(outbox, ADMIN, 0)))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Charter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charter signatories")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name="Meadow Landscapes Ltd").click()
    page.get_by_role("button", name="Save decision").click()  # nothing chosen: an error
    expect(page.get_by_role("alert")).to_contain_text("Select whether to approve or decline the sign-up")
    assert violations(page, axe_page) == []
    page.get_by_label("Approve: they join the register and get their certificate").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("main")).to_contain_text("Signatory")
    assert violations(page, axe_page) == []

    # The rebuilt register shows them, filtered too, without their email address.
    rebuild_register(app)
    page.goto(base + "/")
    page.get_by_role("link", name="Charter signatories").click()
    expect(page.get_by_role("main")).to_contain_text("Meadow Landscapes Ltd")
    assert violations(page, axe_page) == []
    page.get_by_role("link", name="Pay fairly").click()
    expect(page.get_by_role("main")).to_contain_text("Meadow Landscapes Ltd")
    page.get_by_role("link", name="Medium (50 to 249 staff)").click()
    expect(page.get_by_role("main")).to_contain_text("No signatories match this filter.")
    page.get_by_role("link", name="Show every signatory").click()
    page.get_by_role("link", name="Meadow Landscapes Ltd").click()
    expect(page.get_by_role("main")).to_contain_text("Greener grounds for everyone.")
    assert APPLICANT not in page.content()
    page.get_by_role("button", name="Send your concern").click()  # nothing typed: an error
    expect(page.get_by_role("alert")).to_contain_text("Enter your concern")
    assert violations(page, axe_page) == []

    # A year on, the round asks for an update; two missed in a row and they lapse.
    clock.advance(days=366)
    assert "asked: 1" in app.test_cli_runner().invoke(args=["charter-reminders"]).output
    clock.advance(days=366 + 61)
    assert "lapsed: 1" in app.test_cli_runner().invoke(args=["charter-reminders"]).output
    rebuild_register(app)
    page.goto(base + "/charter/register/")
    expect(page.get_by_role("main")).to_contain_text("Nobody has signed the Charter yet.")

    # The yearly email's link leads, by the supplier sign-in, to their own page.
    own = base + link_in(emails_to(outbox, APPLICANT)[-1], OWN_PAGE)
    page.goto(own)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your supplier pages")
    page.get_by_label("Email address").fill(APPLICANT)
    known = len(emails_to(outbox, APPLICANT))
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(base + link_in(next_email_to(outbox, APPLICANT, known), SUPPLIER_LINK))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(own)
    expect(page.get_by_role("main")).to_contain_text("Lapsed: give an update to return to the register")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Send your update").click()  # nothing typed: an error each
    expect(page.get_by_role("alert")).to_contain_text("Enter your progress on ‘Pay fairly’")
    assert violations(page, axe_page) == []
    page.get_by_label("Pay fairly").fill("Everyone is on the Real Living Wage.")
    page.get_by_label("Cut your carbon emissions").fill("Electric mowers since March.")
    page.get_by_role("button", name="Send your update").click()
    expect(page.get_by_role("main")).to_contain_text("we have your update")
    rebuild_register(app)
    page.goto(base + "/charter/register/")
    expect(page.get_by_role("main")).to_contain_text("Meadow Landscapes Ltd")

    # They leave from their page, and the rebuilt register no longer has them.
    page.goto(own)
    page.get_by_role("link", name="Leave the Charter").click()
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Leave the Charter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have left the Charter")
    assert violations(page, axe_page) == []
    rebuild_register(app)
    page.goto(base + "/charter/register/")
    expect(page.get_by_role("main")).to_contain_text("Nobody has signed the Charter yet.")
