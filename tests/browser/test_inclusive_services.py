"""The inclusive and accessible services theme in real Chromium with JavaScript off, checked with axe-core on every
page: its guidance, its quick checklist (which stores nothing), its section of the self-assessment with an error,
check answers and evidence, and its result. The long journey in test_journey.py goes through every section; this
looks closely at the new one, on the same running portal and with the same helpers."""

import re

from playwright.sync_api import Page, expect

from portal.questionnaire.progress import checklist_of
from tests.supplier import example_answer

from .test_journey import (  # noqa: F401 (the journey's fixtures: a running portal, a page with JavaScript off, axe's page)
    COMPLETED_YES,
    axe_on_what_is_shown,
    axe_page,
    context,
    fill_answer,
    go,
    page,
    portal,
    portals,
    question_on_screen,
    save_and_continue,
    status_of,
)

SECTION = "inclusive-services"
# The weakest answers to the checklist, from a supplier that builds digital services: every one has a next step.
WEAKEST = {
    "provides_digital_services": "yes",
    "accessibility_standard": "no-set-standard",
    "accessibility_testing": ["none"],
    "accessibility_statements": "no",
    "other_ways_to_use": "online-only",
    "research_participants": ["none"],
    "plain_language": "no",
    "inclusive_team": ["none"],
    "accessibility_policy": "no",
}


class Axe:
    """axe-core run on what a JavaScript-off page shows, gathering every violation with where it was found."""

    def __init__(self, page: Page, axe_page: Page):
        self.page, self.axe_page, self.found, self.checked = page, axe_page, [], []

    def check(self, where: str) -> None:
        self.checked.append(where)
        self.found.extend(f"{where}: {violation}" for violation in axe_on_what_is_shown(self.page, self.axe_page))


def choose(page: Page, question, value) -> None:
    """Answer one question of a page that has several, inside its own fieldset (many have a "No")."""
    group = page.get_by_role("group", name=re.compile("^" + re.escape(question.label)))
    for option in question.options:
        if option.value in (value if isinstance(value, list) else [value]):
            group.get_by_label(option.label, exact=True).check()


def test_guidance_and_quick_checklist_work_with_javascript_off_and_store_nothing(portal, page, axe_page):
    section = portal.assessment.section(SECTION)
    axe = Axe(page, axe_page)

    page.goto(portal.base_url + "/")
    go(page.get_by_role("main").get_by_role("link", name="Guidance for small businesses"))
    go(page.get_by_role("main").get_by_role("link", name=section.title, exact=True))
    assert page.url == portal.base_url + section.guidance
    expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
    axe.check("guidance")

    go(page.get_by_role("link", name=f"Quick checklist: {section.title.lower()}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
    axe.check("checklist")
    stored = portal.store().keys()

    go(page.get_by_role("button", name="See your result"))
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(section.question("provides_digital_services").error_if_empty)
    axe.check("checklist with errors")

    questions = checklist_of(section).questions
    assert {q.id for q in questions} == set(WEAKEST)
    for question in questions:
        choose(page, question, WEAKEST[question.id])
    go(page.get_by_role("button", name="See your result"))
    expect(page.locator(".govuk-panel__title")).to_have_text(portal.assessment.levels[-1].label)
    steps = page.get_by_role("main").locator("ul.govuk-list--bullet > li")
    expect(steps).to_have_count(len(WEAKEST) - 1)  # every scored answer given has its next step
    axe.check("checklist result")

    assert portal.store().keys() == stored, "the checklist stores nothing"
    assert axe.found == [], "\n".join(axe.found)


def test_the_section_its_evidence_and_result_work_with_javascript_off(portal, page, axe_page):
    assessment = portal.assessment
    section = assessment.section(SECTION)
    declaration = assessment.sections[-1]
    assert SECTION in declaration.requires_completed
    supplier = portal.supplier()  # set-up, not under test: every other section but the declaration, answered
    task_list = portal.base_url + supplier.start()
    for other in assessment.sections:
        if other.id not in (SECTION, declaration.id):
            assert supplier.complete_section(other.id).status_code == 303
    axe = Axe(page, axe_page)

    page.goto(task_list)
    assert status_of(page, section.title) == "Not yet started"
    assert status_of(page, declaration.title) == "Cannot start yet"
    go(page.get_by_role("link", name=section.title, exact=True))
    first = question_on_screen(page, assessment)
    assert page.url == f"{task_list}{SECTION}/{first.id}/"
    axe.check(f"question ({first.id})")
    save_and_continue(page)  # nothing chosen
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(first.error_if_empty)
    axe.check(f"question with an error ({first.id})")

    asked = []
    while "/check-answers/" not in page.url:
        question = question_on_screen(page, assessment)
        assert assessment.section_of(question.id) is section and len(asked) <= len(section.questions)
        if asked:
            axe.check(f"question ({question.id})")
        asked.append(question.id)
        fill_answer(page, question, example_answer(question))
        address = page.url
        save_and_continue(page)
        assert page.url != address, f"{question.id} was refused"
    assert asked == [q.id for q in section.questions], "a supplier with digital services is asked every question"
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    axe.check("check answers")

    statement = section.evidence[0]
    go(page.get_by_role("link", name=f"Add files {statement.label.lower()}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(statement.label)
    expect(page.get_by_text("It must be a PDF, DOCX or ODT")).to_be_visible()
    axe.check("evidence")
    go(page.get_by_role("link", name="Back"))

    page.get_by_label(COMPLETED_YES).check()
    go(page.get_by_role("button", name="Continue"))
    assert page.url == task_list and status_of(page, section.title) == "Completed"
    assert supplier.complete_section(declaration.id).status_code == 303

    page.goto(task_list)
    go(page.get_by_role("button", name="Send self-assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    expect(
        page.get_by_role(
            "heading", level=3, name=re.compile(rf"^{re.escape(section.title)}: (Ready|Developing|Getting started)$")
        )
    ).to_have_count(1)
    axe.check("confirmation")

    assert axe.found == [], "\n".join(axe.found)
