"""Markdown from content/, rendered with GOV.UK Frontend's typography classes, the first time a page shows it.

A function shows few of the content's Markdown texts, so each is kept as text (Markdown) and rendered on first use;
the Markdown library itself is imported then too. Locally, and so in the build and the tests, the content is
rendered as it is loaded (portal/content/loader.py: render_all), so a text that cannot be rendered stops the build.
"""

import functools
import xml.etree.ElementTree as etree

from markupsafe import Markup

GOVUK_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
}
NESTED_TEXT = ("li", "blockquote", "td", "th")  # paragraphs there take their parent's style


def _govuk_classes(root: etree.Element) -> None:
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        css = GOVUK_CLASSES.get(element.tag)
        if css and not element.get("class") and not _nested_paragraph(element, parents):
            element.set("class", css)


def _nested_paragraph(element, parents) -> bool:
    node = parents.get(element) if element.tag == "p" else None
    while node is not None:
        if node.tag in NESTED_TEXT:
            return True
        node = parents.get(node)
    return False


@functools.cache
def _extension_class():
    """The Markdown extension that adds the classes, made when first needed: importing Markdown takes a while."""
    import markdown as md

    class GovukClasses(md.treeprocessors.Treeprocessor):
        def run(self, root):
            _govuk_classes(root)

    class GovukExtension(md.extensions.Extension):
        def extendMarkdown(self, markdown_instance):
            markdown_instance.treeprocessors.register(GovukClasses(markdown_instance), "govuk_classes", 0)

    return md.Markdown, GovukExtension


def render(text: str) -> Markup:
    """Markdown to HTML; new converter each call because Markdown instances hold state."""
    converter_class, extension = _extension_class()
    converter = converter_class(extensions=["tables", "sane_lists", extension()], output_format="html")
    return Markup(converter.convert(text or ""))


class Markdown:
    """A Markdown text from content/ that templates show as its HTML (Markup), rendered the first time it is used."""

    __slots__ = ("text", "_html")

    def __init__(self, text: str):
        self.text = text
        self._html = None

    @property
    def html(self) -> Markup:
        if self._html is None:
            self._html = render(self.text)
        return self._html

    def __html__(self) -> str:  # what Jinja's autoescape and Markup() call
        return self.html

    def __str__(self) -> str:
        return str(self.html)

    def __bool__(self) -> bool:
        return bool(self.html)

    def __eq__(self, other) -> bool:
        return str(self) == str(other) if isinstance(other, (str, Markdown)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, part) -> bool:
        return part in self.html

    def __getattr__(self, name):  # the rest of Markup's methods (striptags, ...) on the HTML
        if name.startswith("_"):  # not ours (copy's __deepcopy__, a slot not yet set): no HTML to ask
            raise AttributeError(name)
        return getattr(self.html, name)

    def __repr__(self) -> str:
        return f"Markdown({self.text[:40]!r})"
