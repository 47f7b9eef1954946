"""What is sent holds only answers to questions shown at sending; the draft keeps the rest while the supplier edits."""

import pytest

from functions.storage import open_store
from portal import create_app

from .conftest import CONTENT
from .council_api_client import api_app, issue_token, put_officer


@pytest.fixture
def journey_app(built, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_BASE_URL": "http://localhost",
        }
    )


def _built(app):
    return (None, app.config["PORTAL_ASSETS"])


def plan_answers(record_answers: dict, assessment) -> set:
    """Answers to the questions asked only of a supplier with a plan: its figures, signatory and web address."""
    section = assessment.section("carbon-reduction-plan")
    return {q.id for q in section.questions if q.id.startswith("crp_") and q.id in record_answers}


def test_answers_hidden_by_a_changed_answer_are_not_sent(supplier, assessment, journey_app, tmp_path):
    supplier.complete_all()  # a published plan, with its figures, signatory and web address
    supplier.answer("carbon-reduction-plan", "has_crp", "no")
    supplier.complete_section("carbon-reduction-plan", {"has_crp": "no"})
    assert supplier.submit().status_code == 303

    store = open_store(str(tmp_path / "storage"))
    [key] = store.keys("submissions/readiness/")
    record = store.read_json(key)
    assert plan_answers(record["answers"], assessment) == set()
    assert record["answers"]["has_crp"] == "no"
    assert record["carbon_reduction_plan"] is None  # no plan, so nothing for the plan checker
    assert not any(slot.startswith("crp") or "carbon" in slot for e in record["evidence"] for slot in e["slots"])
    api = api_app(str(tmp_path / "storage"), journey_app.config["PORTAL_ASSETS"] and _built(journey_app))
    put_officer(store)
    served = (
        api.test_client()
        .get(f"/council/api/submissions/readiness/{record['reference']}", headers={"Authorization": f"Bearer {issue_token(api)}"})
        .get_json()
    )
    assert plan_answers(served["answers"], assessment) == set() and served["answers"]["has_crp"] == "no"
    confirmation = supplier.client.get(f"{supplier.task_list}confirmation/").get_data(as_text=True)
    assert "Example answer" in confirmation and "https://www.example.co.uk" not in confirmation.split("carbon")[-1]


def test_changing_an_answer_back_restores_the_answers_it_hid(supplier):
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    supplier.answer("carbon-reduction-plan", "crp_web_address", "https://www.example.co.uk/our-plan")
    supplier.answer("carbon-reduction-plan", "has_crp", "no")
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    page = supplier.client.get(supplier.question_url("carbon-reduction-plan", "crp_web_address")).get_data(as_text=True)
    assert 'value="https://www.example.co.uk/our-plan"' in page
