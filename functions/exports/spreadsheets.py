"""Submissions as CSV (one questionnaire) or XLSX (a sheet per questionnaire), opened safely by any spreadsheet."""

import csv
import io
import re
from datetime import date, datetime

from portal.questionnaire.model import Assessment

from .cells import csv_cell, strip_bidi_and_controls
from .columns import DATE, TIME, Column, chosen

FORMATS = {DATE: "yyyy-mm-dd", TIME: "yyyy-mm-dd hh:mm"}
SHEET_NAME_LIMIT = 31  # Excel's own limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def table(records: list[dict], columns: list[Column]) -> list[list]:
    """Typed rows, one a record, with bidi and control characters dropped from every text cell."""
    return [[strip_bidi_and_controls(column.value(record)) for column in columns] for record in records]


def csv_text(value) -> str:
    """A cell as CSV text: blank for nothing, ISO dates, times to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(assessment: Assessment, records: list[dict], column_ids: list[str] | None = None) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accented names correctly; raises UnknownColumns."""
    columns = chosen(assessment, column_ids)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(column.heading) for column in columns])
    for row in table(records, columns):
        writer.writerow([csv_cell(csv_text(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_name(title: str, taken: set) -> str:
    name = _NOT_IN_SHEET_NAMES.sub(" ", title).strip("' ")[:SHEET_NAME_LIMIT] or "Submissions"
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _text_cell(sheet, value: str):
    """A cell typed as text, never a formula, whatever it starts with: so no apostrophe (that is for CSV, which has
    no types) and `+44 7700 900123` reads as typed."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = TYPE_STRING
    return cell


def to_xlsx(groups: list[tuple[Assessment, list[dict]]]) -> bytes:
    """A sheet per questionnaire with typed cells: numbers as numbers, dates as dates, text stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)  # rows go straight to the file, so a large export stays small in memory
    taken = set()
    for assessment, records in groups:
        columns = chosen(assessment)
        sheet = workbook.create_sheet(_sheet_name(assessment.title, taken))
        sheet.freeze_panes = "A2"
        sheet.append([_text_cell(sheet, strip_bidi_and_controls(column.heading)) for column in columns])
        for row in table(records, columns):
            cells = []
            for column, value in zip(columns, row):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell = _text_cell(sheet, value)
                elif column.kind in FORMATS and value is not None:
                    cell.number_format = FORMATS[column.kind]
                cells.append(cell)
            sheet.append(cells)
    if not groups:
        workbook.create_sheet("Submissions").append(["No submissions match"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
