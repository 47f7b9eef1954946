"""Evidence uploads in real Chromium with JavaScript off, on a phone-sized window, on both storages: the form
posts the file straight to storage (moto's S3 server, or the file store's endpoint), which sends the browser back."""

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from portal.evidence import checks
from tests import evidence_files as files

from .test_journey import ASSESSMENT_ID, axe_on_what_is_shown, axe_page, go, portal, portals, ready_to_send  # noqa: F401

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def upload(page: Page, tmp_path, name: str, data: bytes, by_keyboard=False) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.get_by_label("Choose a file").set_input_files(path)
    if by_keyboard:
        page.get_by_label("Choose a file").focus()
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.keyboard.press("Tab")  # to the Upload file button
            page.keyboard.press("Enter")
    else:
        go(page.get_by_role("button", name="Upload file"))


def add_files_for(page: Page, task_list: str, section_id: str, slot_label: str) -> None:
    page.goto(f"{task_list}{section_id}/check-answers/")
    go(page.locator("#evidence ~ dl").get_by_role("link", name=re.compile(f"(Add files|Change) {slot_label.lower()}")))
    expect(page.get_by_role("heading", level=1)).to_have_text(slot_label)


@pytest.mark.parametrize("kind", ["file", "s3"])
def test_supplier_uploads_reuses_removes_and_sends_evidence_without_javascript(portals, page, kind, tmp_path):
    portal = portals(kind)
    task_list = ready_to_send(portal)
    plan, draft_plan, policy = files.pdf(), files.pdf(pages=2), files.docx()

    add_files_for(page, task_list, "carbon-reduction-plan", "Your carbon reduction plan")
    upload(page, tmp_path, "Carbon reduction plan.pdf", plan)
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Carbon reduction plan.pdf has been uploaded")
    upload(page, tmp_path, "Plan draft.pdf", draft_plan, by_keyboard=True)
    expect(page.locator("#files + dl")).to_contain_text("Plan draft.pdf")
    go(page.get_by_role("button", name="Remove Plan draft.pdf"))
    expect(page.locator("#files + dl")).not_to_contain_text("Plan draft.pdf")
    go(page.get_by_role("button", name="Continue"))
    expect(page.locator("#evidence + p + dl")).to_contain_text("Carbon reduction plan.pdf")

    add_files_for(page, task_list, "employee-wellbeing", "Your wellbeing policy")
    upload(page, tmp_path, "Wellbeing policy.docx", policy)

    add_files_for(page, task_list, "inclusive-recruitment", "Your equality, diversity and inclusion policy")
    page.get_by_label("Carbon reduction plan.pdf").check()
    go(page.get_by_role("button", name="Use these files"))
    expect(page.locator("#files + dl")).to_contain_text("Carbon reduction plan.pdf")

    page.goto(task_list)
    go(page.get_by_role("button", name="Send self-assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    sent = page.locator("#evidence + dl")
    expect(sent).to_contain_text("Carbon reduction plan.pdf")
    expect(sent).to_contain_text("Wellbeing policy.docx")
    expect(sent).not_to_contain_text("Plan draft.pdf")

    store = portal.store()
    [record_key] = [
        k
        for k in store.keys(f"submissions/{ASSESSMENT_ID}/")
        if store.read_json(k)["evidence"] and "Wellbeing policy.docx" in str(store.read_json(k)["evidence"])
    ]
    stored = {e["name"]: e for e in store.read_json(record_key)["evidence"]}
    assert set(stored) == {"Carbon reduction plan.pdf", "Wellbeing policy.docx"}
    assert sorted(stored["Carbon reduction plan.pdf"]["slots"]) == ["carbon-reduction-plan", "edi-policy"]
    for name, data in [("Carbon reduction plan.pdf", plan), ("Wellbeing policy.docx", policy)]:
        assert (stored[name]["size"], stored[name]["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())


def test_every_upload_error_state_is_clear_and_has_no_axe_violations(portal, page, axe_page, tmp_path):
    task_list = ready_to_send(portal)
    evidence_page = f"{task_list}evidence/carbon-reduction-plan/"
    found = []
    cases = [
        ("", None, checks.no_file()),
        ("empty.pdf", b"", checks.empty()),
        ("policy.pdf", files.HTML, checks.wrong_type(("pdf", "docx", "odt"))),
        ("plan.pdf", files.encrypted_pdf(), checks.password_protected()),
        ("policy.docx", files.zip_bomb_by_count(), checks.zip_bomb()),
    ]
    for name, data, message in cases:
        page.goto(evidence_page)
        if data is None:
            go(page.get_by_role("button", name="Upload file"))
        else:
            upload(page, tmp_path, name, data)
        expect(page.locator(".govuk-error-summary")).to_contain_text(message)
        expect(page.locator("#file-error")).to_contain_text(message)
        assert page.title().startswith("Error: ")
        found.extend(f"{message}: {v}" for v in axe_on_what_is_shown(page, axe_page))

    page.goto(evidence_page + "uploaded/" + "0" * 32)
    expect(page.locator(".govuk-error-summary")).to_contain_text(checks.upload_failed())
    found.extend(f"upload failed: {v}" for v in axe_on_what_is_shown(page, axe_page))

    upload(page, tmp_path, "plan.pdf", files.pdf())
    found.extend(f"uploaded: {v}" for v in axe_on_what_is_shown(page, axe_page))
    page.goto(f"{task_list}evidence/edi-policy/")
    go(page.get_by_role("button", name="Use these files"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file you have already uploaded")
    found.extend(f"reuse with nothing chosen: {v}" for v in axe_on_what_is_shown(page, axe_page))
    assert found == []
    assert re.fullmatch(r"evidence/readiness/[0-9a-f]{64}/[0-9a-f]{32}", portal.store().keys("evidence/")[0])


def test_with_javascript_the_form_checks_the_file_before_it_is_sent(portal, browser, tmp_path):
    from .axe import axe_violations

    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        task_list = ready_to_send(portal)
        evidence_page = f"{task_list}evidence/carbon-reduction-plan/"
        page.goto(evidence_page)
        for name, data, message in [
            (None, None, checks.no_file()),
            ("figures.xlsx", files.xlsx(), checks.wrong_type(("pdf", "docx", "odt"))),
            ("empty.pdf", b"", checks.empty()),
        ]:
            if name:
                (tmp_path / name).write_bytes(data)
                page.get_by_label("Choose a file").set_input_files(tmp_path / name)
            page.get_by_role("button", name="Upload file").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text(message)
            expect(page.locator("#file-error")).to_contain_text(message)
            expect(page.locator(".govuk-error-summary")).to_be_focused()
            assert page.url == evidence_page  # nothing was sent
        assert axe_violations(page) == []
        (tmp_path / "plan.pdf").write_bytes(files.pdf())
        page.get_by_label("Choose a file").set_input_files(tmp_path / "plan.pdf")
        go(page.get_by_role("button", name="Upload file"))
        expect(page.get_by_role("alert", name="Success")).to_contain_text("plan.pdf has been uploaded")
        assert errors == []
    finally:
        context.close()
