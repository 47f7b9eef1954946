"""Officers' CSV and XLSX exports of submissions, opened as a spreadsheet user would: csv module and openpyxl."""

import csv
import io
from datetime import date, datetime, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from functions.exports import tables
from functions.exports.cells import xlsx_text

from functions.exports.columns import UnknownColumns, columns
from functions.exports.spreadsheets import to_csv, to_xlsx
from functions.exports.submissions import SubmissionFilter, find_submissions
from functions.storage import FileStore, open_store

from .conftest import CONTENT
from .submission_factory import put_evidence, put_submission, typed_answers

HOSTILE = ['=HYPERLINK("http://evil.example","Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTabbed", "\rReturned"]


@pytest.fixture(scope="module")
def assessment():
    from portal.content import load_content

    return load_content(CONTENT).assessment("readiness")


def question_of_type(assessment, kind):
    return next(q for q in assessment.questions if q.type == kind)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_column_for_every_question_and_typed_answers(assessment, tmp_path):
    store = FileStore(tmp_path)
    number, quantity, day = (question_of_type(assessment, kind) for kind in ("whole_number", "quantity", "date"))
    choice = question_of_type(assessment, "choice")
    record = put_submission(
        store, assessment, typed_answers(assessment, **{number.id: 42, quantity.id: "1250.5", day.id: "2026-03-01"})
    )
    header, row = read_csv(to_csv(assessment, [record]))
    cells = dict(zip(header, row))
    assert len(header) == len(columns(assessment))
    for question in assessment.questions:
        assert any(heading.startswith(question.label) for heading in header), question.id
    assert cells["Reference"] == record["reference"]
    assert cells["Submitted"] == "2026-11-20 10:30"  # UK wall-clock time
    assert cells[number.label] == "42" and cells[f"{quantity.label} ({quantity.unit})"] == "1250.5"
    assert cells[day.label] == "2026-03-01"
    assert cells[choice.label] == choice.options[0].label


def test_csv_has_only_the_columns_chosen_in_the_order_chosen(assessment, tmp_path):
    store = FileStore(tmp_path)
    record = put_submission(store, assessment)
    question = assessment.questions[0]
    header, row = read_csv(to_csv(assessment, [record], ["submitted_at", question.id, "reference"]))
    assert header == ["Submitted", question.label, "Reference"]
    assert row[2] == record["reference"]
    with pytest.raises(UnknownColumns) as refused:
        to_csv(assessment, [record], ["reference", "no_such_question"])
    assert refused.value.unknown == ["no_such_question"]


def test_xlsx_has_a_sheet_per_questionnaire_with_numbers_and_dates_typed(assessment, tmp_path):
    store = FileStore(tmp_path)
    number, quantity, day = (question_of_type(assessment, kind) for kind in ("whole_number", "quantity", "date"))
    record = put_submission(
        store, assessment, typed_answers(assessment, **{number.id: 42, quantity.id: "1250.5", day.id: "2026-03-01"})
    )
    workbook = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])])))
    assert workbook.sheetnames == [assessment.title[:31]]
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    cells = {heading: cell for heading, cell in zip(header, sheet[2])}
    assert cells[number.label].value == 42 and cells[number.label].data_type == "n"
    amount = cells[f"{quantity.label} ({quantity.unit})"]
    assert amount.value == pytest.approx(1250.5) and amount.data_type == "n"
    assert cells[day.label].value == datetime(2026, 3, 1) and cells[day.label].is_date
    assert cells["Submitted"].value == datetime(2026, 11, 20, 10, 30) and cells["Submitted"].is_date
    scored = assessment.scored_sections[0]
    percent = cells[f"{scored.title}: readiness (%)"]
    assert percent.data_type == "n" and percent.value == record["readiness"][scored.id]["percent"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_exports_never_let_a_spreadsheet_run_an_answer_as_a_formula(assessment, tmp_path, hostile):
    store = FileStore(tmp_path)
    text = question_of_type(assessment, "text")
    record = put_submission(store, assessment, typed_answers(assessment, **{text.id: hostile}))
    record["evidence"] = [put_evidence(store, record["reference"], "=cmd|' /C calc'!A0.pdf", b"%PDF-1.7")]
    header, row = read_csv(to_csv(assessment, [record]))
    cells = dict(zip(header, row))
    assert cells[text.label] == "'" + hostile
    assert cells["Evidence files"] == "'=cmd|' /C calc'!A0.pdf"
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    by_heading = {cell.value: value for cell, value in zip(sheet[1], sheet[2])}
    cell = by_heading[text.label]
    # Typed as text, so shown as typed with no apostrophe (CSV's only defence); XML keeps no lone carriage return.
    assert cell.value.replace("\r", "\n") == hostile.replace("\r", "\n") and cell.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_unicode_and_long_answers_survive_both_formats(assessment, tmp_path):
    store = FileStore(tmp_path)
    long_text = question_of_type(assessment, "long_text")
    answer = 'Café Ōmori Ltd 🌱, "quoted", with a line\nbreak ' + "x" * (long_text.length_limit - 60)
    record = put_submission(store, assessment, typed_answers(assessment, **{long_text.id: answer}))
    header, row = read_csv(to_csv(assessment, [record]))
    assert dict(zip(header, row))[long_text.label] == answer
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    assert {c.value: v.value for c, v in zip(sheet[1], sheet[2])}[long_text.label] == answer


def test_a_stored_answer_with_a_control_character_still_exports_to_xlsx(assessment, tmp_path):
    """Forms refuse control characters, but a record stored another way may hold one: XML cannot, so it is dropped."""
    store = FileStore(tmp_path)
    text = question_of_type(assessment, "text")
    record = put_submission(store, assessment, typed_answers(assessment, **{text.id: "Bell\x07 and\x00 null"}))
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    assert {c.value: v.value for c, v in zip(sheet[1], sheet[2])}[text.label] == "Bell and null"


@pytest.mark.parametrize("odd", ["\ufffe", "\uffff", "\ufdd0", "\x0b", "\U0010ffff"])
def test_a_stored_answer_with_a_character_xml_refuses_still_makes_an_xlsx_that_opens(assessment, tmp_path, odd):
    """U+FFFE and its like are no text: openpyxl wrote them and made a file that Excel and openpyxl refuse."""
    store = FileStore(tmp_path)
    text = question_of_type(assessment, "text")
    record = put_submission(store, assessment, typed_answers(assessment, **{text.id: f"Acme{odd} Ltd"}))
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    assert {c.value: v.value for c, v in zip(sheet[1], sheet[2])}[text.label] == "Acme Ltd"


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("Acme\ufffe\uffff\ud800\x0b Ltd\r\n")
def test_any_text_in_a_table_makes_an_xlsx_that_opens_with_the_text_it_can_hold(value):
    """Contracts, returns, KPI data and the Charter export through tables.to_file: whatever a record holds."""
    sheet = load_workbook(io.BytesIO(tables.to_file([["Heading"], [value]], "xlsx", "Sheet"))).active
    # XML reads a carriage return as a line feed, as a spreadsheet shows it
    assert sheet["A2"].value == (xlsx_text(value).replace("\r\n", "\n").replace("\r", "\n") or None)


def test_filter_takes_the_latest_version_of_each_submission_within_the_dates(assessment, storage_url):
    store = open_store(storage_url)
    early = put_submission(store, assessment, submitted_at=datetime(2026, 10, 1, 9, tzinfo=timezone.utc))
    # 23:30 UTC on 31 October is still 31 October in the UK: the clocks went back on the 25th.
    late_october = put_submission(store, assessment, submitted_at=datetime(2026, 10, 31, 23, 30, tzinfo=timezone.utc))
    summer = put_submission(store, assessment, submitted_at=datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc))
    amended = put_submission(
        store, assessment, reference=early["reference"], version=2, submitted_at=datetime(2026, 10, 2, 9, tzinfo=timezone.utc)
    )
    assessments = {assessment.id: assessment}

    everything = find_submissions(store, assessments)
    assert [s.record["submitted_at"] for s in everything] == [
        late_october["submitted_at"],
        amended["submitted_at"],
        summer["submitted_at"],
    ]
    october = find_submissions(
        store, assessments, SubmissionFilter(assessment.id, submitted_from=date(2026, 10, 1), submitted_to=date(2026, 10, 31))
    )
    assert {s.record["reference"] for s in october} == {early["reference"], late_october["reference"]}
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK: the filter's days are UK days.
    july = find_submissions(store, assessments, SubmissionFilter(submitted_from=date(2026, 7, 1), submitted_to=date(2026, 7, 1)))
    assert [s.record["reference"] for s in july] == [summer["reference"]]
    assert find_submissions(store, assessments, SubmissionFilter(assessment="no-such-questionnaire")) == []
    assert all(s.evidence == [] for s in everything)  # records from before evidence have none
