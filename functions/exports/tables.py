"""Tables (a heading row, then rows of text, numbers and dates) as CSV or XLSX, safe to open: text a spreadsheet
would run as a formula is neutralised in CSV and typed as text in XLSX (cells.py). The contract pages' downloads
(the returns list, KPI data for a Contract Performance Notice, totals) write theirs with `to_file`."""

import csv
import io
from datetime import date
from decimal import Decimal

from .cells import csv_cell, xlsx_text

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(csv_cell(value))


def to_csv(table: list[list]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow([_csv_value(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: list[list], title: str) -> bytes:
    """One sheet: numbers as numbers, dates as dates, every text cell stored as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"  # Excel's rules for a sheet's name
    for row in table:
        sheet.append([xlsx_text(cell) for cell in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_file(table: list[list], file_format: str, title: str) -> bytes:
    return to_csv(table) if file_format == "csv" else to_xlsx(table, title)
