"""Officers' export: flask --app portal event-registrations EVENT, as CSV and XLSX, with formulas neutralised."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from functions.events.registrations import Registrations
from functions.storage import open_store
from functions.exports.cells import neutralise

from .event_factory import SAMPLE_NOW, content_with_events, details, make_app, upcoming_event

HOSTILE_NAME = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def officer(built, tmp_path):
    """An app over an event with 2 places: Ann and a formula-minded Bob have them, Cat waits, Dan cancelled."""
    content = content_with_events(tmp_path, upcoming_event("export-me", capacity=2, now=SAMPLE_NOW))
    app = make_app(content, built[1], str(tmp_path / "storage"), tmp_path / "outbox", clock=lambda: SAMPLE_NOW)
    event = app.extensions["portal.content"].event("export-me")
    registrations = Registrations(open_store(str(tmp_path / "storage")), clock=lambda: SAMPLE_NOW)
    registrations.register(event, details(1, name="Ann Ólafsdóttir", needs="Wheelchair space", questions="Will there be lots?"))
    registrations.register(event, details(2, name=HOSTILE_NAME, organisation="+44 Ltd", role="-1", needs="@SUM(A1)"))
    dan = registrations.register(event, details(4, name="Dan"))  # waits, then cancels
    registrations.cancel(event, dan.registration)
    registrations.register(event, details(3, name="Cat", questions="\tTabbed question"))
    return app


def run(app, *arguments):
    result = app.test_cli_runner().invoke(args=["event-registrations", *arguments])
    return result


def test_csv_lists_registrations_waiting_list_needs_and_questions(officer):
    result = run(officer, "export-me")
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads Ó correctly
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["Status"], r["Place"], r["Waiting list position"], r["Full name"]) for r in rows] == [
        ("Confirmed", "1", "", "Ann Ólafsdóttir"),
        ("Confirmed", "2", "", "'" + HOSTILE_NAME),
        ("Waiting list", "", "1", "Cat"),
        ("Cancelled", "", "", "Dan"),
    ]
    assert rows[0]["Access or dietary needs"] == "Wheelchair space"
    assert rows[0]["Questions asked in advance"] == "Will there be lots?"
    assert rows[0]["Size of organisation"] == "Small (10 to 49 staff)"
    assert rows[0]["Registered"] == "2026-11-23 12:00"


def test_csv_neutralises_every_cell_a_spreadsheet_would_run(officer):
    rows = list(csv.DictReader(io.StringIO(run(officer, "export-me").stdout_bytes.decode("utf-8-sig"))))
    bob, cat = rows[1], rows[2]
    assert bob["Organisation"] == "'+44 Ltd" and bob["Role"] == "'-1"
    assert bob["Access or dietary needs"] == "'@SUM(A1)"
    assert cat["Questions asked in advance"] == "'\tTabbed question"


def test_xlsx_has_typed_cells_and_no_formulas(officer, tmp_path):
    output = tmp_path / "registrations.xlsx"
    result = run(officer, "export-me", "--format", "xlsx", "--output", str(output))
    assert result.exit_code == 0, result.output
    assert "Wrote 4 registrations" in result.output
    sheet = load_workbook(output).active
    header = [c.value for c in sheet[1]]
    ann = dict(zip(header, [c.value for c in sheet[2]]))
    assert ann["Place"] == 1 and isinstance(ann["Place"], int)
    assert ann["Registered"] == datetime(2026, 11, 23, 12, 0)
    bob = dict(zip(header, sheet[3]))
    assert bob["Full name"].value == "'" + HOSTILE_NAME and bob["Full name"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_unknown_event_or_an_xlsx_without_a_file_is_explained(officer):
    unknown = run(officer, "no-such-event")
    assert unknown.exit_code == 2 and "There is no event called 'no-such-event'. Events: export-me" in unknown.output
    to_screen = run(officer, "export-me", "--format", "xlsx")
    assert to_screen.exit_code == 2 and "Give --output FILE for an XLSX file" in to_screen.output


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann", "Ann"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
