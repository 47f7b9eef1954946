"""The self-assessment journey through the function's HTTP interface, on the file store and on S3 (moto)."""

import pytest

from portal import create_app

from .conftest import CONTENT
from .supplier import Supplier


@pytest.fixture
def journey_app(built, storage_url):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_BASE_URL": "http://localhost",
        }
    )


@pytest.fixture
def supplier(journey_app, assessment):
    return Supplier(journey_app.test_client(), assessment)


def test_start_shows_the_resume_link(supplier):
    task_list = supplier.start()
    html = supplier.client.get(task_list).get_data(as_text=True)
    assert f"http://localhost{task_list}" in html
    assert "Not yet started" in html and "Cannot start yet" in html


def test_whole_journey_stores_one_submission_with_every_answer(supplier, assessment, store):
    supplier.start()
    supplier.complete_all()
    response = supplier.submit()
    assert response.status_code == 303
    confirmation = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Self-assessment sent" in confirmation
    [key] = store.keys("submissions/readiness/")
    record = store.read_json(key)
    assert record["reference"] in confirmation
    assert record["questionnaire_version"] == assessment.version
    assert record["answers"]["organisation_name"] == "Example answer"
    assert set(record["readiness"]) == {s.id for s in assessment.scored_sections}
    for section in assessment.scored_sections:
        assert section.title in confirmation


def test_submitting_twice_creates_one_submission(supplier, store):
    supplier.start()
    supplier.complete_all()
    first, second = supplier.submit(times=2)
    assert first.status_code == second.status_code == 303
    assert len(store.keys("submissions/")) == 1


def test_resume_link_restores_answers_in_a_new_browser(journey_app, supplier, assessment):
    task_list = supplier.start()
    supplier.answer("organisation", "organisation_name", "Acme Joinery Ltd")
    another_computer = Supplier(journey_app.test_client(), assessment)
    another_computer.task_list = task_list
    page = another_computer.client.get(another_computer.question_url("organisation", "organisation_name"))
    assert 'value="Acme Joinery Ltd"' in page.get_data(as_text=True)


def test_a_wrong_answer_is_explained_and_kept(supplier, assessment):
    supplier.start()
    question = next(q for q in assessment.questions if q.type == "whole_number")
    section = assessment.section_of(question.id)
    response = supplier.answer(section.id, question.id, "about twenty")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert 'value="about twenty"' in html
    assert f'href="#{question.id}"' in html


def test_every_saved_answer_is_a_new_version(supplier, store):
    supplier.start()
    supplier.answer("organisation", "organisation_name", "First name")
    supplier.answer("organisation", "organisation_name", "Second name")
    versions = store.keys("drafts/")
    assert len(versions) == 3
    assert [store.read_json(v)["answers"].get("organisation_name") for v in versions] == [None, "First name", "Second name"]


def test_declaration_cannot_start_until_the_other_sections_are_complete(supplier):
    supplier.start()
    response = supplier.client.get(f"{supplier.task_list}declaration/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(supplier.task_list)


def test_unknown_or_mangled_resume_links_are_not_found(supplier):
    supplier.start()
    for address in (
        "/assessments/readiness/not-a-real-token/",
        "/assessments/readiness/" + "x" * 500 + "/",
        "/assessments/nothing/abc/",
        "/assessments/readiness/%00%ff/",
    ):
        assert supplier.client.get(address).status_code == 404, address


def test_answers_are_never_cached(supplier):
    task_list = supplier.start()
    assert supplier.client.get(task_list).headers["Cache-Control"] == "no-store"


def test_a_post_without_the_form_token_is_refused_with_a_message(supplier):
    supplier.start()
    response = supplier.client.post(supplier.question_url("organisation", "organisation_name"), data={"organisation_name": "X"})
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)


