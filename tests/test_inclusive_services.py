"""The inclusive and accessible services theme: listed with the other themes' guidance, scored fairly for a supplier
that builds no digital services, asking for its evidence with the same types and limits as the other slots, and a
filter on the council's list."""

import pytest

from functions.storage import open_store
from portal import create_app
from portal.questionnaire.progress import section_evidence

from .conftest import CONTENT
from .officer import VIEWER, Clock, council_app_with_officers, send_submission, signed_in
from .supplier import Supplier

SECTION = "inclusive-services"
GUIDANCE = "/guidance/inclusive-and-accessible-services/"
DIGITAL_ONLY = {"accessibility_standard", "accessibility_testing", "accessibility_statements", "other_ways_to_use"}
# The best answers a supplier with no digital services can give.
NOT_DIGITAL_AT_BEST = {
    "provides_digital_services": "no",
    "research_participants": ["people-who-use-it", "disabled-people", "digitally-excluded", "language-and-literacy"],
    "plain_language": "written-and-tested",
    "inclusive_team": ["training", "accessibility-lead", "lived-experience", "representative-team"],
    "accessibility_policy": "yes",
}
# The weakest answers a supplier with digital services can give.
DIGITAL_AT_WORST = {
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


@pytest.fixture
def app(built, tmp_path):
    return create_app(
        {"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": str(tmp_path / "storage")}
    )


@pytest.fixture
def assessment(app):
    return app.extensions["portal.content"].assessment("readiness")


def test_guidance_lists_the_theme_under_what_we_look_for_with_the_others(app, assessment):
    client = app.test_client()
    index = client.get("/guidance/").get_data(as_text=True)
    what_we_look_for = index.split("What we look for</h2>", 1)[1]
    for section in assessment.scored_sections:
        assert f'href="{section.guidance}"' in what_we_look_for, section.id
    assert assessment.section(SECTION).guidance == GUIDANCE
    page = client.get(GUIDANCE).get_data(as_text=True)
    assert "<h1" in page and "Inclusive and accessible services" in page
    assert f'href="/checklists/readiness/{SECTION}/"' in page


def result_of(app, assessment, answers) -> tuple[str, str]:
    """The section's check answers page and the confirmation, after sending a self-assessment with these answers."""
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    supplier.complete_all(answers)
    check = supplier.client.get(f"{supplier.task_list}{SECTION}/check-answers/").get_data(as_text=True)
    return check, supplier.client.get(supplier.submit().headers["Location"]).get_data(as_text=True)


def test_a_supplier_without_digital_services_is_not_asked_about_them_or_marked_down(app, assessment):
    check, confirmation = result_of(app, assessment, NOT_DIGITAL_AT_BEST)
    for question_id in DIGITAL_ONLY:
        assert assessment.question(question_id).label not in check.replace("&#39;", "'"), question_id
    theme = confirmation.split(f"Inclusive and accessible services: {assessment.levels[0].label}</h3>", 1)[1]
    assert theme.split("</p>", 1)[0].endswith("You scored 100% of the points for this theme.")


def test_the_weakest_answers_get_a_next_step_for_each(app, assessment):
    _, confirmation = result_of(app, assessment, DIGITAL_AT_WORST)
    assert f"Inclusive and accessible services: {assessment.levels[-1].label}" in confirmation
    section = assessment.section(SECTION)
    for question in section.questions:
        for option in question.chosen(DIGITAL_AT_WORST[question.id]):
            if question.max_points:
                assert option.advice, f"{question.id}: {option.value} has no next step"
                assert str(option.advice).strip() in confirmation, question.id


def test_evidence_slots_take_the_same_types_and_limits_as_the_others(app, assessment):
    section = assessment.section(SECTION)
    asked = section_evidence(
        section, {"provides_digital_services": "yes", "accessibility_standard": "wcag-22-aa", "accessibility_policy": "yes"}
    )
    statement, policy = asked
    plan = assessment.evidence_slot("carbon-reduction-plan")  # a document, as the statement or audit is
    other_policy = assessment.evidence_slot("edi-policy")
    assert (statement.types, statement.max_files, statement.max_size_mb) == (plan.types, plan.max_files, plan.max_size_mb)
    assert (policy.types, policy.max_files, policy.max_size_mb) == (
        other_policy.types,
        other_policy.max_files,
        other_policy.max_size_mb,
    )
    assert section_evidence(section, {"provides_digital_services": "no", "accessibility_policy": "no"}) == []

    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    supplier.complete_section(SECTION, {"accessibility_standard": "wcag-22-aa", "accessibility_policy": "yes"})
    check = supplier.client.get(f"{supplier.task_list}{SECTION}/check-answers/").get_data(as_text=True)
    for slot in asked:
        assert f'href="{supplier.task_list}evidence/{slot.id}/"' in check
    page = supplier.client.get(f"{supplier.task_list}evidence/{statement.id}/").get_data(as_text=True)
    assert statement.label in page and "It must be a PDF, DOCX or ODT, smaller than 25MB" in page


def test_the_council_list_filters_by_the_theme(built, tmp_path):
    app = council_app_with_officers(built[1], str(tmp_path / "storage"), tmp_path / "outbox", Clock(), "http://localhost")
    store = open_store(app.config["PORTAL_STORAGE"])
    reference = send_submission(app, store, "Inclusive Ltd")
    level = store.read_json(store.keys(f"submissions/readiness/{reference}/")[-1])["readiness"][SECTION]["level"]
    other = next(lv.id for lv in app.extensions["portal.content"].assessment("readiness").levels if lv.id != level)
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")

    listed = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert f'<option value="{SECTION}">Inclusive and accessible services</option>' in listed
    assert reference in viewer.client.get(f"/council/submissions/?theme={SECTION}&level={level}").get_data(as_text=True)
    assert reference not in viewer.client.get(f"/council/submissions/?theme={SECTION}&level={other}").get_data(as_text=True)
