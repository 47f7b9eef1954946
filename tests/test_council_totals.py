"""Totals across contracts: committed, committed to date, claimed and verified for each measure in its own unit,
by priority and outcome, for every year or one financial year, with a chart drawn on the server and its tables."""

import re
from datetime import datetime, timezone
from html import unescape

import pytest

from tests.contract_factory import contract, record, review, send
from tests.officer import VIEWER, Clock, council_app_with_officers, signed_in

Q1, Q2 = "2026-04-01--2026-06-30", "2026-07-01--2026-09-30"


@pytest.fixture
def clock():
    return Clock(datetime(2026, 12, 5, 10, tzinfo=timezone.utc))


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_totals_per_measure_in_its_own_unit_by_priority(council_app, store, viewer):
    assert "There are no contracts with commitments yet." in text(viewer.client.get("/council/totals/"))
    highways = record(council_app, store, contract(commitments=(("LE01", "4.5", "quarterly"), ("WB06", "10", "quarterly"))))
    send(council_app, store, highways, Q1, {"LE01": "5", "WB06": "12"})
    review(council_app, store, highways, Q1, "accepted", {"LE01": "4"})
    send(council_app, store, highways, Q2, {"LE01": "4.5", "WB06": "8"})
    record(
        council_app,
        store,
        contract(
            "Parks",
            "EXC-PARKS",
            commitments=(("WB06", "20", "monthly"),),
            start=datetime(2027, 1, 1).date(),
            end=datetime(2027, 12, 31).date(),
        ),
    )
    response = viewer.client.get("/council/totals/")
    page = text(response)
    assert "across 2 contracts" in page
    local = page[page.index("Supporting the local economy") :]
    # LE01: 4 quarters of 4.5; Q1 and Q2 ended; claimed 5 + 4.5; verified 4 (Q2 awaits review)
    # LE01 counts FTE jobs, a level: the latest period stands (four quarters of 4.5 FTE are 4.5 FTE, not 18)
    assert "LE01: Local people employed on the contract Full-time equivalent (FTE) jobs 4.5 4.5 4.5 4 1" in local
    # WB06, hours: 40 for highways and 240 for parks; to date only highways' two quarters (parks starts in 2027)
    assert "WB06: Staff volunteering in the community Hours 280 20 20 12 2" in page
    body = response.get_data(as_text=True)
    assert body.count('role="img"') == 2 and "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    assert "claimed and verified as a share of committed to date" in page  # each chart's title
    # one financial year: parks' January to March 2027 in 2026 to 2027, the rest of its months in 2027 to 2028
    year = text(viewer.client.get("/council/totals/?year=2027"))
    assert "The financial year 2027 to 2028" in year
    assert "WB06: Staff volunteering in the community Hours 180 0 0 0 2" in year
    assert "LE01: Local people employed on the contract Full-time equivalent (FTE) jobs 0 0 0 0 1" in year
    assert "Totals" in re.search(r"<nav.*?</nav>", body, re.S).group(0)


@pytest.mark.parametrize("year", ["", "1999", "２０２６", "-1", "2026.0", "x" * 500, "\x00"])
def test_any_year_gives_a_page(viewer, year):
    response = viewer.client.get("/council/totals/", query_string={"year": year})
    assert response.status_code == 200 and "Every year" in text(response)


def test_a_rate_is_never_added_across_contracts(council_app, store, viewer):
    for number in range(2):
        made = record(
            council_app, store, contract(f"Contract {number}", f"EXC-{number}", commitments=(("LE12", "95", "quarterly"),))
        )
        send(council_app, store, made, Q1, {"LE12": "90"})
    page = text(viewer.client.get("/council/totals/"))
    assert "A rate: not added across contracts. Each contract's is on its page. 2" in page


def test_the_pages_across_contracts_are_valid_html(council_app, store, viewer, tmp_path):
    import subprocess

    from tests.test_html_validity import VNU

    made = record(council_app, store, contract(commitments=(("LE01", "4.5", "quarterly"), ("WB06", "10", "quarterly"))))
    send(council_app, store, made, Q1, {"LE01": "5", "WB06": "12"})
    review(council_app, store, made, Q1, "accepted", {"LE01": "4"})
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, path in (
        ("returns", "/council/returns/"),
        ("totals", "/council/totals/"),
        ("ratings", f"/council/contracts/{made}/ratings"),
        ("report", "/council/annual-report/"),
    ):
        (folder / f"{name}.html").write_text(viewer.client.get(path).get_data(as_text=True))
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
