"""Commitments imported from a spreadsheet (XLSX or CSV): every row right, or every bad row named.

The first row holds the headings: measure code, quantity, period. A period is "each period" (the quantity is
due in every reporting period) or a period number, 1 being the first (the row is that period's share of a
whole-contract commitment; a measure's numbered rows make its profile). The file's type is told by its bytes,
never its name; formulas are refused, not evaluated.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from ..questionnaire.numbers import NotANumber, read_number
from ..text import strip_bidi_and_controls
from .model import Commitment
from .schedule import periods

__all__ = ["MAX_BYTES", "MAX_ROWS", "CommitmentRow", "SpreadsheetRejected", "commitments_from_rows", "read_commitment_rows"]

MAX_BYTES = 1_000_000
MAX_ROWS = 500
MAX_UNZIPPED = 20_000_000  # an XLSX is a zip: refuse one that would swell past this when opened
HEADINGS = ("measure code", "quantity", "period")
EACH_PERIOD = {"each period", "each", "per period"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # password-protected XLSX (and old .xls) files
OTHER_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf")  # files often chosen by mistake


class SpreadsheetRejected(ValueError):
    """The file as a whole cannot be used: the message says why (one of the GOV.UK file upload messages)."""


@dataclass(frozen=True)
class CommitmentRow:
    row: int  # as the spreadsheet numbers it, headings being row 1
    measure_code: str
    quantity: Decimal
    period: int | None  # None: each period


def read_commitment_rows(data: bytes, content) -> tuple[list[CommitmentRow], list[str]]:
    """(rows, []) when every row is right, else ([], ["Row 4: ...", ...]); a file that cannot be read at all
    gives ([], [its one message]). Never raises on a bad file."""
    try:
        table = _table(data)
    except SpreadsheetRejected as rejected:
        return [], [str(rejected)]
    if not table or not any(table[0]):
        return [], ["The selected file is empty"]
    headings = tuple(_cell_text(c).lower() for c in table[0][:3])
    if headings != HEADINGS:
        return [], ["Row 1 must have the headings: measure code, quantity, period"]
    rows, problems = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(_cell_text(c) for c in cells):
            continue
        try:
            rows.append(_row(number, cells, content))
        except ValueError as problem:
            problems.append(f"Row {number}: {problem}")
    if not rows and not problems:
        return [], ["The selected file has no commitments below its headings"]
    seen = {}
    for row in rows:
        key = (row.measure_code, row.period)
        if key in seen:
            problems.append(f"Row {row.row}: {row.measure_code} for {_period_words(row.period)} is already in row {seen[key]}")
        seen.setdefault(key, row.row)
    for code in {r.measure_code for r in rows}:
        kinds = {r.period is None for r in rows if r.measure_code == code}
        if len(kinds) > 1:
            first = min(r.row for r in rows if r.measure_code == code)
            problems.append(f"Row {first}: {code} is given both for each period and by period number; use one or the other")
    return ([], sorted(problems, key=_row_order)) if problems else (rows, [])


def commitments_from_rows(rows: list[CommitmentRow], content, start, end) -> tuple[list[Commitment], list[str]]:
    """The commitments the rows make for a contract running `start` to `end`, at each measure's own frequency;
    numbered rows become a whole-contract profile. Their delivery notes are blank: the officer adds them."""
    commitments, problems = [], []
    for code in dict.fromkeys(r.measure_code for r in rows):
        mine = [r for r in rows if r.measure_code == code]
        frequency = content.measure(code.lower()).reporting
        if mine[0].period is None:
            commitments.append(Commitment(code, mine[0].quantity, "per_period", frequency, ""))
            continue
        count = len(periods(start, end, frequency, 0))
        for row in mine:
            if row.period > count:
                problems.append(
                    f"Row {row.row}: {code} is reported {frequency} so this contract has {count} periods for it, not {row.period}"
                )
        profile = tuple(sum((r.quantity for r in mine if r.period == n), Decimal(0)) for n in range(1, count + 1))
        if sum(profile) <= 0:
            problems.append(f"Row {mine[0].row}: the quantities for {code} must add up to more than 0")
        commitments.append(Commitment(code, sum(profile), "whole_contract", frequency, "", profile))
    return ([], sorted(problems, key=_row_order)) if problems else (commitments, [])


def _row_order(message: str) -> int:
    return int(message.split(":")[0].removeprefix("Row "))


def _period_words(period):
    return "each period" if period is None else f"period {period}"


def _cell_text(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return strip_bidi_and_controls(text).strip()


def _row(number, cells, content) -> CommitmentRow:
    cells = list(cells) + [None] * 3
    raw_code, raw_quantity, raw_period = cells[:3]
    if any(isinstance(c, str) and c.strip().startswith("=") for c in (raw_code, raw_quantity, raw_period)):
        raise ValueError("a cell holds a formula; type the value itself")
    code = _cell_text(raw_code).upper()
    measure = content.measure(code.lower()) if code and len(code) < 10 else None
    if not code:
        raise ValueError("enter a measure code, like LE01")
    if measure is None:
        raise ValueError(f"'{code[:20]}' is not a measure in the framework; use a code like LE01")
    period_text = _cell_text(raw_period).lower()
    if period_text in EACH_PERIOD:
        period = None
    elif period_text.isascii() and period_text.isdigit() and 0 < int(period_text) <= 400:
        period = int(period_text)
    elif isinstance(raw_period, float) and raw_period.is_integer() and 0 < raw_period <= 400:
        period = int(raw_period)
    else:
        raise ValueError("enter the period as 'each period' or a period number, like 1")
    quantity = _quantity(raw_quantity, measure)
    # One rule per kind of row, said the same way whichever side of it the figure falls.
    if period is None and quantity <= 0:
        raise ValueError(f"the quantity for {measure.code} for each period must be more than 0")
    if quantity < 0:
        raise ValueError(f"the quantity for {measure.code} in period {period} must be 0 or more")
    return CommitmentRow(number, measure.code, quantity, period)


def _quantity(raw, measure) -> Decimal:
    whole = measure.returns.whole_numbers
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, (int, float)):
        raw = repr(raw) if isinstance(raw, float) and raw == raw and abs(raw) != float("inf") else str(raw)
        raw = raw[:-2] if raw.endswith(".0") else raw
    text = _cell_text(raw)
    if not text:
        raise ValueError(f"enter the quantity for {measure.code}")
    try:
        quantity = read_number(text, whole=whole, places=2)
    except NotANumber:
        raise ValueError(
            f"the quantity for {measure.code} must be {'a whole number' if whole else 'a number'}, like 12"
        ) from None
    return quantity


def _table(data) -> list[list]:
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise SpreadsheetRejected("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise SpreadsheetRejected("The selected file must be smaller than 1MB")
    if data.startswith(OLE_SIGNATURE):
        raise SpreadsheetRejected(
            "The selected file is password protected or an old Excel file: save it as XLSX without a password, or as CSV"
        )
    if data.startswith(OTHER_SIGNATURES):
        raise SpreadsheetRejected("The selected file must be a CSV or XLSX")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(bytes(data))
    return _csv(bytes(data))


def _csv(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise SpreadsheetRejected("The selected file must be a CSV or XLSX")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetRejected("The selected file must be saved as CSV UTF-8, or as XLSX") from None
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise SpreadsheetRejected("The selected file could not be read as a CSV: check its quotes") from None
    if len(table) > MAX_ROWS + 1:
        raise SpreadsheetRejected(f"The selected file must have {MAX_ROWS} rows or fewer")
    return table


def _xlsx(data: bytes) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise SpreadsheetRejected("The selected file must be smaller than 1MB when opened")
    except zipfile.BadZipFile:
        raise SpreadsheetRejected("The selected file must be a CSV or XLSX") from None
    from openpyxl import load_workbook  # here: a cold start that imports no spreadsheet never pays for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            table = []
            for cells in sheet.iter_rows(values_only=True):
                if len(table) > MAX_ROWS:
                    raise SpreadsheetRejected(f"The selected file must have {MAX_ROWS} rows or fewer")
                table.append(list(cells[:3]))
        finally:
            workbook.close()
    except SpreadsheetRejected:
        raise
    except Exception:  # openpyxl raises many kinds on a broken or hostile file; each means the same to the user
        raise SpreadsheetRejected("The selected file could not be read as an XLSX spreadsheet") from None
    return table
