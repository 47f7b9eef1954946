"""The officer's side of a contract after the award, in real Chromium with JavaScript off, on the file store and on
S3 (moto): an admin records a contract with two commitments and imports a third from a spreadsheet, then reviews a
sent return (set up through the records layer, as the supplier's pages write it): queries it, and accepts the
correction with a verified figure. axe-core checks every page and error state on the way."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from functions.contracts import summaries
from functions.contracts.records import Contracts, contract_prefix, serialise_return
from functions.storage import open_store, versions
from portal import create_app
from portal.contracts import Return, ReturnLine
from tests.conftest import CONTENT
from tests.live_server import serving_app
from tests.officer import emails_to

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)

ADMIN = "avery.admin@exampleshire.gov.uk"
Q1 = "2026-04-01--2026-06-30"


@pytest.fixture
def portal(built, storage_url, tmp_path):
    from datetime import datetime, timezone

    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": lambda: datetime(2026, 12, 5, 10, tzinfo=timezone.utc),
        }
    )
    with serving_app(app) as base:
        yield app, base, open_store(storage_url), tmp_path / "outbox"


def send(app, store, contract_id, version, le01):
    """A return as the supplier's pages send it: set-up, not under test."""
    lines = (
        ReturnLine("LE01", Decimal(le01), "Payroll", "", ("EX1",)),
        ReturnLine("WB06", Decimal(30), "Timesheets", "", ("EX2",)),
        ReturnLine("LE02", Decimal(2), "Payroll", "", ("EX4",)),
    )
    sent = Return(Q1, lines, "Ann Smith", "Director", version, None if version == 1 else "Counted a leaver")
    versions.append(
        store,
        f"{contract_prefix(contract_id)}returns/{Q1}/sent/",
        {"return": serialise_return(sent), "by": "ann@roadworks.example", "at": "2026-07-02T10:00:00+00:00"},
    )
    with app.app_context():
        summaries.refresh(store, contract_id, app.extensions["portal.content"], app.config["PORTAL_CLOCK"]().date())


