"""Registrations for officers, as CSV or XLSX, with spreadsheet formula injection neutralised.

Rows are plain values here; the caller reads them from storage (functions/events/registrations.py). The command line
(functions/events/cli.py) and the council pages (functions/council/export_pages.py) both call `to_file`.
"""

import csv
import io
from datetime import datetime

from portal.events.model import LONDON, ORGANISATION_SIZES

from .cells import neutralise, xlsx_text
from .spreadsheets import csv_text

COLUMNS = [
    "Status",
    "Place",
    "Waiting list position",
    "Registered",
    "Last changed",
    "Reminder sent",
    "Full name",
    "Organisation",
    "Email address",
    "Size of organisation",
    "Role",
    "Access or dietary needs",
    "Questions asked in advance",
]
STATUS_LABELS = {"confirmed": "Confirmed", "waiting": "Waiting list", "cancelled": "Cancelled"}


def _local(iso: str) -> datetime:
    """A stored UTC timestamp as UK wall-clock time, without a zone: spreadsheets cannot hold one."""
    return datetime.fromisoformat(iso).astimezone(LONDON).replace(tzinfo=None, microsecond=0)


def rows(everyone) -> list[list]:
    """(registration, standing, reminded) triples as typed rows, in COLUMNS order."""
    table = []
    for registration, standing, reminded in everyone:
        details = registration.details
        table.append(
            [
                STATUS_LABELS[standing.status],
                standing.place,
                standing.position,
                _local(registration.created_at),
                _local(registration.updated_at),
                "Yes" if reminded else "No",
                details["name"],
                details["organisation"],
                details["email"],
                ORGANISATION_SIZES.get(details["size"], details["size"]),
                details["role"],
                details.get("needs", ""),
                details.get("questions", ""),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in table]


def to_csv(table: list[list], columns: list[str] = COLUMNS) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in table:
        writer.writerow([csv_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: list[list], title: str, columns: list[str] = COLUMNS) -> bytes:
    """One sheet with typed cells: numbers as numbers, times as dates, and every text cell stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(columns)
    for row in table:
        sheet.append([xlsx_text(cell) for cell in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_file(table: list[list], file_format: str, title: str, columns: list[str] = COLUMNS) -> bytes:
    """The rows as a "csv" or "xlsx" file with `columns` as headings; `title` names the spreadsheet's sheet."""
    return to_csv(table, columns) if file_format == "csv" else to_xlsx(table, title, columns)
