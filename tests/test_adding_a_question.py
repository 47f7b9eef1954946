"""A council adds a question by editing YAML alone: it reaches the form, validation, check answers, scoring, the record
and the officers' exports."""

import csv
import io
import json

import pytest
import yaml
from openpyxl import load_workbook

from functions.exports.spreadsheets import to_csv, to_xlsx
from functions.storage import FileStore
from portal import create_app

from .submission_factory import put_submission, typed_answers
from .supplier import Supplier

NEW_QUESTION = {
    "id": "mental_health_first_aiders",
    "type": "yes_no",
    "label": "Do you have a trained mental health first aider?",
    "why": "A trained first aider helps staff get support early.",
    "options": [
        {"value": "yes", "label": "Yes", "points": 5},
        {"value": "no", "label": "No", "advice": "Train at least one member of staff as a mental health first aider."},
    ],
}


@pytest.fixture
def app_with_new_question(content_copy, built, tmp_path):
    path = content_copy / "assessments" / "readiness.yaml"
    declaration = yaml.safe_load(path.read_text())
    wellbeing = next(s for s in declaration["sections"] if s["id"] == "employee-wellbeing")
    wellbeing["questions"].append(NEW_QUESTION)
    path.write_text(yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False))
    return create_app(
        {"TESTING": True, "PORTAL_CONTENT": content_copy, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": str(tmp_path / "storage")}
    )


def test_a_question_left_empty_gets_the_error_its_yaml_gives_in_the_summary_and_at_the_field(app_with_new_question):
    assessment = app_with_new_question.extensions["portal.content"].assessment("readiness")
    [organisation_name] = [q for s in assessment.sections for q in s.questions if q.id == "organisation_name"]
    supplier = Supplier(app_with_new_question.test_client(), assessment)
    supplier.start()
    refused = supplier.answer("organisation", "organisation_name", "")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and organisation_name.error_if_empty == "Enter your organisation's name"
    assert '<a href="#organisation_name">Enter your organisation&#39;s name</a>' in page  # the error summary
    assert "</span> Enter your organisation&#39;s name" in page  # and above the field


def test_a_question_added_in_yaml_is_asked_checked_scored_and_stored(app_with_new_question, tmp_path):
    assessment = app_with_new_question.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(app_with_new_question.test_client(), assessment)
    supplier.start()
    url = supplier.question_url("employee-wellbeing", NEW_QUESTION["id"])

    page = supplier.client.get(url).get_data(as_text=True)
    assert NEW_QUESTION["label"] in page and NEW_QUESTION["why"] in page
    refused = supplier.answer("employee-wellbeing", NEW_QUESTION["id"], "")
    assert refused.status_code == 400 and "Select yes or no" in refused.get_data(as_text=True)

    supplier.complete_all({NEW_QUESTION["id"]: "no"})
    check = supplier.client.get(f"{supplier.task_list}employee-wellbeing/check-answers/").get_data(as_text=True)
    assert NEW_QUESTION["label"] in check

    confirmation = supplier.client.get(supplier.submit().headers["Location"]).get_data(as_text=True)
    assert NEW_QUESTION["options"][1]["advice"] in confirmation

    [record] = (tmp_path / "storage" / "submissions").rglob("*.json")
    stored = json.loads(record.read_text())
    assert stored["answers"][NEW_QUESTION["id"]] == "no"
    section = assessment.section("employee-wellbeing")
    assert NEW_QUESTION["id"] in {q.id for q in section.questions}
    assert sum(q.max_points for q in section.questions) >= 5


def test_a_question_added_in_yaml_is_a_column_in_both_exports(app_with_new_question, tmp_path):
    assessment = app_with_new_question.extensions["portal.content"].assessment("readiness")
    record = put_submission(FileStore(tmp_path / "exports"), assessment, typed_answers(assessment, **{NEW_QUESTION["id"]: "yes"}))

    header, row = list(csv.reader(io.StringIO(to_csv(assessment, [record]).decode("utf-8-sig"))))
    assert dict(zip(header, row))[NEW_QUESTION["label"]] == "Yes"
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    assert {head.value: cell.value for head, cell in zip(sheet[1], sheet[2])}[NEW_QUESTION["label"]] == "Yes"
