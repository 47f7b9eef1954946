"""A supplier's second look, in real Chromium with JavaScript off and every page checked with axe-core (issue 14):
"None of these" on its own (6), the evidence page (8), answers hidden by a change are not sent (2), the email with
the PDF (10), updating what was sent (12) and deleting answers never sent (13)."""

import email
import email.policy
import re

from playwright.sync_api import Page, expect

from tests import evidence_files as files

from .test_journey import (
    ASSESSMENT_ID,
    COMPLETED_YES,
    REFERENCE,
    axe_on_what_is_shown,
    axe_page,  # noqa: F401  (a fixture)
    context,  # noqa: F401  (a fixture)
    go,
    page,  # noqa: F401  (a fixture)
    portal,  # noqa: F401  (a fixture)
    portals,  # noqa: F401  (a fixture)
    ready_to_send,
    save_and_continue,
    start,
)


def upload(page: Page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.get_by_label("Choose a file").set_input_files(path)
    go(page.get_by_role("button", name="Upload file"))


def accessible(page: Page, axe_page: Page) -> None:  # noqa: F811
    assert axe_on_what_is_shown(page, axe_page) == [], page.url


def complete_section(page: Page, task_list: str, section_id: str) -> None:
    page.goto(f"{task_list}{section_id}/check-answers/")
    page.get_by_label(COMPLETED_YES).check()
    go(page.get_by_role("button", name="Continue"))


def test_a_supplier_corrects_sends_updates_and_deletes_without_javascript(portal, page, axe_page, tmp_path):  # noqa: F811
    mail = tmp_path / "mail"
    setting, portal.app.config["PORTAL_EMAIL"] = portal.app.config["PORTAL_EMAIL"], f"outbox:{mail}"
    try:
        _journey(portal, page, axe_page, tmp_path, mail)
    finally:
        portal.app.config["PORTAL_EMAIL"] = setting


def _journey(portal, page, axe_page, tmp_path, mail):  # noqa: F811
    assessment = portal.assessment
    task_list = ready_to_send(portal)  # every section answered with a published plan and its figures, not sent

    # 6. "None of these" with another option: refused, with the "or" divider shown.
    page.goto(f"{task_list}employee-wellbeing/wellbeing_support/")
    expect(page.locator(".govuk-checkboxes__divider")).to_have_text("or")
    page.get_by_label("None of these", exact=True).check()
    save_and_continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the options that apply, or select ‘None of these’ on its own"
    )
    accessible(page, axe_page)
    page.get_by_label("None of these", exact=True).uncheck()
    save_and_continue(page)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # 8. The evidence page: reuse offers only what fits, a wrong date keeps the file, removing says so.
    page.goto(f"{task_list}evidence/wellbeing-policy/")
    upload(page, tmp_path, "figures.xlsx", files.xlsx())
    page.goto(f"{task_list}evidence/carbon-reduction-plan/")
    expect(page.get_by_text("figures.xlsx")).to_have_count(0)
    upload(page, tmp_path, "Plan draft.pdf", files.pdf())
    go(page.get_by_role("button", name="Remove Plan draft.pdf"))
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Plan draft.pdf has been removed")
    accessible(page, axe_page)
    page.goto(f"{task_list}evidence/iso-14001-certificate/")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("13")
    page.get_by_label("Year").fill("2099")
    upload(page, tmp_path, "iso.pdf", files.pdf())
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    expect(page.get_by_label("Month")).to_have_value("13")
    expect(page.get_by_label("Month")).to_have_class(re.compile("govuk-input--error"))
    expect(page.get_by_text("We have kept iso.pdf")).to_be_visible()
    accessible(page, axe_page)
    page.get_by_label("Month").fill("12")
    go(page.get_by_role("button", name="Add the file"))
    expect(page.get_by_role("alert", name="Success")).to_contain_text("iso.pdf has been uploaded")
    expect(page.locator("#files + dl")).to_contain_text("valid until 31 December 2099")
    for section_id in ("employee-wellbeing", "carbon-reduction-plan"):
        complete_section(page, task_list, section_id)

    # 2. A change hides the plan's answers: they are not sent.
    page.goto(f"{task_list}carbon-reduction-plan/check-answers/")
    go(page.get_by_role("link", name=f"Change {assessment.question('has_crp').label.lower()}"))
    page.get_by_label("No", exact=True).check()
    save_and_continue(page)
    while "/check-answers/" not in page.url:  # a question the new answer opens
        page.locator("main input[type=radio]").first.check()
        save_and_continue(page)
    page.get_by_label(COMPLETED_YES).check()
    go(page.get_by_role("button", name="Continue"))
    go(page.get_by_role("button", name="Send self-assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    accessible(page, axe_page)
    reference = REFERENCE.search(page.locator(".govuk-panel").inner_text()).group(0)
    store = portal.store()
    [key] = store.keys(f"submissions/{ASSESSMENT_ID}/{reference}/")
    sent = store.read_json(key)["answers"]
    assert sent["has_crp"] == "no" and not [q for q in sent if q.startswith("crp_")]
    expect(page.locator("main")).not_to_contain_text("iso.pdf")

    # 10. The email, with the whole submission as a PDF.
    [eml] = sorted(mail.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert reference in message["Subject"] and f"Reference number: {reference}" in message.get_body(("plain",)).get_content()
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF-")

    # 12. Update what was sent: a second version under the same reference.
    go(page.get_by_role("button", name="Update your answers"))
    expect(page.locator(".govuk-inset-text")).to_contain_text(reference)
    accessible(page, axe_page)
    name = assessment.question("organisation_name")
    page.goto(f"{task_list}organisation/check-answers/")
    go(page.get_by_role("link", name=f"Change {name.label.lower()}"))
    page.get_by_label(name.label, exact=True).fill("Acme Cleaning and Facilities Ltd")
    save_and_continue(page)
    page.get_by_label(COMPLETED_YES).check()
    go(page.get_by_role("button", name="Continue"))
    go(page.get_by_role("button", name="Send updated self-assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    expect(page.locator("main")).to_contain_text("Acme Cleaning and Facilities Ltd")
    versions = store.keys(f"submissions/{ASSESSMENT_ID}/{reference}/")
    assert (
        len(versions) == 2 and store.read_json(versions[-1])["answers"]["organisation_name"] == "Acme Cleaning and Facilities Ltd"
    )
    assert len(list(mail.glob("*.eml"))) == 2

    # 13. Answers never sent can be deleted, and the link says so afterwards.
    new_link = start(page, portal)
    go(page.get_by_role("link", name="Delete your answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to delete your answers?")
    accessible(page, axe_page)
    go(page.get_by_role("button", name="Delete my answers"))
    expect(page.locator(".govuk-panel")).to_contain_text("Your answers have been deleted")
    accessible(page, axe_page)
    response = page.goto(new_link)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been deleted")
    accessible(page, axe_page)


def test_the_browser_check_refuses_a_macro_enabled_file_whatever_its_name(portal, browser, tmp_path):  # noqa: F811
    context = browser.new_context()  # JavaScript on: the check before the file is sent
    try:
        page = context.new_page()
        task_list = ready_to_send(portal)
        page.goto(f"{task_list}evidence/wellbeing-policy/")
        posts = []
        page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
        for name in ("policy.docx", "policy.docm"):
            path = tmp_path / name
            path.write_bytes(files.macro_enabled("word"))
            page.get_by_label("Choose a file").set_input_files(path)
            page.get_by_role("button", name="Upload file").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file contains macros")
        assert posts == [], "nothing was sent to storage"
    finally:
        context.close()


def test_on_a_phone_the_task_list_starts_with_its_heading_and_reaches_the_sections_soon(portal, browser):  # noqa: F811
    phone = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    try:
        page = phone.new_page()
        start(page, portal)
        main = page.locator("main")
        expect(main.locator("h1")).to_have_text(re.compile("^Your answers: "))
        first_in_main = page.evaluate("document.querySelector('main .govuk-grid-column-two-thirds > *').tagName")
        assert first_in_main == "H1"
        expect(page.get_by_label("Your email address")).to_be_hidden()  # folded away until asked for
        first_task = page.locator(".govuk-task-list__item").first.bounding_box()
        assert first_task["y"] < 2 * 640, "the sections start within two screens of a phone"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        phone.close()
