"""The council journey in real Chromium with JavaScript off, against the app as `make run` serves it.

An officer made with add-officer signs in, finds a supplier's submission, marks it looked at, downloads its evidence
pack and the submissions as a spreadsheet, and signs out; an
admin signs in by asking for a link on the sign-in page and finds each of those steps in the audit log. axe-core
checks every council page on the way, error states included.
"""

import io
import zipfile
from urllib.parse import urlsplit

import openpyxl
import pytest
from playwright.sync_api import expect

from functions.council.officers import Officers
from functions.storage import open_store
from portal import create_app
from tests.conftest import CONTENT
from tests.officer import emails_to, link_in, next_email_to, send_submission

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)
from tests.live_server import serving_app

VIEWER, ADMIN = "casey.officer@exampleshire.gov.uk", "avery.admin@exampleshire.gov.uk"


@pytest.fixture(scope="module")
def portal(built, tmp_path_factory):
    """The site and every function in one real server on the file store, as `make run` serves them."""
    root = tmp_path_factory.mktemp("council-journey")
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(root / "storage"),
            "PORTAL_EMAIL": f"outbox:{root / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )  # make run's sender too, as `make run` has it
    with serving_app(app):
        yield app, root
    app.extensions["portal.email_sender"].set()


def test_officer_signs_in_finds_a_submission_marks_it_looked_at_and_the_admin_sees_it_all(portal, page_without_js, axe_page):
    app, root = portal
    page = page_without_js
    base = app.config["PORTAL_BASE_URL"]
    store = open_store(str(root / "storage"))
    send_submission(app, store, "Brightside Catering Ltd")
    reference = send_submission(app, store, "Greenway Cleaning Ltd")
    Officers(store).add(ADMIN, "admin")

    # The officer is added from the command line, which prints a sign-in link on its last line.
    result = app.test_cli_runner().invoke(args=["add-officer", VIEWER])
    link = result.output.strip().splitlines()[-1]
    assert link.startswith(base + "/council/sign-in/")

    # Without signing in, the council pages send you to sign in; the page is linked from every footer.
    page.goto(base + "/")
    page.get_by_role("link", name="Council staff sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the council pages")
    page.get_by_role("button", name="Email me a sign-in link").click()  # nothing typed: an error
    expect(page).to_have_title("Error: Sign in to the council pages – Social value portal – Exampleshire Council")
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    assert violations(page, axe_page) == []

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the council pages")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")
    expect(page.locator("#session-notice")).to_contain_text("we will sign you out at")
    assert violations(page, axe_page) == []

    # A date typed wrongly in the filters is explained, not a crash.
    page.get_by_label("Sent on or after").fill("yesterday")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text("Sent on or after must be a real date")
    assert violations(page, axe_page) == []

    page.get_by_label("Sent on or after").fill("")
    page.get_by_label("Review status").select_option(label="New")
    page.get_by_label("Sort by").select_option(label="Organisation, A to Z")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody tr").nth(1)).to_contain_text("Greenway Cleaning Ltd")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submission {reference}")
    assert violations(page, axe_page) == []

    # A note that is too long first, then the status change.
    page.get_by_label("Looked at").check()
    page.get_by_label("Note (optional)").fill("x" * 2001)
    page.get_by_role("button", name="Save review status").click()
    expect(page.get_by_role("alert")).to_contain_text("Note must be 2,000 characters or fewer")
    assert violations(page, axe_page) == []
    page.get_by_label("Note (optional)").fill("Read it; the carbon plan needs a sign-off date.")
    page.get_by_role("button", name="Save review status").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review status changed to Looked at")
    expect(page.locator("#review ~ ul")).to_contain_text(f"Looked at, by {VIEWER}")
    assert violations(page, axe_page) == []

    # The evidence pack, then every listed submission as a spreadsheet: each saved as a file, the page left as it was.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the evidence pack (ZIP)").click()
    assert download.value.suggested_filename == f"{reference}-evidence-pack.zip"
    assert "summary.html" in zipfile.ZipFile(download.value.path()).namelist()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Submissions").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Spreadsheet (XLSX)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    cells = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert reference in cells and "Greenway Cleaning Ltd" in cells

    page.get_by_role("link", name="Daily email").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choice has been saved")
    assert violations(page, axe_page) == []

    # A viewer cannot read the audit log.
    page.goto(base + "/council/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    assert violations(page, axe_page) == []

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert violations(page, axe_page) == []
    page.goto(link)  # the link from add-officer has been used
    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in link cannot be used")
    assert violations(page, axe_page) == []

    # The admin asks for a link on the sign-in page and reads the audit log.
    page.goto(base + "/council/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the council pages")
    page.get_by_label("Work email address").fill(ADMIN)
    known = len(emails_to(root / "outbox", ADMIN))
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert violations(page, axe_page) == []
    page.goto(base + link_in(next_email_to(root / "outbox", ADMIN, known)))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    assert urlsplit(page.url).path == "/council/audit/"
    assert violations(page, axe_page) == []
    rows = [row.inner_text() for row in page.locator("tbody tr").all()]
    viewer_steps = [row for row in rows if VIEWER in row]
    for step in (
        "Signed in",
        "Viewed submission",
        "Changed status",
        "Downloaded evidence pack",
        "Downloaded submissions",
        "Signed out",
    ):
        assert any(step in row for row in viewer_steps), step
    assert any("Changed status" in row and reference in row and "looked-at" in row for row in viewer_steps)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the whole audit log (CSV)").click()
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    assert f"{VIEWER},changed-status,{reference}" in csv_text
