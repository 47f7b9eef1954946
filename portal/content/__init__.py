"""The council's content: loaded from content/, validated, and handed to the site as plain objects."""
from ..reading.errors import ContentError, Problem
from .loader import load_content
from .model import Content

__all__ = ["Content", "ContentError", "Problem", "load_content"]