def test_storage_outage_keeps_the_answer_on_screen(journey_app, supplier, monkeypatch):
    supplier.start()
    url = supplier.question_url("organisation", "organisation_name")
    token = supplier.csrf(supplier.client.get(url).get_data(as_text=True))

    def unavailable(*args, **kwargs):
        from functions.storage import StorageUnavailable

        raise StorageUnavailable("disk offline")

    with journey_app.app_context():
        from functions.assessment.pages import drafts

        monkeypatch.setattr(drafts().store, "create", unavailable)
    response = supplier.client.post(url, data={"organisation_name": "Acme Joinery Ltd", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "We could not save your answer" in html
    assert 'value="Acme Joinery Ltd"' in html


def test_another_site_cannot_start_assessments_for_a_visitor(journey_app):
    response = journey_app.test_client().post("/assessments/readiness/start", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


HOSTILE_VALUES = [
    "x" * 50_000,
    "\x00\x01\x02",
    "=cmd|' /C calc'!A0",
    ["yes", "no", "maybe"],
    "-1e309",
    "99999999999999999999999999999999999999",
    "<script>alert(1)</script>",
    ["31", "2", "2026"],
    ["", "13", "20x6"],
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)  # validation, not storage: one backend is enough
def test_hostile_answers_get_a_4xx_or_are_stored_safely_never_a_5xx(supplier, assessment):
    supplier.start()
    for question in assessment.questions:
        section = assessment.section_of(question.id)
        if section.requires_completed or question.show_if:
            continue
        for value in HOSTILE_VALUES:
            response = supplier.answer(section.id, question.id, value)
            assert response.status_code in (303, 400), (question.id, value, response.status_code)
            if response.status_code == 400:
                assert "There is a problem" in response.get_data(as_text=True)


def test_a_huge_post_is_refused_with_a_page(supplier):
    supplier.start()
    response = supplier.client.post(
        supplier.question_url("organisation", "organisation_name"), data={"organisation_name": "x" * (2 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_resume_link_can_be_emailed_to_the_outbox(built, assessment, tmp_path):
    from email import message_from_bytes

    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        }
    )
    supplier = Supplier(app.test_client(), assessment)
    task_list = supplier.start()
    response = supplier.post(f"{task_list}email-link", {"email": "owner@example.co.uk"}, form_page=task_list)
    assert response.status_code == 303
    assert "We have emailed you the link" in supplier.client.get(response.headers["Location"]).get_data(as_text=True)
    [sent] = list((tmp_path / "outbox").glob("*.eml"))
    message = message_from_bytes(sent.read_bytes())
    assert message["To"] == "owner@example.co.uk"
    assert f"http://localhost{task_list}" in message.get_payload(decode=True).decode()


def test_a_wrong_email_address_is_explained_and_nothing_is_sent(built, assessment, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        }
    )
    supplier = Supplier(app.test_client(), assessment)
    task_list = supplier.start()
    response = supplier.post(f"{task_list}email-link", {"email": "owner at example"}, form_page=task_list)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html and 'value="owner at example"' in html
    assert not (tmp_path / "outbox").exists()


def test_drafts_expire_and_the_supplier_is_told(journey_app, supplier, assessment, monkeypatch):
    from datetime import timedelta

    from functions.assessment import pages as assessment_function
    from functions.assessment.records import _now

    task_list = supplier.start()
    with journey_app.app_context():
        drafts = assessment_function.drafts()
    monkeypatch.setattr(drafts, "clock", lambda: _now() + timedelta(days=assessment.drafts_expire_after_days + 1))
    response = supplier.client.get(task_list)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)


def test_carbon_check_answers_links_to_the_plan_once_there_is_one(supplier):
    supplier.start()
    check = f"{supplier.task_list}carbon-reduction-plan/check-answers/"
    supplier.answer("carbon-reduction-plan", "has_crp", "no")
    assert "your-carbon-reduction-plan/" not in supplier.client.get(check).get_data(as_text=True)
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    html = supplier.client.get(check).get_data(as_text=True)
    assert f'href="{supplier.task_list}your-carbon-reduction-plan/"' in html
    assert supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan/").status_code == 200
