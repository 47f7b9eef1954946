"""Bidi controls (U+202E and friends) in what suppliers typed: isolated on council pages, dropped from export cells;
and XLSX cells, typed as text, keep what was typed without CSV's apostrophe."""

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from functions.council.bidi import isolate
from functions.exports.spreadsheets import to_csv, to_xlsx
from functions.storage import FileStore, open_store
from tests.officer import VIEWER, Clock, council_app_with_officers, send_submission, signed_in
from tests.test_exports_spreadsheets import question_of_type, read_csv
from tests.submission_factory import put_submission, typed_answers

EMBEDS, POP_EMBED, ISOLATES, POP_ISOLATE = "\u202a\u202b\u202d\u202e", "\u202c", "\u2066\u2067\u2068", "\u2069"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
EVIL = "\u2069\u202eevil\u2066 Ltd"  # a stray closer first, an override, an isolate never closed


def open_after(text: str) -> list[list[str]]:
    """The stack of embeddings ('e') and isolates ('i') open after each character, as the Unicode bidi algorithm
    (UAX #9, rules X1-X8) keeps it."""
    stack, states = [], []
    for character in text:
        if character in EMBEDS:
            stack.append("e")
        elif character == POP_EMBED and stack and stack[-1] == "e":
            stack.pop()
        elif character in ISOLATES:
            stack.append("i")
        elif character == POP_ISOLATE and "i" in stack:
            while stack.pop() != "i":
                pass
        states.append(list(stack))
    return states


def contained(html: str) -> bool:
    """No embedding or isolate is open where a tag begins: nothing a value does reaches the page around it."""
    states = open_after(html)
    return all(not states[i - 1] for i, character in enumerate(html) if character == "<" and i)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.text(st.one_of(st.sampled_from(BIDI), st.characters(blacklist_categories=["Cs"])), max_size=40))
def test_isolated_text_keeps_whatever_it_opens_to_itself(text):
    shown = isolate(text)
    states = open_after(shown)
    assert not states or states[-1] == []
    if shown != text:  # the isolate it opened stays open until its very last character
        assert all(state and state[0] == "i" for state in states[:-1])
    assert [c for c in shown if c not in BIDI] == [c for c in text if c not in BIDI]


@pytest.fixture
def officer_and_reference(built, tmp_path):
    clock = Clock()
    app = council_app_with_officers(built[1], str(tmp_path / "storage"), tmp_path / "outbox", clock, "http://localhost")
    reference = send_submission(app, open_store(str(tmp_path / "storage")), EVIL, clock=clock)
    return signed_in(app, VIEWER, tmp_path / "outbox"), reference


def test_council_pages_isolate_a_suppliers_bidi_controls(officer_and_reference):
    officer, reference = officer_and_reference
    listed = officer.client.get("/council/submissions/").get_data(as_text=True)
    assert "\u2068\u202eevil\u2066 Ltd\u2069\u2069" in listed
    shown = officer.client.get(f"/council/submissions/readiness/{reference}/").get_data(as_text=True)
    assert EVIL.replace("\u2069", "") in shown
    for html in (listed, shown):
        assert contained(html)


def test_export_cells_drop_bidi_and_control_characters(tmp_path):
    from portal.content import load_content
    from tests.conftest import CONTENT

    assessment = load_content(CONTENT).assessment("readiness")
    store = FileStore(tmp_path)
    text = question_of_type(assessment, "text")
    record = put_submission(store, assessment, typed_answers(assessment, **{text.id: "\u202eevil\u200f\x07 Ltd\x85"}))
    header, row = read_csv(to_csv(assessment, [record]))
    assert dict(zip(header, row))[text.label] == "evil Ltd"
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    assert {c.value: v.value for c, v in zip(sheet[1], sheet[2])}[text.label] == "evil Ltd"
    assert not any(re.search(f"[{BIDI}]", str(cell.value or "")) for line in sheet.iter_rows() for cell in line)


def test_xlsx_keeps_a_phone_number_as_typed_and_csv_keeps_its_apostrophe(tmp_path):
    from portal.content import load_content
    from tests.conftest import CONTENT

    assessment = load_content(CONTENT).assessment("readiness")
    text = question_of_type(assessment, "text")
    record = put_submission(FileStore(tmp_path), assessment, typed_answers(assessment, **{text.id: "+44 7700 900123"}))
    header, row = read_csv(to_csv(assessment, [record]))
    assert dict(zip(header, row))[text.label] == "'+44 7700 900123"
    sheet = load_workbook(io.BytesIO(to_xlsx([(assessment, [record])]))).active
    cell = {c.value: v for c, v in zip(sheet[1], sheet[2])}[text.label]
    assert (cell.value, cell.data_type) == ("+44 7700 900123", "s")
