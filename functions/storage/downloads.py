"""Download names: what a browser is told to save a file as."""

from urllib.parse import quote

from portal.text import safe_filename as _one_sanitiser

__all__ = ["content_disposition", "safe_filename"]


def safe_filename(filename: str) -> str:
    """A download name: portal/text.py's one sanitiser, at most 150 characters, never empty."""
    return _one_sanitiser(filename, limit=150, fallback="download")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII filename and the UTF-8 one as RFC 6266's filename* (RFC 5987 encoding)."""
    name = safe_filename(filename)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
