"""Commitments imported from XLSX or CSV: all rows right, or every bad row named; whole files refused clearly."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from portal.content import load_content
from portal.contracts.spreadsheet import CommitmentRow, commitments_from_rows, read_commitment_rows

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)
HEADINGS = ["Measure code", "Quantity", "Period"]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_file_gives_its_rows():
    rows, problems = read_commitment_rows(
        xlsx([HEADINGS, ["le01", 4.5, "each period"], ["GP01", 6, 1], ["GP01", 6, 2]]), CONTENT_LOADED
    )
    assert problems == []
    assert rows == [
        CommitmentRow(2, "LE01", Decimal("4.5"), None),
        CommitmentRow(3, "GP01", Decimal(6), 1),
        CommitmentRow(4, "GP01", Decimal(6), 2),
    ]


def test_a_csv_file_with_a_byte_order_mark_gives_its_rows():
    rows, problems = read_commitment_rows(
        '\ufeffMeasure code,Quantity,Period\r\nWB06,"1,200",each\r\n,,\r\n'.encode(), CONTENT_LOADED
    )
    assert problems == [] and rows == [CommitmentRow(2, "WB06", Decimal(1200), None)]


def test_every_bad_row_is_named_and_no_row_is_returned():
    data = xlsx(
        [
            HEADINGS,
            ["LE01", 4.5, "each period"],
            ["XX99", 1, 1],
            ["WB01", 2.5, "each"],
            ["LE02", "=A2*2", 1],
            ["LE03", -1, 1],
            ["LE04", 1, "next year"],
            ["LE01", 3, "each"],
            ["GP01", "", 1],
            ["LE05", -2, "each period"],
            ["LE06", 0, "each period"],
        ]
    )
    rows, problems = read_commitment_rows(data, CONTENT_LOADED)
    assert rows == []
    assert problems == [
        "Row 3: 'XX99' is not a measure in the framework; use a code like LE01",
        "Row 4: the quantity for WB01 must be a whole number, like 12",
        "Row 5: a cell holds a formula; type the value itself",
        "Row 6: the quantity for LE03 in period 1 must be 0 or more",
        "Row 7: enter the period as 'each period' or a period number, like 1",
        "Row 8: LE01 for each period is already in row 2",
        "Row 9: enter the quantity for GP01",
        "Row 10: the quantity for LE05 for each period must be more than 0",  # one rule, one message, either side
        "Row 11: the quantity for LE06 for each period must be more than 0",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The selected file is empty"),
        (b"\n\n", "The selected file is empty"),
        (b"Measure code,Quantity,Period\n", "The selected file has no commitments below its headings"),
        (b"Code,Amount\nLE01,1\n", "Row 1 must have the headings: measure code, quantity, period"),
        (b"%PDF-1.7 a pdf renamed .csv", "The selected file must be a CSV or XLSX"),
        (b"PK\x03\x04 not really a zip", "The selected file must be a CSV or XLSX"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 encrypted",
            "The selected file is password protected or an old Excel file: save it as XLSX without a password, or as CSV",
        ),
        ("Measure code,Quantity,Period\nLE01,4,each\n".encode("utf-16"), "The selected file must be a CSV or XLSX"),
        (
            "Measure code,Quantity,Period\nLE01,4,café\n".encode("latin-1"),
            "The selected file must be saved as CSV UTF-8, or as XLSX",
        ),
        (b"x" * 1_000_001, "The selected file must be smaller than 1MB"),
        (("Measure code,Quantity,Period\n" + "LE01,1,1\n" * 501).encode(), "The selected file must have 500 rows or fewer"),
    ],
)
def test_a_file_that_cannot_be_used_gets_one_clear_message(data, message):
    assert read_commitment_rows(data, CONTENT_LOADED) == ([], [message])


def test_a_zip_that_would_swell_when_opened_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)
    assert len(out.getvalue()) < 1_000_000
    assert read_commitment_rows(out.getvalue(), CONTENT_LOADED) == (
        [],
        ["The selected file must be smaller than 1MB when opened"],
    )


def test_a_zip_that_is_not_a_spreadsheet_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert read_commitment_rows(out.getvalue(), CONTENT_LOADED) == (
        [],
        ["The selected file could not be read as an XLSX spreadsheet"],
    )


def test_rows_become_commitments_at_each_measures_frequency():
    rows, _ = read_commitment_rows(b"Measure code,Quantity,Period\nLE01,4.5,each period\nGP01,6,1\nGP01,4,2\n", CONTENT_LOADED)
    commitments, problems = commitments_from_rows(rows, CONTENT_LOADED, date(2026, 4, 1), date(2028, 3, 31))
    assert problems == []
    le01, gp01 = commitments
    assert (le01.basis, le01.frequency, le01.quantity) == ("per_period", "quarterly", Decimal("4.5"))
    assert (gp01.basis, gp01.frequency, gp01.quantity, gp01.profile) == (
        "whole_contract",
        "annually",
        Decimal(10),
        (Decimal(6), Decimal(4)),
    )


def test_a_period_beyond_the_contract_is_named():
    rows, _ = read_commitment_rows(b"Measure code,Quantity,Period\nGP01,6,1\nGP01,4,3\n", CONTENT_LOADED)
    assert commitments_from_rows(rows, CONTENT_LOADED, date(2026, 4, 1), date(2028, 3, 31)) == (
        [],
        ["Row 3: GP01 is reported annually so this contract has 2 periods for it, not 3"],
    )


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda t: ("Measure code,Quantity,Period\n" + t).encode("utf-8", "surrogatepass")),
    )
)
def test_any_file_gives_rows_or_messages_never_an_exception(data):
    rows, problems = read_commitment_rows(data, CONTENT_LOADED)
    assert bool(rows) != bool(problems)
    assert all(isinstance(m, str) and m for m in problems)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(),
                st.floats(allow_nan=True),
                st.booleans(),
                st.dates(),
                st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20),
            ),
            min_size=1,
            max_size=4,
        ),
        max_size=8,
    )
)
def test_any_xlsx_cells_give_rows_or_messages(cells):
    rows, problems = read_commitment_rows(xlsx([HEADINGS] + cells), CONTENT_LOADED)
    assert bool(rows) != bool(problems)


def test_importing_the_contracts_core_loads_no_spreadsheet_library_or_web_framework():
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, portal.contracts; print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'flask', 'werkzeug', 'boto3', 'functions', 'openpyxl'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
