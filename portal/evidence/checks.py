"""The checks an uploaded file passes before it is kept as evidence, each with its own GOV.UK-style message.

The checks read as little as they can through `read_range(start, length)`: the file's first bytes for its type,
and for a PDF, Office or OpenDocument file only the parts its library asks for (a ZIP's central directory, a
PDF's trailer). A file's type is judged by those bytes, never by its name or what the browser said it was.
"""

import codecs
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from .filetypes import BYTES_PER_MB
from .filetypes import FILE_TYPES, FileType, list_in_words
from ..text import safe_filename

HEAD_BYTES = 64 * 1024
# A real document opens to far less than this; an Office file past it is a zip bomb, not a policy.
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_NAME_LENGTH = 100

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: old Office, or a new one locked with a password
_ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods"}


class EvidenceRejected(ValueError):
    """The file cannot be kept; the message says why, in words for the supplier."""


# The messages, in one place so that the pages and the tests use the same words.
def no_file() -> str:
    return "Select a file"


def empty() -> str:
    return "The selected file is empty"


def too_big(max_size_mb: int) -> str:
    return f"The selected file must be smaller than {max_size_mb}MB"


def wrong_type(type_ids) -> str:
    return f"The selected file must be a {list_in_words(type_ids)}"


def password_protected() -> str:
    return "The selected file is protected with a password. Remove the password, save the file and upload it again"


def zip_bomb() -> str:
    return "The selected file opens out to more than a document can hold. Save it again as a new file and upload that"


def macro_enabled() -> str:
    return "The selected file contains macros. Save it as a document without macros and upload that instead"


def damaged() -> str:
    return "The selected file is damaged and cannot be opened. Save it again and upload the new copy"


def upload_failed() -> str:
    return "The selected file could not be uploaded – try again"


def too_many(max_files: int) -> str:
    return f"You can upload up to {max_files} {'file' if max_files == 1 else 'files'} here. Remove one before you add another"


def virus() -> str:
    return "The selected file contains a virus. Upload a clean copy"


class RangedFile(io.RawIOBase):
    """A read-only, seekable file over ranged reads, so a library can open a large file reading only what it needs."""

    def __init__(self, read_range, size: int):
        self._read_range = read_range
        self._size = size
        self._position = 0
        self.bytes_read = 0  # what storage was asked for in all

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer):
        length = min(len(buffer), self._size - self._position)
        if length <= 0:
            return 0
        data = self._read_range(self._position, length)
        buffer[: len(data)] = data
        self._position += len(data)
        self.bytes_read += len(data)
        return len(data)


@dataclass(frozen=True)
class Inspected:
    type: FileType
    name: str  # sanitised, with an extension that matches the type


def inspect(read_range, size: int, filename: str, allowed: tuple[str, ...], max_bytes: int) -> Inspected:
    """Check a stored file of `size` bytes; return its type and a safe name, or raise EvidenceRejected."""
    if not filename and size == 0:
        raise EvidenceRejected(no_file())
    if size == 0:
        raise EvidenceRejected(empty())
    if size >= max_bytes:
        raise EvidenceRejected(too_big(max_bytes // BYTES_PER_MB))
    file = io.BufferedReader(RangedFile(read_range, size), buffer_size=HEAD_BYTES)
    head = file.peek(HEAD_BYTES)[:HEAD_BYTES]
    type_id = _detect(file, head, filename)
    if type_id not in allowed:
        raise EvidenceRejected(wrong_type(allowed))
    file_type = FILE_TYPES[type_id]
    return Inspected(file_type, safe_name(filename, file_type))


def _detect(file, head: bytes, filename: str) -> str | None:
    if head.startswith(_PDF):
        return _pdf(file)
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_JPEG):
        return "jpeg"
    if head.startswith(_ZIP):
        return _zip_document(file)
    if head.startswith(_OLE):
        return _compound_file(file)
    if filename.lower().endswith(".csv") and _is_plain_text(head):
        return "csv"  # text has no magic bytes: a CSV is text that is not markup, named as a CSV
    return None


def _pdf(file) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        encrypted = PdfReader(file, strict=False).is_encrypted
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as err:
        raise EvidenceRejected(damaged()) from err
    if encrypted:
        raise EvidenceRejected(password_protected())
    return "pdf"


def _zip_document(file) -> str | None:
    """DOCX, XLSX, ODT or ODS, judged from the ZIP's central directory, with its expanded size bounded first."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise EvidenceRejected(damaged()) from err
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_EXPANDED_BYTES:
        raise EvidenceRejected(zip_bomb())
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names:
        if _macro_enabled(archive, names):
            raise EvidenceRejected(macro_enabled())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if "mimetype" in names and entries[0].filename == "mimetype" and entries[0].file_size < 100:
        odf = _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
        if odf and _odf_encrypted(archive, names):
            raise EvidenceRejected(password_protected())
        return odf
    return None


def _macro_enabled(archive, names) -> bool:
    """A macro-enabled Word, Excel or PowerPoint file (docm, xlsm, pptm...), whatever its name says: it holds a
    VBA project, or its content types declare a macro-enabled document."""
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
        return True
    if archive.getinfo("[Content_Types].xml").file_size > 1024 * 1024:
        return False  # not a real Office file's; the type checks below refuse it
    return b"macroenabled" in archive.read("[Content_Types].xml").lower()


def _odf_encrypted(archive, names) -> bool:
    # A password-protected OpenDocument file lists how each part is encrypted in its manifest.
    manifest = "META-INF/manifest.xml"
    if manifest not in names or archive.getinfo(manifest).file_size > 1024 * 1024:
        return False
    return b"encryption-data" in archive.read(manifest)


def _compound_file(file) -> None:
    """A Compound File is either an old Office format (not accepted) or a new one locked with a password."""
    import msoffcrypto
    from msoffcrypto.exceptions import FileFormatError

    try:
        encrypted = msoffcrypto.OfficeFile(file).is_encrypted()
    except (FileFormatError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return None
    if encrypted:
        raise EvidenceRejected(password_protected())
    return None


def _is_plain_text(head: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(head, final=False)  # the head may end part-way through a character
    except UnicodeDecodeError:
        return False
    if any(unicodedata.category(char) == "Cc" and char not in "\t\r\n\f" for char in text):
        return False
    return not text.lstrip().startswith("<")


def safe_name(filename: str, file_type: FileType) -> str:
    """The browser's name for the file, made safe to show and to offer as a download name."""
    # Control and formatting characters (NUL, a right-to-left override, zero-width spaces) can hide a name's end;
    # the one sanitiser drops them. Shortened here, not there, since the extension may be replaced.
    name = safe_filename(filename, limit=10**9, fallback="")
    stem, dot, extension = name.rpartition(".")
    if not dot or f".{extension.lower()}" not in file_type.extensions:
        stem, extension = name, file_type.extensions[0].lstrip(".")
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or "file"
    return f"{stem}.{extension}"
