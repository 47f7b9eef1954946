"""Download names: what a browser is told to save a file as."""
import re
from urllib.parse import quote

__all__ = ["content_disposition", "safe_filename", "strip_bidi_and_controls"]

_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;%]+')


def strip_bidi_and_controls(text: str) -> str:
    """portal/text.py's, imported when first used: importing the portal package here would be circular."""
    from portal.text import strip_bidi_and_controls as strip

    return strip(text)


def safe_filename(filename: str) -> str:
    """A filename with no path, quotes, bidi or control characters, at most 150 characters, never empty."""
    name = _UNSAFE_IN_FILENAME.sub("_", str(filename).replace("\\", "/").rsplit("/", 1)[-1])
    name = strip_bidi_and_controls(name).strip(" .")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:140] + dot + extension[:9]) if dot and len(extension) <= 9 else name[:150]
    return name or "download"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII filename and the UTF-8 one as RFC 6266's filename* (RFC 5987 encoding)."""
    name = safe_filename(filename)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
