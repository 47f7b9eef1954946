"""Download names: what a browser is told to save a file as."""

from urllib.parse import quote

from portal.text import safe_filename as _one_sanitiser

__all__ = ["ascii_filename", "content_disposition", "filename_metadata", "safe_filename"]


def safe_filename(filename: str) -> str:
    """A download name: portal/text.py's one sanitiser, at most 150 characters, never empty."""
    return _one_sanitiser(filename, limit=150, fallback="download")


def ascii_filename(filename: str) -> str:
    """The download name with each character outside ASCII as '_': for old browsers, and object metadata, which S3
    keeps as ASCII only."""
    return safe_filename(filename).encode("ascii", "replace").decode().replace("?", "_")


def filename_metadata(filename: str) -> dict[str, str]:
    """An object's metadata naming its download, whatever the name holds (a contract's reference may hold anything)."""
    return {"filename": ascii_filename(filename)}


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII filename and the UTF-8 one as RFC 6266's filename* (RFC 5987 encoding)."""
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(safe_filename(filename), safe='')}"
