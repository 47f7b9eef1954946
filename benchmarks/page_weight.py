"""What a page costs a reader: bytes transferred (gzip) for the HTML and everything it loads, measured in Chromium."""

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.preview import serving  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SITE = Path(__file__).resolve().parent.parent / "build" / "site"
PAGES = [
    "/",
    "/measures/",
    "/measures/le01/",
    "/guidance/carbon-reduction-plans/",
    "/assessments/readiness/",
    "/checklists/readiness/employee-wellbeing/",
]
BUDGET = 40 * 1024


def weigh(page, base_url: str, address: str) -> list[tuple[str, int]]:
    """Each resource the page requested, with its size after gzip (what a CDN sends)."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + address, wait_until="networkidle")
    sizes = []
    for url in requested:
        path = url.removeprefix(base_url)
        file = SITE / path.lstrip("/")
        file = file / "index.html" if path.endswith("/") else file
        sizes.append((path, len(gzip.compress(file.read_bytes(), compresslevel=9))))
    return sizes


def main():
    from playwright.sync_api import sync_playwright

    print("| page | requests | HTML | CSS | JS | images | total (gzip) | budget |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    with serving(SITE) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for address in PAGES:
            page = browser.new_page()
            sizes = weigh(page, base_url, address)
            page.close()
            kinds = {
                kind: sum(s for p, s in sizes if p.endswith(ext) or (kind == "HTML" and p.endswith("/")))
                for kind, ext in (("HTML", ".html"), ("CSS", ".css"), ("JS", ".js"), ("images", ".svg"))
            }
            total = sum(s for _, s in sizes)
            verdict = "within" if total <= BUDGET else "OVER"
            print(
                f"| {address} | {len(sizes)} | {kinds['HTML'] / 1024:.1f} KB | {kinds['CSS'] / 1024:.1f} KB "
                f"| {kinds['JS'] / 1024:.1f} KB | {kinds['images'] / 1024:.1f} KB | {total / 1024:.1f} KB | {verdict} 40 KB |"
            )
        browser.close()


if __name__ == "__main__":
    main()
