"""Every `govuk-` class a page uses has a rule in the stylesheet that page loads: a component whose CSS was never
imported (pagination, select, file upload) shows as bare browser controls, and a modifier that does not exist in
GOV.UK Frontend 6 (a small table caption, blue task-list tags) silently does nothing.

The pages: every page of the frozen site, every council page an admin can open (with a submission, an evidence ZIP
job and an error state), and the supplier's task list, a question and its error, as the functions render them."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from functions.exports import jobs
from functions.storage import open_store
from tests.function_routes import sample_url
from tests.officer import ADMIN, Clock, council_app_with_officers, send_submission, signed_in

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<link[^>]+href="([^"]+\.css)"')
# Set on <body> or <html> for scripts to find, never styled by GOV.UK Frontend itself.
HOOKS_WITHOUT_STYLE = {"govuk-template--rebranded", "govuk-frontend-supported", "govuk-js-character-count"}


def _classes(html: str) -> set[str]:
    return {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split() if name.startswith("govuk-")}


def _stylesheet_classes(html: str, assets: Path) -> set[str]:
    css = "".join((assets / urlsplit(a or b).path.removeprefix("/assets/")).read_text() for a, b in STYLESHEET.findall(html))
    return {name.replace("\\", "") for name in re.findall(r"\.(govuk-(?:\\.|[A-Za-z0-9_-])+)", css)}  # .govuk-\!-…


@pytest.fixture(scope="module")
def rendered_pages(built, tmp_path_factory) -> dict[str, str]:
    site, assets = built
    pages = {f"site:{path.relative_to(site)}": path.read_text() for path in sorted(site.rglob("*.html"))}
    folder = tmp_path_factory.mktemp("stylesheet")
    clock = Clock()
    app = council_app_with_officers(assets, str(folder / "storage"), folder / "outbox", clock, "http://localhost")
    store = open_store(str(folder / "storage"))
    reference = send_submission(app, store, clock=clock)
    for _ in range(21):  # a second page of the list, so that it shows pagination
        send_submission(app, store, clock=clock)
    job = jobs.create_job(store, ADMIN, {}, [], clock())
    admin = signed_in(app, ADMIN, folder / "outbox")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("council.") and "GET" in rule.methods:
            address = sample_url(app, rule, {"reference": reference, "job_id": job.id})
            response = admin.client.get(address)
            if response.mimetype == "text/html":
                pages[f"council:{address}"] = response.get_data(as_text=True)
    pages["council:list with a date error"] = admin.client.get("/council/submissions/?from=yesterday").get_data(as_text=True)
    client = app.test_client()
    assessment = next(iter(app.extensions["portal.content"].assessments))
    task_list = urlsplit(client.post(f"/assessments/{assessment}/start").headers["Location"]).path
    pages["assessment:task list"] = client.get(task_list).get_data(as_text=True)
    first = re.search(r'href="(' + re.escape(task_list) + r'[^"#]+)"', pages["assessment:task list"]).group(1)
    pages["assessment:first question"] = client.get(first).get_data(as_text=True)
    return pages


def test_the_pages_include_the_components_that_had_no_css(rendered_pages, built):
    used = set().union(*(_classes(html) for html in rendered_pages.values()))
    assert {"govuk-pagination", "govuk-select", "govuk-tag--blue"} <= used
    # A carbon reduction plan's tables (a caption in each) and the evidence upload are on pages a draft reaches later.
    styled = _stylesheet_classes(rendered_pages["council:/council/submissions/"], built[1])
    assert {"govuk-table__caption--s", "govuk-file-upload", "govuk-file-upload--error", "govuk-tag--light-blue"} <= styled


def _unstyled(used: set[str], styled: set[str]) -> set[str]:
    """A modifier (govuk-tag--blue) needs a rule of its own; a block or an element (govuk-table__row) is styled when
    its block has any rule, as GOV.UK Frontend marks up more than it styles (govuk-radios has rules only for its
    items). govuk-js-*: what Frontend's scripts look for."""
    blocks = {re.split("__|--", name)[0] for name in styled}
    return {
        name
        for name in used - styled - HOOKS_WITHOUT_STYLE
        if not name.startswith("govuk-js-") and ("--" in name.split("__")[-1] or re.split("__|--", name)[0] not in blocks)
    }


def test_every_govuk_class_on_a_page_has_a_rule_in_the_stylesheet_it_loads(rendered_pages, built):
    missing = {}
    for name, html in rendered_pages.items():
        unstyled = _unstyled(_classes(html), _stylesheet_classes(html, built[1]))
        if unstyled:
            missing[name] = sorted(unstyled)
    assert missing == {}


# The same pages' markup, for what a stylesheet alone cannot do.


def test_every_council_table_scrolls_inside_its_own_labelled_focusable_box(rendered_pages):
    """At 320 px a wide table scrolls in its box, never the page; keyboard users reach the box, and hear its name."""
    tables = 0
    for name, html in rendered_pages.items():
        if not name.startswith("council:"):
            continue
        for match in re.finditer(r"<table\b", html):
            tables += 1
            before = html[: match.start()].rstrip()
            box = re.search(r'<div class="app-table-scroll" role="region" aria-labelledby="([^"]+)" tabindex="0">$', before)
            assert box, (name, before[-200:])
            assert f'<caption id="{box.group(1)}"' in html[match.start() : match.start() + 300], name
    assert tables >= 5


def test_every_form_on_a_signed_in_page_has_a_name(rendered_pages):
    """Sign out, stay signed in and the page's own form: a screen reader's list of forms tells them apart."""
    for name, html in rendered_pages.items():
        if name.startswith("council:") and "Signed in as" in html:
            for form in re.findall(r"<form\b[^>]*>", html):
                assert "aria-label=" in form or "aria-labelledby=" in form, (name, form)
            assert html.count('aria-label="Sign out"') == 1 and html.count('aria-label="Stay signed in"') == 1, name
