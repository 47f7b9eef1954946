"""'Social value delivered' on the frozen site (decision 15): built by `python build.py` from the contracts an
officer published, read-only; verified figures only, nothing personal; open data as CSV and JSON with its data
dictionary; linked from the home page and the Framework; with nothing published it says there is nothing yet."""

import csv
import io
import json
import re
from decimal import Decimal
from html import unescape


from build import build
from functions.contracts.overrides import publish
from portal import create_app
from tests.conftest import CONTENT
from tests.contract_factory import ANN, contract, record, review, send

Q1, Q2 = "2026-04-01--2026-06-30", "2026-07-01--2026-09-30"
REPORT = "social-value-delivered/index.html"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_with_nothing_published_the_report_says_there_is_nothing_yet(site_dir):
    page = text((site_dir / REPORT).read_text())
    assert "There is nothing to show yet." in page and "Data dictionary" in page
    assert 'href="/social-value-delivered/"' in (site_dir / "index.html").read_text()
    assert 'href="/social-value-delivered/"' in (site_dir / "framework/index.html").read_text()
    table = list(csv.reader(io.StringIO((site_dir / "social-value-delivered/social-value-delivered.csv").read_text())))
    assert table == [
        [
            "financial_year",
            "priority",
            "outcome",
            "measure_code",
            "measure",
            "unit",
            "verified",
            "contract_title",
            "contract_reference",
            "contract_notice",
            "supplier",
            "money_value",
            "money_value_source",
        ]
    ]
    data = json.loads((site_dir / "social-value-delivered/social-value-delivered.json").read_text())
    assert data["rows"] == [] and [c["column"] for c in data["data_dictionary"]] == table[0]


def _snapshot(store) -> dict:
    return {key: store.read(key) for key in store.keys("")}


def test_the_build_publishes_verified_figures_of_published_contracts_only(built, storage_url, store, tmp_path):
    app = create_app({"PORTAL_CONTENT": CONTENT, "PORTAL_STORAGE": storage_url, "PORTAL_ASSETS": built[1]})
    published = record(app, store, contract(commitments=(("LE01", "4.5", "quarterly"), ("WB06", "10", "quarterly"))))
    send(app, store, published, Q1, {"LE01": "5", "WB06": "12.25"})
    review(app, store, published, Q1, "accepted", {"LE01": "4", "WB06": "12.25"})
    send(app, store, published, Q2, {"LE01": "6", "WB06": "9"})  # claimed, not yet verified: not published
    hidden = record(app, store, contract("Secret works", "EXC-HIDDEN", supplier="Hidden Ltd"))
    send(app, store, hidden, Q1, {"LE01": "9"})
    review(app, store, hidden, Q1, "accepted", {"LE01": "9"})
    publish(store, published, True, "admin@exampleshire.gov.uk")
    publish(store, hidden, True, "admin@exampleshire.gov.uk")
    publish(store, hidden, False, "admin@exampleshire.gov.uk")  # taken back out
    before = _snapshot(store)
    site = tmp_path / "site"
    build(CONTENT, site, built[1], storage=storage_url)
    assert _snapshot(store) == before  # read-only
    html = (site / REPORT).read_text()
    page = text(html)
    assert "From 1 contract we have published." in page
    assert "LE01: Local people employed on the contract" in page and "WB06: Staff volunteering in the community" in page
    assert "12.25 hours verified" in page
    assert "Highways maintenance (EXC-2026-014, notice" not in page and "Highways maintenance (EXC-2026-014)" in page
    assert "Roadworks Ltd" in page and "Hidden Ltd" not in page and "Secret works" not in page
    assert ANN not in html and "admin@exampleshire.gov.uk" not in html  # nothing personal
    assert html.count('role="img"') == 2
    rows = list(csv.DictReader(io.StringIO((site / "social-value-delivered/social-value-delivered.csv").read_text())))
    assert [(r["measure_code"], r["verified"], r["financial_year"], r["supplier"]) for r in rows] == [
        ("LE01", "4", "2026 to 2027", "Roadworks Ltd"),
        ("WB06", "12.25", "2026 to 2027", "Roadworks Ltd"),
    ]
    data = json.loads((site / "social-value-delivered/social-value-delivered.json").read_text(), parse_float=Decimal)
    assert [r["verified"] for r in data["rows"]] == [4, Decimal("12.25")]


def test_the_report_with_figures_is_valid_html(built, store, storage_url, tmp_path):
    import subprocess

    from tests.test_html_validity import VNU

    app = create_app({"PORTAL_CONTENT": CONTENT, "PORTAL_STORAGE": storage_url, "PORTAL_ASSETS": built[1]})
    made = record(app, store, contract(commitments=(("LE01", "4.5", "quarterly"), ("WB06", "10", "quarterly"))))
    send(app, store, made, Q1, {"LE01": "5", "WB06": "12"})
    review(app, store, made, Q1, "accepted", {"LE01": "4", "WB06": "12"})
    publish(store, made, True, "admin@exampleshire.gov.uk")
    build(CONTENT, tmp_path / "site", built[1], storage=storage_url)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", str(tmp_path / "site" / REPORT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_make_runs_app_shows_a_contract_as_soon_as_it_is_published(built, storage_url, store):
    app = create_app({"PORTAL_CONTENT": CONTENT, "PORTAL_STORAGE": storage_url, "PORTAL_ASSETS": built[1]})
    client = app.test_client()
    assert "There is nothing to show yet." in text(client.get("/social-value-delivered/").get_data(as_text=True))
    made = record(app, store, contract())
    send(app, store, made, Q1, {"LE01": "5"})
    review(app, store, made, Q1, "accepted", {"LE01": "4"})
    publish(store, made, True, "admin@exampleshire.gov.uk")
    assert "Highways maintenance" in text(client.get("/social-value-delivered/").get_data(as_text=True))
