"""Answer types are classes chosen from the YAML's `type:` through one registry: nothing else branches on a type's
name, and a new type is one class."""

import csv
import io
import re
from pathlib import Path

import pytest
import yaml

from functions.exports.spreadsheets import to_csv
from functions.storage import FileStore
from portal import create_app
from portal.content import ContentError, load_content
from portal.questionnaire import answer_types
from portal.questionnaire.answer_types import AnswerInvalid, AnswerType
from portal.questionnaire.answers import parse_answer

from .submission_factory import put_submission
from .supplier import Supplier, example_answer

ROOT = Path(__file__).resolve().parent.parent
# `question.type == "date"`, `q.type in (...)`, `data["type"] != ...`: a branch on a type's name.
BRANCH_ON_A_TYPE = re.compile(r"""(\.type|\[["']type["']\])\s*(==|!=|\bin\b|\bnot\s+in\b)""")


def test_no_code_outside_the_answer_types_branches_on_a_type_name():
    found = []
    for path in [*ROOT.glob("portal/**/*.py"), *ROOT.glob("functions/**/*.py"), *ROOT.glob("portal/templates/**/*")]:
        if path.name == "answer_types.py" or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BRANCH_ON_A_TYPE.search(line) and "content_type" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "Branch on the answer type's class (question.kind), not its name:\n" + "\n".join(found)


class Postcode(AnswerType):
    """A UK postcode, stored in capitals with one space: a type a council might add."""

    name, settings, required_message = "postcode", ("autocomplete",), "Enter a postcode"
    default_max_length = 8

    def parse_text(self, question, raw):
        found = re.fullmatch(r"([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})", raw.strip().upper())
        if found is None:
            raise AnswerInvalid("Enter a real postcode, like SW1A 1AA")
        return f"{found[1]} {found[2]}"


@pytest.fixture
def with_postcodes(monkeypatch, content_copy, built, tmp_path):
    monkeypatch.setitem(answer_types.ANSWER_TYPES, "postcode", Postcode())
    path = content_copy / "assessments" / "readiness.yaml"
    declaration = yaml.safe_load(path.read_text())
    organisation = next(s for s in declaration["sections"] if s["id"] == "organisation")
    organisation["questions"].append(
        {
            "id": "office_postcode",
            "type": "postcode",
            "label": "Your main office's postcode",
            "why": "We look at where suppliers work.",
            "autocomplete": "postal-code",
        }
    )
    path.write_text(yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False))
    return create_app(
        {"TESTING": True, "PORTAL_CONTENT": content_copy, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": str(tmp_path / "storage")}
    )


def test_a_new_answer_type_is_one_class_and_reaches_the_form_the_record_and_the_export(with_postcodes, tmp_path):
    assessment = with_postcodes.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(with_postcodes.test_client(), assessment)
    supplier.start()
    page = supplier.client.get(supplier.question_url("organisation", "office_postcode")).get_data(as_text=True)
    assert "Your main office&#39;s postcode" in page and 'autocomplete="postal-code"' in page

    refused = supplier.answer("organisation", "office_postcode", "not a postcode")
    assert refused.status_code == 400 and "Enter a real postcode, like SW1A 1AA" in refused.get_data(as_text=True)
    empty = supplier.answer("organisation", "office_postcode", "")
    assert empty.status_code == 400 and "Enter a postcode" in empty.get_data(as_text=True)
    assert supplier.answer("organisation", "office_postcode", "sw1a1aa").status_code == 303

    answers = {
        q.id: parse_answer(q, "sw1a 1aa" if q.id == "office_postcode" else example_answer(q)) for q in assessment.questions
    }
    record = put_submission(FileStore(tmp_path / "exports"), assessment, answers)
    assert record["answers"]["office_postcode"] == "SW1A 1AA"
    header, row = list(csv.reader(io.StringIO(to_csv(assessment, [record]).decode("utf-8-sig"))))
    assert dict(zip(header, row))["Your main office's postcode"] == "SW1A 1AA"


def test_a_type_no_class_declares_is_a_content_error_that_names_the_types(content_copy):
    path = content_copy / "assessments" / "readiness.yaml"
    path.write_text(path.read_text().replace("type: long_text", "type: essay", 1))
    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    assert "essay" not in str(raised.value).split("use one of:")[1]
    assert "use one of: yes_no, choice, choices, whole_number" in str(raised.value)
