"""marshmallow fields that every kind of content file uses: slugs, required text, Markdown, lists of lines."""

from marshmallow import ValidationError, fields, validate

from .markdown import Markdown

__all__ = ["NOT_EMPTY", "SLUG", "MarkdownText", "markdown", "text", "text_list"]

SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="use lowercase letters, numbers and hyphens only, like 'local-jobs'")
NOT_EMPTY = validate.Length(min=1, error="this cannot be empty")


def text(validate=None):
    """A required, non-blank line of text, with any further check."""
    return fields.String(required=True, validate=[NOT_EMPTY] + ([validate] if validate else []))


class MarkdownText(fields.String):
    """Markdown in the file; in the model, HTML that is rendered when first shown (reading/markdown.py)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return Markdown(super()._deserialize(value, attr, data, **kwargs))


def _has_text(value: Markdown) -> None:
    """NOT_EMPTY for Markdown, checked on the text (blank text renders to nothing) so as not to render it now."""
    if not value.text.strip():
        raise ValidationError(NOT_EMPTY.error)


def markdown(required: bool = True):
    if required:
        return MarkdownText(required=True, validate=_has_text)
    return MarkdownText(load_default=None, validate=_has_text)


def text_list():
    return fields.List(
        fields.String(validate=validate.Length(min=1)),
        required=True,
        validate=validate.Length(min=1, error="list at least one item"),
    )