def test_an_officer_records_a_contract_imports_a_commitment_and_reviews_its_return(portal, page_without_js, axe_page, tmp_path):
    app, base, store, outbox = portal
    page = page_without_js
    link = app.test_cli_runner().invoke(args=["add-officer", ADMIN, "--role", "admin"]).output.strip().splitlines()[-1]
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Contracts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts")
    expect(page.get_by_text("0 contracts")).to_be_visible()
    assert violations(page, axe_page) == []

    page.get_by_role("link", name="Record a contract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contract")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Save the contract").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the contract's title")
    expect(page.get_by_role("alert")).to_contain_text("Add at least one commitment")
    assert violations(page, axe_page) == []
    # Enter in a field saves (and says what is missing) rather than adding a commitment row.
    page.get_by_label("Title").fill("Highways maintenance")
    page.get_by_label("Title").press("Enter")
    expect(page.get_by_role("alert")).not_to_contain_text("Enter the contract's title")
    expect(page.get_by_role("alert")).to_contain_text("Add at least one commitment")
    expect(page.get_by_label("Title")).to_have_value("Highways maintenance")
    assert page.locator("[id^=commitments-][id$=-measure]").count() == 3

    page.get_by_label("Title").fill("Highways maintenance")
    page.get_by_label("The council's reference").fill("EXC-2026-014")
    page.get_by_label("Value").fill("1,250,000")
    for name, (day, month, year) in (("start", ("1", "4", "2026")), ("end", ("31", "3", "2027"))):
        page.locator(f"#{name}-day").fill(day)
        page.locator(f"#{name}-month").fill(month)
        page.locator(f"#{name}-year").fill(year)
    page.get_by_label("Contract manager's email address").fill(ADMIN)
    page.get_by_label("Supplier's name").fill("Roadworks Ltd")
    page.get_by_label("Supplier contacts' email addresses").fill("ann@roadworks.example\nbob@roadworks.example")
    for index, (code, quantity, note) in enumerate((("LE01", "4.5", "Local apprentices"), ("WB06", "100", "Volunteering days"))):
        page.locator(f"#commitments-{index}-measure").select_option(code)
        page.locator(f"#commitments-{index}-quantity").fill(quantity)
        page.locator(f"#commitments-{index}-delivery_note").fill(note)

    # A spreadsheet with a bad row first: named, nothing stored, the answers kept.
    spreadsheet = tmp_path / "commitments.csv"
    spreadsheet.write_text("measure code,quantity,period\nLE02,lots,each period\n")
    page.locator("#spreadsheet").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Import commitments").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2:")
    expect(page.get_by_label("Title")).to_have_value("Highways maintenance")
    assert violations(page, axe_page) == []
    spreadsheet.write_text("measure code,quantity,period\nLE02,2,each period\n")
    page.locator("#spreadsheet").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Import commitments").click()
    expect(page.get_by_text("1 commitment imported from the spreadsheet")).to_be_visible()
    expect(page.locator("#commitments-2-measure")).to_have_value("LE02")
    assert violations(page, axe_page) == []
    assert store.keys("contracts/") == []
    page.locator("#commitments-2-delivery_note").fill("Work with the job centre")
    page.get_by_role("button", name="Save the contract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Highways maintenance")
    expect(page.get_by_text("The contract has been saved (version 1)")).to_be_visible()
    expect(page.get_by_role("heading", name="LE02: Jobs for people who have been out of work for a long time")).to_be_visible()
    assert violations(page, axe_page) == []

    contract_id = Contracts(store).ids()[0]
    send(app, store, contract_id, 1, "5")
    page.reload()
    page.get_by_role("link", name="Review the return for 1 April 2026 to 30 June 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return for 1 April 2026 to 30 June 2026")
    assert violations(page, axe_page) == []
    page.get_by_label("Queried").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a note saying what the supplier needs to do")
    assert violations(page, axe_page) == []
    page.get_by_label("Note", exact=True).fill("Which postcodes were the jobs in?")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Your review has been recorded: Queried.")).to_be_visible()
    assert "Which postcodes were the jobs in?" in emails_to(outbox, "ann@roadworks.example")[-1].get_content()

    send(app, store, contract_id, 2, "4")  # the supplier's correction
    page.reload()
    page.get_by_role("link", name="Review the return for 1 April 2026 to 30 June 2026").click()
    expect(page.get_by_text("Corrected because: Counted a leaver")).to_be_visible()
    page.get_by_label("Accepted").check()
    page.get_by_label("Verified LE01 (claimed 4)").fill("3.5")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the verified quantity for LE01 differs from the 4 claimed")
    expect(page.get_by_label("Verified LE01 (claimed 4)")).to_have_value("3.5")
    assert violations(page, axe_page) == []
    page.get_by_label("Why the verified LE01 differs from the claim").fill("Payroll shows 3.5 FTE")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Your review has been recorded: Accepted.")).to_be_visible()
    expect(page.locator("#table-LE01").locator("xpath=..").locator("tbody tr").first).to_contain_text("4.5 4 3.5 Accepted")
    assert violations(page, axe_page) == []

    page.get_by_role("link", name="Change the contract (a variation)").click()
    page.get_by_role("button", name="Save the variation").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the contract is changing")
    assert violations(page, axe_page) == []
    page.get_by_label("Reason for the variation").fill("Bob left Roadworks")
    page.get_by_label("Supplier contacts' email addresses").fill("ann@roadworks.example")
    page.get_by_role("button", name="Save the variation").click()
    page.get_by_role("link", name="See the history").click()
    expect(page.get_by_text("Reason: Bob left Roadworks")).to_be_visible()
    assert violations(page, axe_page) == []

    # A variation that would hide the accepted return is refused, naming it.
    page.goto(f"{base}/council/contracts/{contract_id}/change")
    page.locator("#commitments-0-frequency").select_option("annually")
    page.get_by_label("Reason for the variation").fill("Yearly is enough")
    page.get_by_role("button", name="Save the variation").click()
    expect(page.get_by_role("alert")).to_contain_text("Returns already sent would no longer show: LE01 for 1 April 2026")
    assert violations(page, axe_page) == []

    # Another officer varies the contract while this form is open: saving it is stopped, the answers kept.
    contract, _ = Contracts(store).get(contract_id)
    Contracts(store).vary(contract_id, contract, "other.admin@exampleshire.gov.uk", "Renewed insurance")
    page.locator("#commitments-0-frequency").select_option("quarterly")
    page.get_by_role("button", name="Save the variation").click()
    expect(page.get_by_role("alert")).to_contain_text("Someone else changed this contract")
    expect(page.get_by_label("Reason for the variation")).to_have_value("Yearly is enough")
    assert violations(page, axe_page) == []
    page.get_by_role("button", name="Save the variation").click()
    expect(page.get_by_text("The contract has been saved (version 4)")).to_be_visible()
