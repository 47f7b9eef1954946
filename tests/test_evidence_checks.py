"""The checks an upload passes, on a corpus of real and hostile files that the tests make themselves."""

import io
import zipfile

import pytest

from portal.evidence import checks
from portal.evidence.checks import EvidenceRejected, inspect, safe_name
from portal.evidence.filetypes import DEFAULT_TYPES, FILE_TYPES

from . import evidence_files as files

MB = 1_000_000  # as the check and the page count it


def check(data: bytes, name: str, allowed=DEFAULT_TYPES, max_bytes=25 * MB):
    return inspect(lambda start, length: data[start : start + length], len(data), name, allowed, max_bytes)


def rejection(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(EvidenceRejected) as rejected:
        check(data, name, **kwargs)
    return str(rejected.value)


@pytest.mark.parametrize(
    "make, name, type_id",
    [
        (files.pdf, "Carbon reduction plan.pdf", "pdf"),
        (files.docx, "Wellbeing policy.docx", "docx"),
        (files.xlsx, "Gender pay gap.xlsx", "xlsx"),
        (files.odt, "EDI policy.odt", "odt"),
        (files.png, "certificate.png", "png"),
        (files.jpeg, "certificate.jpeg", "jpeg"),
        (files.csv, "gap.csv", "csv"),
    ],
)
def test_real_documents_are_accepted_with_their_type(make, name, type_id):
    inspected = check(make(), name)
    assert inspected.type.id == type_id
    assert inspected.name == name


@pytest.mark.parametrize(
    "data, name",
    [
        (files.SCRIPT, "policy.pdf"),
        (files.HTML, "policy.pdf"),
        (files.HTML, "figures.csv"),
        (files.plain_zip(), "policy.docx"),
        (b"MZ\x90\x00" + b"\0" * 100, "policy.pdf"),
        (b"\0\1\2" * 50, "gap.csv"),
    ],
)
def test_files_that_lie_about_their_type_are_refused(data, name):
    assert rejection(data, name) == "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV, PNG or JPG"


def test_a_real_type_the_slot_does_not_take_is_refused():
    assert (
        rejection(files.xlsx(), "figures.xlsx", allowed=("pdf", "docx", "odt")) == "The selected file must be a PDF, DOCX or ODT"
    )


def test_no_file_empty_file_and_too_big():
    assert rejection(b"", "") == "Select a file"
    assert rejection(b"", "policy.pdf") == "The selected file is empty"
    big = files.pdf(padding=MB)
    assert rejection(big, "policy.pdf", max_bytes=MB) == "The selected file must be smaller than 1MB"


@pytest.mark.parametrize(
    "make, name", [(files.encrypted_pdf, "plan.pdf"), (files.encrypted_docx, "policy.docx"), (files.encrypted_odt, "policy.odt")]
)
def test_password_protected_files_are_refused(make, name):
    assert rejection(make(), name) == checks.password_protected()


@pytest.mark.parametrize("make", [files.zip_bomb_by_size, files.zip_bomb_by_count])
def test_zip_bombs_are_refused_from_the_central_directory_alone(make):
    data = make()
    reads = []

    def read_range(start, length):
        reads.append(length)
        return data[start : start + length]

    with pytest.raises(EvidenceRejected, match="opens out to more than a document can hold"):
        inspect(read_range, len(data), "policy.docx", DEFAULT_TYPES, 25 * MB)
    central_directory = len(data) - zipfile.ZipFile(io.BytesIO(data)).start_dir
    # The head, the central directory and the end record read in blocks: never the parts themselves.
    assert sum(reads) <= checks.HEAD_BYTES + central_directory + 64 * 1024


def test_a_damaged_pdf_is_refused():
    assert rejection(b"%PDF-1.7\n" + b"garbage " * 100, "plan.pdf") == checks.damaged()


def test_checking_a_large_pdf_reads_only_a_little_of_it():
    data = files.pdf(padding=20 * MB)
    reads = []

    def read_range(start, length):
        reads.append(length)
        return data[start : start + length]

    assert inspect(read_range, len(data), "plan.pdf", DEFAULT_TYPES, 25 * MB).type.id == "pdf"
    assert sum(reads) < MB


@pytest.mark.parametrize(
    "hostile, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\fakepath\\plan.pdf", "plan.pdf"),
        ("plan\0.pdf", "plan.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # the right-to-left override would show 'invoiceexe.pdf'
        ("  .hidden.pdf  ", "hidden.pdf"),
        ("report.exe", "report.exe.pdf"),
        ("", "file.pdf"),
        ("Café Ōmori plan.PDF", "Café Ōmori plan.PDF"),
    ],
)
def test_names_are_neutralised(hostile, expected):
    assert safe_name(hostile, FILE_TYPES["pdf"]) == expected


def test_very_long_names_are_shortened_keeping_the_extension():
    name = safe_name("a" * 300 + ".docx", FILE_TYPES["docx"])
    assert len(name) == checks.MAX_NAME_LENGTH and name.endswith(".docx")


@pytest.mark.parametrize(
    "data, name",
    [
        (files.macro_enabled("word"), "policy.docx"),
        (files.macro_enabled("word"), "policy.docm"),
        (files.macro_enabled("excel"), "figures.xlsx"),
        (files.macro_enabled("powerpoint"), "slides.pdf"),
        (files.macro_content_type_only(), "policy.docx"),
    ],
)
def test_macro_enabled_office_files_are_refused_whatever_their_name(data, name):
    assert rejection(data, name) == checks.macro_enabled()


@pytest.mark.parametrize(
    "mark",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
        "\x00",
        "\x1b",
        "\x7f",
        "\x85",
        "\u200b",
    ],
)
def test_every_bidi_and_control_character_is_stripped_from_names(mark):
    from functions.storage import content_disposition, safe_filename
    from portal.text import strip_bidi_and_controls

    hostile = f"policy{mark}fdp.exe.pdf"
    assert strip_bidi_and_controls(hostile) == "policyfdp.exe.pdf"
    assert safe_name(hostile, FILE_TYPES["pdf"]) == "policyfdp.exe.pdf"
    assert mark not in safe_filename(hostile) and safe_filename(hostile).endswith(".exe.pdf")
    assert mark not in content_disposition(hostile)
