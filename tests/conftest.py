"""Shared fixtures: the content, a built site, the app, a static server for the frozen site, and Chromium."""
import shutil
from pathlib import Path

import pytest

from build import build
from portal import create_app
from portal.config import PROJECT_ROOT
from portal.preview import serving

CONTENT = PROJECT_ROOT / "content"
CHROMIUM = "/usr/bin/chromium"
# As the environment notes: without these, headless Chromium tries to reach Google's hosts and fails noisily.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of the default content, for a test to break."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The default content built once: (site directory, assets directory)."""
    root = tmp_path_factory.mktemp("build")
    build(CONTENT, root / "site", root / "assets")
    return root / "site", root / "assets"


@pytest.fixture(scope="session")
def site_dir(built) -> Path:
    return built[0]


@pytest.fixture(scope="session")
def app(built):
    return create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def static_site(site_dir):
    """The frozen site served over HTTP on loopback, as the CDN serves it; yields its base URL."""
    with serving(site_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()
