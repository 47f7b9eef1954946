"""An email's plain text and HTML, both made from one Markdown source, so the two always say the same.

The HTML is Markdown's own rendering. The plain text is read back out of that HTML, so no Markdown is ever shown as
typed: a link reads 'join the briefing (https://…)', a list item starts '- ', and paragraphs are separated by a
blank line.
"""

import re
from html import escape
from html.parser import HTMLParser

__all__ = ["html_and_text"]

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote", "hr", "table"}


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.lists, self.links, self.items = [], [], [], 0

    def _block(self, tag) -> bool:
        # A loose list's paragraphs, and a nested list, stay within their item.
        return tag in _BLOCKS and not (tag in ("p", "ul", "ol") and self.items)

    def handle_starttag(self, tag, attrs):
        if self._block(tag):
            self.out.append("\n\n")
        if tag in ("ul", "ol"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            depth = len(self.lists) - 1
            if self.lists and self.lists[-1] is not None:
                self.lists[-1] += 1
                bullet = f"{self.lists[-1]}. "
            else:
                bullet = "- "
            self.out.append("\n" + "  " * max(depth, 0) + bullet)
            self.items += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.out)))

    def handle_endtag(self, tag):
        if tag == "li":
            self.items = max(self.items - 1, 0)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.out[start:]).strip()
            if href and href not in (text, f"mailto:{text}"):
                self.out.append(f" ({href.removeprefix('mailto:')})")
        if self._block(tag):
            self.out.append("\n\n")

    def handle_data(self, data):
        text = re.sub(r"[ \t\r\n]+", " ", data)
        if text == " " and (not self.out or self.out[-1].endswith((" ", "\n"))):
            return  # the whitespace between tags
        self.out.append(text)

    def text(self) -> str:
        # Strip the spaces that joining inline text leaves, but keep a nested list item's indent.
        lines = [line.rstrip() if re.match(r"\s*(- |\d+\. )", line) else line.strip() for line in "".join(self.out).split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
        return text.strip() + "\n"


def html_and_text(markdown_source: str, title: str) -> tuple[str, str]:
    """The HTML document and the plain text for a message written in Markdown."""
    import markdown

    body = markdown.markdown(markdown_source)
    reader = _PlainText()
    reader.feed(body)
    reader.close()
    return _document(body, title), reader.text()


def _document(body: str, title: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n</head>\n'
        f'<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5">\n{body}\n</body>\n</html>\n'
    )
