"""The council's content: loaded from content/, validated, and handed to the site as plain objects."""

from ..reading.errors import ContentError, Problem
from .model import Content

__all__ = ["Content", "ContentError", "Problem", "load_content"]


def __getattr__(name):
    """load_content when first asked for: it imports the YAML and marshmallow libraries, which a Lambda that reads
    its package's snapshot (snapshot.py) never needs."""
    if name == "load_content":
        from .loader import load_content

        return load_content
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
