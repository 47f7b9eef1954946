"""Spreadsheet cells that are safe to open: text a spreadsheet would run as a formula is neutralised (in CSV; XLSX
cells are typed as text instead), and bidi and control characters are dropped (portal/text.py's one list of them).
"""

import re

from portal.text import strip_bidi_and_controls as _strip

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def strip_bidi_and_controls(value):
    """Text as its characters read, with nothing that reorders or hides them but its tabs and line ends; anything
    that is not text as it is."""
    return _strip(value, keep="\t\n\r") if isinstance(value, str) else value


def csv_cell(value):
    """A CSV cell: controls dropped, and text a spreadsheet would run as a formula kept as typed with an apostrophe."""
    return neutralise(strip_bidi_and_controls(value))


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe, so it shows as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Characters that XML 1.0, and so an XLSX file, cannot hold: controls (openpyxl raises on them), lone surrogates and
# U+FFFE and U+FFFF (openpyxl writes them, and the file will not open). Forms drop them, but a record stored any
# other way may still have one, and an export must neither fail nor make a file that will not open.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(value):
    """Text an XLSX file can hold: the characters XML refuses are dropped."""
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value
