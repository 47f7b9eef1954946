"""Quick readiness checklists: one page per theme, an instant result with next steps, nothing stored."""

import pytest

from portal import create_app
from portal.questionnaire.progress import checklist_of

from .conftest import CONTENT


@pytest.fixture
def checklist_app(built, tmp_path):
    return create_app(
        {"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": str(tmp_path / "storage")}
    )


def test_each_theme_has_a_checklist_linked_from_its_guidance(client, app):
    assessment = app.extensions["portal.content"].assessment("readiness")
    for section in assessment.scored_sections:
        guidance = client.get(section.guidance).get_data(as_text=True)
        assert f'href="/checklists/readiness/{section.id}/"' in guidance
        page = client.get(f"/checklists/readiness/{section.id}/").get_data(as_text=True)
        for question in checklist_of(section).questions:
            assert question.label.replace("'", "&#39;") in page


def test_best_answers_are_ready_and_weakest_get_advice(checklist_app, tmp_path):
    assessment = checklist_app.extensions["portal.content"].assessment("readiness")
    section = checklist_of(assessment.section("employee-wellbeing"))
    client = checklist_app.test_client()

    def answer(best: bool):
        """Every answer worth the most points, or every answer worth the least."""
        data = {}
        for question in section.questions:
            ranked = sorted(question.options, key=lambda o: o.points)
            if question.type == "choices" and best:
                data[question.id] = [o.value for o in question.options if o.points > 0]
            else:
                data[question.id] = (ranked[-1] if best else ranked[0]).value
        return client.post(f"/checklists/readiness/{section.id}/result", data=data)

    best = answer(best=True)
    assert best.status_code == 200
    assert assessment.levels[0].label in best.get_data(as_text=True)
    weakest = answer(best=False)
    html = weakest.get_data(as_text=True)
    assert assessment.levels[-1].label in html
    assert "What you could do next" in html
    assert not (tmp_path / "storage").exists()


def test_unanswered_checklist_shows_errors_and_keeps_answers(checklist_app):
    assessment = checklist_app.extensions["portal.content"].assessment("readiness")
    section = max((checklist_of(s) for s in assessment.scored_sections), key=lambda s: len(s.questions))
    first = section.questions[0]
    response = checklist_app.test_client().post(
        f"/checklists/readiness/{section.id}/result", data={first.id: first.options[0].value}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and "<title>Error: " in html
    assert f'value="{first.options[0].value}" checked' in html


def test_unknown_checklists_are_not_found(client):
    assert client.get("/checklists/readiness/organisation/").status_code == 404
    assert client.get("/checklists/nothing/net-zero/").status_code == 404
