"""A supplier contact's return in real Chromium with JavaScript off, on the file store and on S3 (moto's server):
they sign in by the emailed link, send a return with evidence, see the council's query and correct the return.
axe-core checks every page on the way, error states included."""

import uuid
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from playwright.sync_api import Page, expect

from functions.contracts.records import Contracts
from functions.storage import open_store
from portal import create_app
from portal.contracts import Review
from tests import evidence_files as files
from tests.conftest import BUCKET, CONTENT
from tests.live_server import serving_app
from tests.officer import ADMIN, Clock, next_email_to
from tests.test_supplier_returns import CONTRACT, Q1

from .test_journey import axe_on_what_is_shown, axe_page, go  # noqa: F401  (axe_page is a fixture)

ANN = "ann@roadworks.example"
PERIOD = "1 April 2026 to 30 June 2026"
LINK_PATH = "/supplier/sign-in/"


@pytest.fixture(params=["file", "s3"])
def portal(request, built, tmp_path):
    """The whole portal served for real, as `make run` serves it, on the day after the second quarter's return was due."""
    if request.param == "s3":
        request.getfixturevalue("s3_env")
        storage = f"s3://{BUCKET}/supplier-journey-{uuid.uuid4().hex}"
    else:
        storage = str(tmp_path / "storage")
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": Clock(datetime(2026, 11, 2, 12, tzinfo=timezone.utc)),
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )  # make run's sender too, which retries a delivery that failed
    with serving_app(app) as base:
        yield base, open_store(storage), tmp_path / "outbox"
    app.extensions["portal.email_sender"].set()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_a_contact_sends_a_return_with_evidence_sees_the_query_and_corrects_it(portal, page, axe_page, tmp_path):  # noqa: F811
    base, store, outbox = portal
    contract_id = Contracts(store).create(replace(CONTRACT, supplier_contacts=(ANN,)), ADMIN)

    def accessible():
        assert axe_on_what_is_shown(page, axe_page) == [], page.url

    # Signing in: the address, then the emailed link's page and its button.
    page.goto(base + "/supplier/sign-in")
    accessible()
    page.get_by_label("Email address").fill(ANN)
    go(page.get_by_role("button", name="Email me a sign-in link"))
    link = next_email_to(outbox, ANN, 0, timeout=30).get_content().split(LINK_PATH, 1)[1].split()[0]
    page.goto(base + LINK_PATH + link)
    go(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your supplier pages")
    accessible()

    # The contract's schedule, then the first quarter's return, sent empty first.
    go(page.get_by_role("link", name="Highways maintenance"))
    expect(page.locator("table").nth(1)).to_contain_text("Overdue")
    accessible()
    go(page.get_by_role("link", name=f"Fill in the return for {PERIOD}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your return for {PERIOD}")
    accessible()
    go(page.get_by_role("button", name="Continue"))
    expect(page).to_have_title(f"Error: {CONTRACT.title} – Social value portal – Exampleshire Council")
    expect(page.get_by_role("alert")).to_contain_text("Enter the quantity delivered for LE01")
    accessible()

    for code, quantity, method, districts in (
        ("LE01", "5", "Payroll for the quarter", "EX1, EX4"),
        ("WB06", "12.5", "Volunteering log", "EX2"),
    ):
        page.locator(f"#lines-{code}-quantity").fill(quantity)
        page.locator(f"#lines-{code}-method").fill(method)
        page.locator(f"#lines-{code}-postcode_districts").fill(districts)
        page.locator(f"#lines-{code}-attributable").check()
    page.get_by_label("Full name").fill("Ann Smith")
    page.get_by_label("Role").fill("Contract Director")

    # Evidence: the answers are saved first, a wrong file is refused, a right one is kept and chosen.
    go(page.get_by_role("button", name="Save and upload evidence"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence files for this contract")
    accessible()
    (tmp_path / "figures.pdf").write_bytes(b"not really a PDF")
    page.get_by_label("Choose a file").set_input_files(tmp_path / "figures.pdf")
    go(page.get_by_role("button", name="Upload file"))
    expect(page.get_by_role("alert")).to_contain_text("The selected file must be a")
    accessible()
    (tmp_path / "Payroll summary.pdf").write_bytes(files.pdf())
    page.get_by_label("Choose a file").set_input_files(tmp_path / "Payroll summary.pdf")
    go(page.get_by_role("button", name="Upload file"))
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Payroll summary.pdf has been uploaded")
    accessible()
    go(page.get_by_role("link", name="Go back to your return"))
    expect(page.locator("#lines-WB06-quantity")).to_have_value("12.5")
    page.locator("#lines-LE01-evidence").check()
    go(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check your return for {PERIOD} before sending it")
    expect(page.locator("main")).to_contain_text("Payroll summary.pdf")
    accessible()
    go(page.get_by_role("button", name="Send your return"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Return sent")
    expect(page.locator("main")).to_contain_text(f"EXC-2026-014 / {Q1.id} / version 1")
    accessible()

    # The council queries it (through its records, as the officer's review page does) and the contact corrects it.
    Contracts(store).review(contract_id, Review(Q1.id, 1, "queried", "Which apprentices were local?"), ADMIN)
    go(page.get_by_role("link", name="your returns for this contract"))
    expect(page.locator("main")).to_contain_text("Query from the council: Which apprentices were local?")
    accessible()
    go(page.get_by_role("link", name=f"Correct the return for {PERIOD}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Correct your return for {PERIOD}")
    expect(page.locator("#lines-LE01-evidence")).to_be_checked()
    page.locator("#lines-LE01-quantity").fill("4")
    go(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are correcting this return")
    accessible()
    page.get_by_label("Why you are correcting this return").fill("One apprentice lives outside the area")
    go(page.get_by_role("button", name="Continue"))
    go(page.get_by_role("button", name="Send your return"))
    expect(page.locator("main")).to_contain_text(f"EXC-2026-014 / {Q1.id} / version 2")
    expect(page.locator("main")).to_contain_text("One apprentice lives outside the area")
    accessible()
