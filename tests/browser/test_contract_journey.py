"""Issue 18's whole journey in one run, in real Chromium with JavaScript off, on the file store and on S3 (moto): an
officer records a contract with two commitments and imports a third from a spreadsheet; a supplier contact signs in by
the emailed link and sends a return with evidence; the officer queries it; the contact corrects it; the officer
accepts it with a verified figure. The officer and the supplier each have their own browser; axe-core checks every
page on the way (each side's own tests check every error state)."""

from datetime import datetime, timezone

from playwright.sync_api import expect

from portal import create_app
from tests import evidence_files as files
from tests.conftest import CONTENT
from tests.live_server import serving_app
from tests.officer import emails_to, next_email_to

from .test_events import axe_page, violations  # noqa: F401  (axe_page is a fixture)
from .test_journey import go

ADMIN = "avery.admin@exampleshire.gov.uk"
ANN = "ann@roadworks.example"
PERIOD = "1 April 2026 to 30 June 2026"


def test_a_contract_from_its_recording_to_a_verified_return(built, storage_url, browser, axe_page, tmp_path):  # noqa: F811
    outbox = tmp_path / "outbox"
    app = create_app(
        {
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{outbox}",
            "SESSION_COOKIE_SECURE": False,
            "PORTAL_CLOCK": lambda: datetime(2026, 8, 5, 10, tzinfo=timezone.utc),  # the first quarter's return is overdue
            "PORTAL_SEND_EMAIL_EVERY": 1,
        }
    )
    officer_context, supplier_context = (browser.new_context(java_script_enabled=False) for _ in range(2))
    officer, supplier = officer_context.new_page(), supplier_context.new_page()

    def accessible(page):
        assert violations(page, axe_page) == [], page.url

    try:
        with serving_app(app) as base:
            # The officer records the contract: two commitments typed, a third imported from a spreadsheet.
            link = app.test_cli_runner().invoke(args=["add-officer", ADMIN, "--role", "admin"]).output.strip().splitlines()[-1]
            officer.goto(link)
            go(officer.get_by_role("button", name="Sign in"))
            go(officer.get_by_role("link", name="Contracts", exact=True))
            go(officer.get_by_role("link", name="Record a contract"))
            accessible(officer)
            officer.get_by_label("Title").fill("Highways maintenance")
            officer.get_by_label("The council's reference").fill("EXC-2026-014")
            officer.get_by_label("Value").fill("1,250,000")
            for name, (day, month, year) in (("start", ("1", "4", "2026")), ("end", ("31", "3", "2027"))):
                officer.locator(f"#{name}-day").fill(day)
                officer.locator(f"#{name}-month").fill(month)
                officer.locator(f"#{name}-year").fill(year)
            officer.get_by_label("Contract manager's email address").fill(ADMIN)
            officer.get_by_label("Supplier's name").fill("Roadworks Ltd")
            officer.get_by_label("Supplier contacts' email addresses").fill(ANN)
            for index, (code, quantity, note) in enumerate(
                (("LE01", "4.5", "Local apprentices"), ("WB06", "100", "Volunteering"))
            ):
                officer.locator(f"#commitments-{index}-measure").select_option(code)
                officer.locator(f"#commitments-{index}-quantity").fill(quantity)
                officer.locator(f"#commitments-{index}-delivery_note").fill(note)
            spreadsheet = tmp_path / "commitments.csv"
            spreadsheet.write_text("measure code,quantity,period\nLE02,2,each period\n")
            officer.locator("#spreadsheet").set_input_files(str(spreadsheet))
            go(officer.get_by_role("button", name="Import commitments"))
            expect(officer.get_by_text("1 commitment imported from the spreadsheet")).to_be_visible()
            officer.locator("#commitments-2-delivery_note").fill("Work with the job centre")
            go(officer.get_by_role("button", name="Save the contract"))
            expect(officer.get_by_text("The contract has been saved (version 1)")).to_be_visible()
            accessible(officer)

            # The supplier contact signs in by the emailed link and sends the first quarter's return with evidence.
            supplier.goto(base + "/supplier/sign-in")
            supplier.get_by_label("Email address").fill(ANN)
            go(supplier.get_by_role("button", name="Email me a sign-in link"))
            sign_in = next_email_to(outbox, ANN, 0, timeout=30).get_content().split("/supplier/sign-in/", 1)[1].split()[0]
            supplier.goto(base + "/supplier/sign-in/" + sign_in)
            go(supplier.get_by_role("button", name="Sign in"))
            go(supplier.get_by_role("link", name="Highways maintenance"))
            accessible(supplier)
            go(supplier.get_by_role("link", name=f"Fill in the return for {PERIOD}"))
            for code, quantity, districts in (("LE01", "5", "EX1"), ("WB06", "30", "EX2"), ("LE02", "2", "EX4")):
                supplier.locator(f"#lines-{code}-quantity").fill(quantity)
                supplier.locator(f"#lines-{code}-method").fill("From our records")
                supplier.locator(f"#lines-{code}-postcode_districts").fill(districts)
                supplier.locator(f"#lines-{code}-attributable").check()
            supplier.get_by_label("Full name").fill("Ann Smith")
            supplier.get_by_label("Role").fill("Contract Director")
            go(supplier.get_by_role("button", name="Save and upload evidence"))
            (tmp_path / "Payroll summary.pdf").write_bytes(files.pdf())
            supplier.get_by_label("Choose a file").set_input_files(tmp_path / "Payroll summary.pdf")
            go(supplier.get_by_role("button", name="Upload file"))
            expect(supplier.get_by_role("alert", name="Success")).to_contain_text("Payroll summary.pdf has been uploaded")
            go(supplier.get_by_role("link", name="Go back to your return"))
            supplier.locator("#lines-LE01-evidence").check()
            go(supplier.get_by_role("button", name="Continue"))
            accessible(supplier)
            go(supplier.get_by_role("button", name="Send your return"))
            expect(supplier.get_by_role("heading", level=1)).to_have_text("Return sent")
            accessible(supplier)

            # The officer queries it; the query is emailed to the contact.
            officer.reload()
            go(officer.get_by_role("link", name=f"Review the return for {PERIOD}"))
            expect(officer.locator("main")).to_contain_text("Payroll summary.pdf")
            accessible(officer)
            officer.get_by_label("Queried").check()
            officer.get_by_label("Note", exact=True).fill("Which apprentices were local?")
            go(officer.get_by_role("button", name="Record the review"))
            expect(officer.get_by_text("Your review has been recorded: Queried.")).to_be_visible()
            assert "Which apprentices were local?" in emails_to(outbox, ANN)[-1].get_content()

            # The contact sees the query and corrects the return.
            go(supplier.get_by_role("link", name="your returns for this contract"))
            expect(supplier.locator("main")).to_contain_text("Query from the council: Which apprentices were local?")
            go(supplier.get_by_role("link", name=f"Correct the return for {PERIOD}"))
            supplier.locator("#lines-LE01-quantity").fill("4")
            supplier.get_by_label("Why you are correcting this return").fill("One apprentice lives outside the area")
            go(supplier.get_by_role("button", name="Continue"))
            go(supplier.get_by_role("button", name="Send your return"))
            expect(supplier.locator("main")).to_contain_text("version 2")
            accessible(supplier)

            # The officer accepts the correction with a verified figure that differs from the claim, and why.
            officer.reload()
            go(officer.get_by_role("link", name=f"Review the return for {PERIOD}"))
            expect(officer.get_by_text("Corrected because: One apprentice lives outside the area")).to_be_visible()
            officer.get_by_label("Accepted").check()
            officer.get_by_label("Verified LE01 (claimed 4)").fill("3.5")
            officer.get_by_label("Why the verified LE01 differs from the claim").fill("Payroll shows 3.5 FTE")
            go(officer.get_by_role("button", name="Record the review"))
            expect(officer.get_by_text("Your review has been recorded: Accepted.")).to_be_visible()
            expect(officer.locator("#table-LE01").locator("xpath=..").locator("tbody tr").first).to_contain_text(
                "4.5 4 3.5 Accepted"
            )
            accessible(officer)
    finally:
        app.extensions["portal.email_sender"].set()
        officer_context.close()
        supplier_context.close()
