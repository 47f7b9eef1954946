"""Every frozen page in real Chromium: no accessibility violations, no console errors, usable on a phone and on paper."""

import pytest

from flask import url_for

from portal import create_app
from portal.site import site_urls
from tests.conftest import CONTENT

from .axe import axe_violations


def frozen_pages():
    """The address of every HTML page the site has, from the one list the freezer also uses."""
    app = create_app({"PORTAL_CONTENT": CONTENT})
    with app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values in site_urls(app.extensions["portal.content"])] + ["/404.html"]


def test_frozen_pages_are_the_pages_checked_here(site_dir):
    written = {"/" + str(p.relative_to(site_dir)).removesuffix("index.html") for p in site_dir.rglob("*.html")}
    assert written == set(frozen_pages())


@pytest.mark.parametrize("address", frozen_pages())
def test_page_has_no_accessibility_violations_or_console_errors(page, static_site, address):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(static_site + address)
    assert response.status == 200
    assert axe_violations(page) == []
    assert [e for e in errors if "404" not in e or address != "/404.html"] == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page scrolls sideways on a 320px screen"


def test_unknown_address_shows_the_not_found_page(page, static_site):
    response = page.goto(static_site + "/measures/nothing/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert axe_violations(page) == []


def test_measures_filter_shows_one_priority_with_javascript(page, static_site):
    page.goto(static_site + "/measures/")
    page.get_by_role("radio", name="Promoting wellbeing").check()
    assert page.get_by_role("status").inner_text() == "Showing 13 measures"
    assert page.get_by_role("heading", name="Promoting wellbeing", level=2).is_visible()
    assert not page.get_by_role("heading", name="Supporting the local economy", level=2).is_visible()
    page.get_by_role("radio", name="All priorities").check()
    assert page.get_by_role("status").inner_text() == "Showing 38 measures"
    assert axe_violations(page) == []


def test_measures_by_priority_work_without_javascript(page_without_js, static_site):
    page = page_without_js
    page.goto(static_site + "/measures/")
    assert not page.get_by_role("radio", name="All priorities").is_visible()
    page.get_by_role("link", name="A great place to live").click()
    assert page.get_by_role("heading", level=1).inner_text() == "A great place to live"
    assert page.locator("main a[href^='/measures/gp']").count() == 12


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page, static_site):
    page.goto(static_site + "/measures/le01/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


@pytest.mark.parametrize("address", ["/", "/measures/le01/"])
def test_navigation_is_there_on_a_phone(browser, static_site, address):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(static_site + address)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Measures").is_visible()
    context.close()


def test_printed_pages_drop_the_navigation_and_use_the_full_width(page, static_site):
    page.goto(static_site + "/charter/")
    page.emulate_media(media="print")
    for chrome in (".govuk-service-navigation", ".govuk-breadcrumbs", ".govuk-footer"):
        assert not page.locator(chrome).is_visible(), chrome
    column = page.locator(".govuk-grid-column-two-thirds").first.bounding_box()["width"]
    main = page.locator("main").bounding_box()["width"]
    assert column >= main - 1
    assert page.get_by_role("heading", level=1).is_visible()
