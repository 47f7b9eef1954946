"""The whole self-assessment journey in real Chromium with JavaScript off, against the app as `make run` serves it.

One real WSGI server per storage (a folder on disk, and S3 as moto's server over HTTP) is started for the module
and shared by every test; each test starts its own draft, so the tests do not depend on one another. Set-up that
is not under test (answering whole sections before the part a test is about) goes through the same app's test
client or its record layer, on the same storage, because each page in the browser costs a few hundred milliseconds.
"""

import logging
import re
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from functions.assessment.records import Drafts
from functions.storage import Store, open_store
from portal import create_app
from portal.content import load_content
from portal.questionnaire import progress
from portal.questionnaire.answers import parse_answer
from portal.questionnaire.model import Assessment, Question
from tests.conftest import BUCKET, CONTENT, point_at_moto
from tests.supplier import Supplier, example_answer

from .axe import axe_violations
from tests.live_server import serving_app

ASSESSMENT_ID = "readiness"
REFERENCE = re.compile(r"\bSV-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
COMPLETED_YES = "Yes, I’ve completed this section"
ASSESSMENT = load_content(CONTENT).assessment(ASSESSMENT_ID)  # read once, at collection
# Answers that make every conditional question in the YAML apply, so that any question page can be reached.
SHOW_EVERYTHING = {"learning_development": "yes", "has_crp": "published", "net_zero_committed": "yes"}


@dataclass
class Portal:
    base_url: str
    app: Flask
    storage: str  # the PORTAL_STORAGE value

    @property
    def assessment(self) -> Assessment:
        return self.app.extensions["portal.content"].assessment(ASSESSMENT_ID)

    def store(self) -> Store:
        return open_store(self.storage)

    def submission_keys(self) -> list[str]:
        return self.store().keys(f"submissions/{ASSESSMENT_ID}/")

    def supplier(self) -> Supplier:
        """A supplier on the same app and storage, through the test client: fast set-up of a draft."""
        return Supplier(self.app.test_client(), self.assessment)


@pytest.fixture(scope="module")
def portals(request, built, tmp_path_factory):
    """portals(kind) -> the running Portal for "file" or "s3", started on first use and stopped after the module."""
    # werkzeug logs every request at INFO (ours and moto's); a failing test would show hundreds of lines of it.
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    environment = pytest.MonkeyPatch()
    running, servers = {}, ExitStack()

    def s3_storage() -> str:
        endpoint = request.getfixturevalue("s3_endpoint")  # moto's server, shared with the other S3 tests
        point_at_moto(environment, endpoint)  # restored when the module ends
        return f"s3://{BUCKET}/journey-{uuid.uuid4().hex}"

    def get(kind: str) -> Portal:
        if kind not in running:
            storage = s3_storage() if kind == "s3" else str(tmp_path_factory.mktemp("journey-storage"))
            app = create_app(
                {
                    "PORTAL_CONTENT": CONTENT,
                    "PORTAL_ASSETS": built[1],
                    "PORTAL_STORAGE": storage,
                    "PORTAL_BASE_URL": "http://127.0.0.1",
                    "SESSION_COOKIE_SECURE": False,
                }
            )
            running[kind] = Portal(servers.enter_context(serving_app(app)), app, storage)
        return running[kind]

    yield get
    servers.close()
    environment.undo()
    werkzeug_log.setLevel(level)


@pytest.fixture
def portal(portals) -> Portal:
    """The portal on the file store, for tests where the storage is not the point."""
    return portals("file")


@pytest.fixture
def context(browser):
    """A browser context with JavaScript off, as a supplier whose JavaScript failed to load."""
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


# What a supplier sees and does.


def field_label(question: Question) -> str:
    return question.label + (" (optional)" if question.optional else "")


def fill_answer(page: Page, question: Question, value) -> None:
    """Answer the question on screen as a person would, by the labels they read (on a page with nothing chosen yet)."""
    if question.type == "choices":
        for option in question.options:
            if option.value in value:
                page.get_by_label(option.label, exact=True).check()
    elif question.options:
        page.get_by_label(question.option(value).label, exact=True).check()
    elif question.type == "date":
        for part, text in zip(("Day", "Month", "Year"), value):
            page.get_by_label(part, exact=True).fill(text)
    else:
        page.get_by_label(field_label(question), exact=True).fill(value)


def go(control) -> None:
    """Click a link or button and wait until the page it leads to has loaded (form posts included)."""
    with control.page.expect_navigation(wait_until="domcontentloaded"):
        control.click()


def save_and_continue(page: Page) -> None:
    go(page.get_by_role("button", name="Save and continue"))


def question_on_screen(page: Page, assessment: Assessment) -> Question:
    """The question whose form is on the page, looked up by its input's name (evaluate works with JavaScript off)."""
    name = page.evaluate("document.querySelector('main form [name]:not([type=hidden])').name")
    question = assessment.question(name)
    assert question is not None, f"no question named {name!r} at {page.url}"
    return question


def answer(page: Page, task_list: str, question: Question, value) -> None:
    """Go to the question's page, answer it and save; the answer must be accepted (the page moves on)."""
    address = f"{task_list}{page_section(question)}/{question.id}/"
    page.goto(address)
    fill_answer(page, question, value)
    save_and_continue(page)
    assert page.url != address, f"{question.id}: {value!r} was refused"


def page_section(question: Question) -> str:
    return ASSESSMENT.section_of(question.id).id


def task(page: Page, title: str):
    return page.locator(".govuk-task-list__item").filter(has=page.locator(".govuk-task-list__name-and-hint", has_text=title))


def status_of(page: Page, title: str) -> str:
    return task(page, title).locator(".govuk-task-list__status").inner_text().strip()


def start(page: Page, portal: Portal) -> str:
    """Press Start now on the start page; returns the task list's address (the resume link)."""
    page.goto(f"{portal.base_url}/assessments/{ASSESSMENT_ID}/")
    go(page.get_by_role("button", name="Start now"))
    expect(page).to_have_url(re.compile(rf"/assessments/{ASSESSMENT_ID}/[^/]+/\?started=1$"))
    return page.url.split("?")[0]


def resume_link(page: Page) -> str:
    link = page.locator(".app-resume-link").get_by_role("link")
    href = link.get_attribute("href")
    assert link.inner_text().strip() == href, "the resume link shows its own address, to copy"
    return href


def row_value(page: Page, label: str) -> str:
    row = page.locator(".govuk-summary-list__row").filter(has=page.locator(".govuk-summary-list__key", has_text=label))
    expect(row).to_have_count(1)
    return row.locator(".govuk-summary-list__value").inner_text().strip()


def ready_to_send(portal: Portal) -> str:
    """The address of a draft with every section answered and completed, not yet sent.

    Set-up, not under test: written with the app's own record layer, as the journey would have left it."""
    assessment = portal.assessment
    answers = {}
    for section in assessment.sections:
        for question in section.questions:  # in order, so that a question's show_if sees the answers before it
            if question in progress.shown_questions(section, answers):
                answers[question.id] = parse_answer(question, example_answer(question))
    drafts = Drafts(portal.store())
    draft = drafts.start(assessment)
    drafts.save(assessment, draft, answers=answers, completed=tuple(sorted(s.id for s in assessment.sections)))
    return f"{portal.base_url}/assessments/{ASSESSMENT_ID}/{draft.token}/"


# 1. The whole journey.


@pytest.mark.parametrize("kind", ["file", "s3"])
def test_supplier_completes_and_submits_with_javascript_off(portals, page, kind):
    portal = portals(kind)
    assessment = portal.assessment

    page.goto(portal.base_url + "/")
    go(page.get_by_role("main").get_by_role("link", name="Guidance for small businesses"))
    go(page.get_by_role("main").get_by_role("link", name=assessment.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(assessment.title)
    go(page.get_by_role("button", name="Start now"))

    expect(page).to_have_url(re.compile(rf"/assessments/{ASSESSMENT_ID}/[^/]+/\?started=1$"))
    expect(page.get_by_role("region", name="Your answers are saved as you go")).to_be_visible()
    task_list = page.url.split("?")[0]
    assert resume_link(page) == task_list
    declaration = assessment.sections[-1]
    assert declaration.requires_completed
    assert status_of(page, declaration.title) == "Cannot start yet"
    expect(task(page, declaration.title).get_by_role("link")).to_have_count(0)

    answered = {}
    for section in assessment.sections:
        expect(page).to_have_url(re.compile(re.escape(task_list) + r"(\?.*)?$"))
        go(page.get_by_role("link", name=section.title, exact=True))
        for _ in range(len(section.questions) + 1):
            if "/check-answers/" in page.url:
                break
            question = question_on_screen(page, assessment)
            address = page.url
            assert address == f"{task_list}{section.id}/{question.id}/"
            answered[question.id] = example_answer(question)
            fill_answer(page, question, answered[question.id])
            save_and_continue(page)
            assert page.url != address, f"{question.id}: {answered[question.id]!r} was refused"
        assert page.url == f"{task_list}{section.id}/check-answers/", "every question leads to check answers"
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        page.get_by_label(COMPLETED_YES).check()
        go(page.get_by_role("button", name="Continue"))
        assert page.url == task_list
        assert status_of(page, section.title) == "Completed"

    assert {q.id for s in assessment.sections for q in s.questions if q.show_if is None} <= set(answered)
    assert [status_of(page, s.title) for s in assessment.sections] == ["Completed"] * len(assessment.sections)
    keys_before = set(portal.submission_keys())
    go(page.get_by_role("button", name="Send self-assessment"))

    assert page.url == f"{task_list}confirmation/"
    panel = page.locator(".govuk-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    reference = REFERENCE.search(panel.inner_text()).group(0)
    for theme in assessment.scored_sections:
        expect(
            page.get_by_role(
                "heading", level=3, name=re.compile(rf"^{re.escape(theme.title)}: (Ready|Developing|Getting started)$")
            )
        ).to_have_count(1)

    new_keys = set(portal.submission_keys()) - keys_before
    assert new_keys == {f"submissions/{ASSESSMENT_ID}/{reference}/000001.json"}
    record = portal.store().read_json(new_keys.pop())
    assert record["reference"] == reference
    assert record["answers"]["organisation_name"] == answered["organisation_name"]
    assert set(record["readiness"]) == {s.id for s in assessment.scored_sections}

    page.goto(task_list)  # the resume link of a sent self-assessment now shows its confirmation
    assert page.url == f"{task_list}confirmation/"
    expect(page.locator(".govuk-panel")).to_contain_text(reference)


# 2. Save and return on another computer.

RESUMED = [
    # (question id, what the supplier gives, how check answers shows it)
    ("organisation_location", "Market Harborough", "Market Harborough"),
    ("organisation_type", "small", "Small (10 to 49 staff)"),
    ("total_staff", "23", "23"),
    ("website", "https://www.example.co.uk/about", "https://www.example.co.uk/about"),
    ("contact_email", "owner@example.co.uk", "owner@example.co.uk"),
    ("what_you_supply", "Cleaning & grounds – it’s <all> we do", "Cleaning & grounds – it’s <all> we do"),
    ("learning_development", "yes", "Yes"),
    ("training_hours", "12.5", "12.5 hours"),
    (
        "wellbeing_support",
        ["first-aiders", "remote-support"],
        "Trained mental health first aiders or wellbeing champions, Support that reaches staff wherever they work",
    ),
    ("has_crp", "unpublished", "Yes, but it is not published yet"),
    ("crp_signed_off_date", ["14", "3", "2026"], "14 March 2026"),
]


def test_resume_link_in_a_new_browser_restores_every_answer(portal, browser, context):
    assessment = portal.assessment
    first = context.new_page()
    task_list = start(first, portal)
    for question_id, value, _ in RESUMED:
        answer(first, task_list, assessment.question(question_id), value)
    first.goto(task_list)
    link = resume_link(first)
    context.close()

    elsewhere = browser.new_context(java_script_enabled=False)  # another computer: no cookies, no history
    try:
        page = elsewhere.new_page()
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Your answers: {assessment.title}")
        for title in ("About your organisation", "Employee wellbeing", "Carbon reduction plan"):
            assert status_of(page, title) == "In progress"

        for question_id, value, _ in RESUMED:
            question = assessment.question(question_id)
            page.goto(f"{link}{page_section(question)}/{question_id}/")
            if question.type == "choices":
                for option in question.options:
                    box = page.get_by_label(option.label, exact=True)
                    expect(box).to_be_checked() if option.value in value else expect(box).not_to_be_checked()
            elif question.options:
                for option in question.options:
                    radio = page.get_by_label(option.label, exact=True)
                    expect(radio).to_be_checked() if option.value == value else expect(radio).not_to_be_checked()
            elif question.type == "date":
                for part, text in zip(("Day", "Month", "Year"), value):  # redisplayed as 14 03 2026
                    assert int(page.get_by_label(part, exact=True).input_value()) == int(text), part
            else:
                expect(page.get_by_label(field_label(question), exact=True)).to_have_value(value)

        for section_id in ("organisation", "employee-wellbeing", "carbon-reduction-plan"):
            page.goto(f"{link}{section_id}/check-answers/")
            for question_id, _, shown in RESUMED:
                question = assessment.question(question_id)
                if page_section(question) == section_id:
                    assert row_value(page, question.label) == shown, question_id

        # And the other computer can carry on: its own session, its own form token.
        answer(page, link, assessment.question("organisation_location"), "Lutterworth")
        page.goto(f"{link}organisation/check-answers/")
        assert row_value(page, assessment.question("organisation_location").label) == "Lutterworth"
    finally:
        elsewhere.close()


# 3. Errors.


def test_error_state_keeps_the_answer_and_links_to_the_field(portal, page):
    task_list = start(page, portal)
    page.goto(f"{task_list}organisation/total_staff/")
    page.get_by_label("How many people does your organisation employ in total?").fill("about twenty")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        save_and_continue(page)
    assert posted.value.status == 400
    assert page.url == f"{task_list}organisation/total_staff/", "the page is shown again, not moved on"

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)
    href = links.get_attribute("href")
    assert href == "#total_staff"
    field = page.locator(href)
    expect(field).to_have_count(1)
    assert field.evaluate("element => element.tagName") == "INPUT"
    expect(field).to_have_value("about twenty")

    message = page.locator(".govuk-error-message")
    expect(message).to_have_count(1)
    inline = message.inner_text().strip()
    assert inline.removeprefix("Error:").strip() == links.inner_text().strip() == "Enter a whole number, like 12"
    assert message.get_attribute("id") in field.get_attribute("aria-describedby").split()

    links.click()  # without JavaScript the link still takes the user to the field
    assert page.evaluate("location.hash") == "#total_staff"


def test_date_error_links_to_the_date_box_that_is_wrong(portal, page):
    supplier = portal.supplier()
    task_list = portal.base_url + supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    page.goto(f"{task_list}carbon-reduction-plan/crp_signed_off_date/")
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Year", exact=True).fill("2026")
    save_and_continue(page)
    link = page.locator(".govuk-error-summary").get_by_role("link")
    expect(link).to_have_text("Date must include a month")
    assert link.get_attribute("href") == "#crp_signed_off_date-month"
    assert page.locator(".govuk-input--error").evaluate_all("boxes => boxes.map(b => b.id)") == ["crp_signed_off_date-month"]


# 4. Accessibility of every kind of page in the journey.


def invalid_answer(question: Question):
    """Something a supplier might give that the question refuses."""
    if question.type == "date":
        return ["40", "2", "2026"]
    bad = {
        "whole_number": "about twenty",
        "quantity": "lots",
        "money": "a few pounds",
        "email": "owner at example",
        "url": "our website",
    }
    if question.type in bad:
        return bad[question.type]
    if question.options or not question.optional:
        return None  # left unanswered
    return "x" * (question.length_limit + 1)


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


@pytest.fixture
def axe_page(browser):
    """A page that can run axe-core, which needs JavaScript (its promises wait on timers, which never fire when
    JavaScript is off). It is shown exactly the document a JavaScript-off page holds, with no scripts, at the same
    address (so the same stylesheet and the same origin), and axe runs on that."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def axe_on_what_is_shown(page: Page, axe_page: Page) -> list[str]:
    html = SCRIPT.sub("", page.content())
    address = page.url

    def the_same_document(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    axe_page.route(lambda url: url == address, the_same_document)
    try:
        axe_page.goto(address)
    finally:
        axe_page.unroute_all()
    assert "js-enabled" not in (axe_page.get_attribute("body", "class") or "")
    return axe_violations(axe_page)


def widget(question: Question) -> str:
    if question.options:
        return "checkboxes" if question.type == "choices" else "radios"
    return {"whole_number": "number", "quantity": "number", "money": "number"}.get(question.type, question.type)


def test_every_journey_page_has_no_axe_violations(portal, page, axe_page):
    assessment = portal.assessment
    found, checked = [], []

    def check(where: str):
        checked.append(where)
        found.extend(f"{where}: {violation}" for violation in axe_on_what_is_shown(page, axe_page))

    page.goto(f"{portal.base_url}/assessments/{ASSESSMENT_ID}/")
    check("start page")
    go(page.get_by_role("button", name="Start now"))
    check("task list")
    task_list = page.url.split("?")[0]
    supplier = portal.supplier()  # set-up, not under test: make every conditional question apply
    supplier.task_list = urlsplit(task_list).path
    for question_id, value in SHOW_EVERYTHING.items():
        assert supplier.answer(page_section(assessment.question(question_id)), question_id, value).status_code == 303

    # One question of each kind the YAML uses, none answered yet (so that "nothing" is still nothing): a number with
    # a unit where there is one, and otherwise a required question where there is one, so that blank is an error.
    def preference(question):
        return (question.id in SHOW_EVERYTHING, not question.unit, question.optional)

    by_widget = {}
    for question in sorted(assessment.questions, key=preference):
        by_widget.setdefault(widget(question), question)
    assert set(by_widget) == {"radios", "checkboxes", "text", "long_text", "number", "date", "email", "url"}
    assert by_widget["number"].unit, "a number with a unit"
    for kind, question in by_widget.items():
        page.goto(f"{task_list}{page_section(question)}/{question.id}/")
        check(f"{kind} question ({question.id})")
        bad = invalid_answer(question)
        if bad is not None:
            fill_answer(page, question, bad)
        save_and_continue(page)
        assert page.title().startswith("Error: "), f"{kind} ({question.id}): {bad!r} was accepted"
        check(f"{kind} question with an error ({question.id})")

    page.goto(f"{task_list}organisation/check-answers/")
    check("check answers")
    go(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if you have completed this section")
    check("check answers with an error")

    page.goto(ready_to_send(portal))
    check("task list, ready to send")
    go(page.get_by_role("button", name="Send self-assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    check("confirmation")

    print(f"axe checked {len(checked)} pages:", *checked, sep="\n  ")
    assert found == []


# 5. Back and Change links.


def test_back_links_and_change_links_return_where_they_should(portal, page):
    assessment = portal.assessment
    supplier = portal.supplier()
    task_list = portal.base_url + supplier.start()
    supplier.complete_section("organisation")
    check_answers = f"{task_list}organisation/check-answers/"

    page.goto(check_answers)
    total_staff = assessment.question("total_staff")
    change = page.get_by_role("link", name=f"Change {total_staff.label.lower()}")
    expect(change).to_have_count(1)
    go(change)
    assert page.url == f"{task_list}organisation/total_staff/?change=1"
    expect(page.get_by_role("link", name="Back")).to_have_attribute("href", urlsplit(check_answers).path)
    page.get_by_label(total_staff.label, exact=True).fill("1,250")
    save_and_continue(page)
    assert page.url == check_answers, "after a change the supplier returns to check answers"
    assert row_value(page, total_staff.label) == "1,250"

    # A change to a radio question, through its Change link, also comes back.
    organisation_type = assessment.question("organisation_type")
    go(page.get_by_role("link", name=f"Change {organisation_type.label.lower()}"))
    page.get_by_label("Large (250 or more staff)").check()
    save_and_continue(page)
    assert page.url == check_answers
    assert row_value(page, organisation_type.label) == "Large (250 or more staff)"

    go(page.get_by_role("link", name="Back"))
    assert page.url == task_list, "Back from check answers goes to the task list"

    # A change that opens questions not yet answered goes through them (still as a change), then back.
    supplier.complete_section("net-zero", {"net_zero_committed": "no"})
    committed = assessment.question("net_zero_committed")
    page.goto(f"{task_list}net-zero/check-answers/")
    go(page.get_by_role("link", name=f"Change {committed.label.lower()}"))
    page.get_by_label("Yes", exact=True).check()
    save_and_continue(page)
    section = assessment.section("net-zero")
    answers = {"net_zero_committed": "yes"}
    opened = [q for q in progress.shown_questions(section, answers) if q.show_if and q.show_if.question == committed.id]
    assert opened
    for question in opened:
        assert page.url == f"{task_list}net-zero/{question.id}/?change=1"
        fill_answer(page, question, example_answer(question))
        save_and_continue(page)
    assert page.url == f"{task_list}net-zero/check-answers/"

    page.goto(task_list)
    go(page.get_by_role("link", name="Employee wellbeing", exact=True))
    first, second = assessment.section("employee-wellbeing").questions[:2]
    assert page.url == f"{task_list}employee-wellbeing/{first.id}/"
    fill_answer(page, first, example_answer(first))
    save_and_continue(page)
    assert page.url == f"{task_list}employee-wellbeing/{second.id}/"
    go(page.get_by_role("link", name="Back"))
    assert page.url == f"{task_list}employee-wellbeing/{first.id}/", "Back from the second question goes to the first"
    expect(page.get_by_label(first.option(example_answer(first)).label, exact=True)).to_be_checked()
    go(page.get_by_role("link", name="Back"))
    assert page.url == task_list, "Back from a section's first question goes to the task list"


# 6. Sending twice.


@pytest.mark.parametrize("kind", ["file", "s3"])
def test_double_click_on_send_makes_one_submission(portals, context, kind):
    portal = portals(kind)
    task_list = ready_to_send(portal)
    keys_before = set(portal.submission_keys())

    sends, answers = [], []
    context.on("request", lambda request: sends.append(request.url) if request.method == "POST" else None)
    context.on("response", lambda response: answers.append(response.status) if response.request.method == "POST" else None)
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):  # the same form twice: a second tab left open, or a page kept in history
        tab.goto(task_list)

    # A double click with no JavaScript to stop it, and at once the same form sent from the other tab.
    first.get_by_role("button", name="Send self-assessment").dblclick(no_wait_after=True)
    second.get_by_role("button", name="Send self-assessment").click(no_wait_after=True)
    for tab in (first, second):
        # Sending makes the submission's PDF for its email (0.7 s on a quiet machine); three sends at once on a busy
        # two-core machine, with moto answering S3 in the same process, can take far longer. This test is about
        # one submission, not speed (benchmarks/ has the figures), so it waits as long as that takes.
        expect(tab.get_by_role("heading", level=1)).to_have_text("Self-assessment sent", timeout=60_000)
    first.go_back()  # the task list is not kept (no-store): asked for again, it leads to the confirmation
    expect(first.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")

    assert len(sends) >= 2 and set(sends) == {f"{task_list}submit"}, sends
    assert set(answers) == {303}, f"every send is answered with a redirect to the confirmation, not {answers}"
    references = {REFERENCE.search(tab.locator(".govuk-panel").inner_text()).group(0) for tab in (first, second)}
    assert len(references) == 1, "every send shows the same reference"
    reference = references.pop()
    new_keys = set(portal.submission_keys()) - keys_before
    assert new_keys == {f"submissions/{ASSESSMENT_ID}/{reference}/000001.json"}, "exactly one submission record"


# 7. A phone.


def test_journey_works_on_a_phone(portal, browser):
    phone = browser.new_context(
        viewport={"width": 320, "height": 640}, device_scale_factor=2, is_mobile=True, java_script_enabled=False
    )
    try:
        page = phone.new_page()
        task_list = start(page, portal)
        widths = {"task list": page.evaluate("document.documentElement.scrollWidth")}
        expect(page.locator(".app-resume-link")).to_be_visible()
        go(page.get_by_role("link", name="About your organisation", exact=True))
        widths["question"] = page.evaluate("document.documentElement.scrollWidth")
        page.goto(f"{task_list}organisation/website/")
        page.get_by_label(field_label(ASSESSMENT.question("website")), exact=True).fill("not a web address")
        save_and_continue(page)
        widths["question with an error"] = page.evaluate("document.documentElement.scrollWidth")
        page.goto(f"{task_list}organisation/check-answers/")
        widths["check answers"] = page.evaluate("document.documentElement.scrollWidth")
        assert {where: width for where, width in widths.items() if width > 320} == {}
    finally:
        phone.close()
