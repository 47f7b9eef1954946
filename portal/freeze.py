"""Freeze the site into static files, and check that every internal link in them leads somewhere."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import warnings

from flask import Flask
from flask_frozen import Freezer, MissingURLGeneratorWarning

from .assets import read_manifest
from .site import site_files, site_urls


class BrokenLinks(Exception):
    """The frozen site links to pages or fragments that do not exist."""

    def __init__(self, broken: list[str]):
        self.broken = broken
        super().__init__("Broken internal links:\n" + "\n".join(f"- {b}" for b in broken))


def freeze(app: Flask, destination: Path) -> list[str]:
    """Write every page and asset to `destination`; return the URLs written."""
    app.config.update(
        FREEZER_DESTINATION=str(destination),
        FREEZER_REMOVE_EXTRA_FILES=True,
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        WTF_CSRF_ENABLED=False,  # a static page cannot hold a per-session token
    )
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)

    @freezer.register_generator
    def pages():
        yield from site_urls(app.extensions["portal.content"])
        yield from site_files(app.extensions["portal.content"])
        yield "site.not_found_page", {}
        yield "site.sitemap", {}
        yield "site.robots", {}

    @freezer.register_generator
    def assets():
        for filename in read_manifest(app.config["PORTAL_ASSETS"]).values():
            yield "assets.asset", {"filename": filename}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)  # function routes are served, not frozen
        return list(freezer.freeze())


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value:
                self.links.append(value)


def _page_file(root: Path, path: str) -> Path:
    target = root / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def check_links(root: Path, base_url: str = "", served_by_functions: tuple[str, ...] = ()) -> None:
    """Raise BrokenLinks naming each page whose internal link or #fragment leads nowhere.

    Links to addresses starting with one of `served_by_functions` are left alone: a function serves them, not a file.
    """
    pages = {}
    for file in sorted(root.rglob("*.html")):
        collector = _LinkCollector()
        collector.feed(file.read_text(encoding="utf-8"))
        relative = "/" + file.relative_to(root).as_posix()
        pages[relative.removesuffix("index.html")] = collector
    broken = {}  # problem -> pages that have it: one bad footer link should be one line, not fifty
    for page, collector in pages.items():
        for link in collector.links:
            if base_url and link.startswith(base_url):
                link = link[len(base_url) :] or "/"
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # mailto:, tel: and other sites are not ours to check
            address, fragment = urldefrag(urljoin(page, link))
            address = urlsplit(address).path
            if address.startswith(served_by_functions):
                continue
            target = _page_file(root, address)
            if not target.is_file():
                broken.setdefault(f"{link} does not exist", []).append(page)
            elif fragment and address.endswith("/") and fragment not in pages.get(address, _LinkCollector()).ids:
                broken.setdefault(f"{link}: that page has no '#{fragment}'", []).append(page)
    if broken:
        raise BrokenLinks([f"{problem} (linked from {_some(sources)})" for problem, sources in sorted(broken.items())])


def _some(pages: list[str], shown: int = 3) -> str:
    more = len(pages) - shown
    return ", ".join(pages[:shown]) + (f" and {more} more" if more > 0 else "")
