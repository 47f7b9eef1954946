"""python build.py: a frozen site of static files, fingerprinted assets, and no broken links."""

import gzip
import os
import subprocess
import sys
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree

import pytest

from build import build
from portal import create_app
from portal.assets import AssetsMissing
from portal.config import PROJECT_ROOT
from portal.freeze import BrokenLinks, check_links


def test_build_writes_every_page_as_a_static_file(site_dir):
    for path in (
        "index.html",
        "framework/index.html",
        "measures/index.html",
        "measures/le01/index.html",
        "measures/priority/wellbeing/index.html",
        "charter/index.html",
        "guidance/index.html",
        "guidance/carbon-reduction-plans/index.html",
        "accessibility-statement/index.html",
        "privacy-notice/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ):
        assert (site_dir / path).is_file(), path
    assert len(list((site_dir / "measures").glob("*/index.html"))) == 38


def test_assets_are_fingerprinted_and_referenced_by_their_hashed_names(site_dir):
    html = (site_dir / "index.html").read_text()
    stylesheet = re.search(r'href="/assets/(portal\.[0-9a-f]{10}\.css)"', html)
    assert stylesheet, "the home page should link a fingerprinted stylesheet"
    assert (site_dir / "assets" / stylesheet.group(1)).is_file()
    css = (site_dir / "assets" / stylesheet.group(1)).read_text()
    assert "GDS Transport" not in css and "system-ui" in css


def test_stylesheet_carries_the_council_brand_colour(site_dir):
    css = next((site_dir / "assets").glob("portal.*.css")).read_text()
    assert re.search(r"\.app-header\{background-color:#0b4f6c\}", css)


def test_sitemap_is_valid_xml(site_dir):
    tree = ElementTree.parse(site_dir / "sitemap.xml")
    locations = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locations) > 50
    assert all(loc.startswith("https://") for loc in locations)


def test_a_broken_link_in_content_fails_the_build(content_copy, tmp_path):
    page = content_copy / "pages" / "getting-help.md"
    page.write_text(page.read_text() + "\nSee [our old page](/no-such-page/).\n")
    with pytest.raises(BrokenLinks) as raised:
        build(content_copy, tmp_path / "site", tmp_path / "assets")
    assert "/no-such-page/ does not exist (linked from /guidance/getting-help/)" in str(raised.value)


def test_a_link_to_a_missing_fragment_is_broken(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="/a/#part">A</a> <a href="/a/#here">B</a>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    with pytest.raises(BrokenLinks) as raised:
        check_links(tmp_path)
    assert raised.value.broken == ["/a/#part: that page has no '#part' (linked from /)"]


def test_pages_stay_within_the_weight_budget(site_dir):
    """Page weight is a budget the issue sets: 40 KB gzip for a page and everything it loads."""
    for path in ("index.html", "measures/le01/index.html", "measures/index.html"):
        html = (site_dir / path).read_text()
        total = len(gzip.compress(html.encode()))
        for asset in re.findall(r'(?:href|src)="/assets/([^"]+)"', html):
            total += len(gzip.compress((site_dir / "assets" / asset).read_bytes()))
        assert total <= 40 * 1024, f"{path} transfers {total} bytes gzip"


def test_a_new_brand_colour_reaches_the_stylesheet(content_copy, tmp_path):
    """The compiled stylesheet is cached between builds; the cache must not hide a change of colour."""
    site = content_copy / "site.yaml"
    site.write_text(site.read_text().replace("#0b4f6c", "#5a1e5c"))
    build(content_copy, tmp_path / "site", tmp_path / "assets")
    css = next((tmp_path / "assets").glob("portal.*.css")).read_text()
    assert ".app-header{background-color:#5a1e5c}" in css


def test_links_to_pages_a_function_serves_are_not_files_to_check(tmp_path):
    (tmp_path / "index.html").write_text('<a href="/council/sign-in">Sign in</a> <a href="/councillors/">Missing</a>')
    with pytest.raises(BrokenLinks) as raised:
        check_links(tmp_path, served_by_functions=("/council/",))
    assert raised.value.broken == ["/councillors/ does not exist (linked from /)"]


def test_assets_built_before_a_new_asset_was_added_say_to_build_again(built, tmp_path):
    stale = tmp_path / "assets"
    shutil.copytree(built[1], stale)
    manifest = json.loads((stale / "manifest.json").read_text())
    del manifest["portal.css"]
    (stale / "manifest.json").write_text(json.dumps(manifest))
    app = create_app({"PORTAL_ASSETS": stale, "TESTING": True})
    with pytest.raises(AssetsMissing, match="portal.css is not in .*manifest.json: run 'python build.py'"):
        app.test_client().get("/")


def test_make_runs_build_freezes_the_site_and_packages_no_function(tmp_path):
    """make run serves the functions from their code: `build.py --site-only` stops after the site."""
    result = subprocess.run(
        [sys.executable, "build.py", "--site-only"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_ASSETS": str(tmp_path / "assets")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and "Packaged" not in result.stdout
    assert (tmp_path / "assets" / "manifest.json").exists()
