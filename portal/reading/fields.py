"""marshmallow fields that every kind of content file uses: slugs, required text, Markdown, lists of lines."""
from marshmallow import fields, validate

from .markdown import render

__all__ = ["NOT_EMPTY", "SLUG", "MarkdownText", "markdown", "text", "text_list"]

SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="use lowercase letters, numbers and hyphens only, like 'local-jobs'")
NOT_EMPTY = validate.Length(min=1, error="this cannot be empty")


def text(validate=None):
    """A required, non-blank line of text, with any further check."""
    return fields.String(required=True, validate=[NOT_EMPTY] + ([validate] if validate else []))


class MarkdownText(fields.String):
    """Markdown in the file, safe HTML in the model."""

    def _deserialize(self, value, attr, data, **kwargs):
        return render(super()._deserialize(value, attr, data, **kwargs))


def markdown(required: bool = True):
    if required:
        return MarkdownText(required=True, validate=NOT_EMPTY)
    return MarkdownText(load_default=None, validate=NOT_EMPTY)


def text_list():
    return fields.List(fields.String(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=1, error="list at least one item"))
