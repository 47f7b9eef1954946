"""Markdown from content/, rendered with GOV.UK Frontend's typography classes."""
import xml.etree.ElementTree as etree

import markdown as md
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


class _GovukClasses(md.treeprocessors.Treeprocessor):
    NESTED_TEXT = ("li", "blockquote", "td", "th")  # paragraphs there take their parent's style

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            css = GOVUK_CLASSES.get(element.tag)
            if css and not element.get("class") and not self._nested_paragraph(element, parents):
                element.set("class", css)

    def _nested_paragraph(self, element, parents) -> bool:
        node = parents.get(element) if element.tag == "p" else None
        while node is not None:
            if node.tag in self.NESTED_TEXT:
                return True
            node = parents.get(node)
        return False


class _GovukExtension(md.extensions.Extension):
    def extendMarkdown(self, markdown_instance):
        markdown_instance.treeprocessors.register(_GovukClasses(markdown_instance), "govuk_classes", 0)


def render(text: str) -> Markup:
    """Markdown to HTML; new converter each call because Markdown instances hold state."""
    converter = md.Markdown(extensions=["tables", "sane_lists", _GovukExtension()], output_format="html")
    return Markup(converter.convert(text or ""))
