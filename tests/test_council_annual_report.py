"""The annual report for officers, for one UK financial year: a page and a PDF with the headline verified totals,
committed against delivered, each priority's chart, each contract's rating and the returns still missing."""

import re
import subprocess
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


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_annual_report_as_a_page_and_a_pdf(council_app, store, viewer, tmp_path):
    highways = record(council_app, store, contract(commitments=(("LE01", "4.5", "quarterly"),)))
    send(council_app, store, highways, Q1, {"LE01": "5"})
    review(council_app, store, highways, Q1, "accepted", {"LE01": "4"})  # Q2 never sent: missing
    page = text(viewer.client.get("/council/annual-report/").get_data(as_text=True))
    assert "Social value: annual report 2026 to 2027" in page
    # FTE jobs are a level: the latest period's figures stand (committed 4.5, claimed 5 in Q1, verified 4)
    assert "LE01: Local people employed on the contract Full-time equivalent (FTE) jobs 4.5 5 4" in page
    assert "Highways maintenance : KPI ratings (EXC-2026-014) Roadworks Ltd Inadequate 2 1" in page  # Q2 missing
    html = viewer.client.get("/council/annual-report/").get_data(as_text=True)
    assert f'href="/council/contracts/{highways}/ratings"' in html  # each contract's ratings, a link away
    assert "Highways maintenance (Roadworks Ltd) 1 July 2026 to 30 September 2026 30 October 2026 36" in page
    earlier = text(viewer.client.get("/council/annual-report/?year=2025").get_data(as_text=True))
    assert "annual report 2025 to 2026" in earlier and "Every return due for 2025 to 2026 has been sent." in earlier
    response = viewer.client.get("/council/annual-report/2026.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert 'filename="social-value-annual-report-2026-to-2027.pdf"' in response.headers["Content-Disposition"]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.get_data())
    words = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    assert "Social value: annual report 2026 to 2027" in words and "Returns late or missing" in words
    assert "Highways maintenance" in words and "Inadequate" in words


@pytest.mark.parametrize("query", ["year=1", "year=abc", "year=٢٠٢٦", "year=99999999999999999999"])
def test_any_year_gives_a_report(viewer, query):
    assert viewer.client.get(f"/council/annual-report/?{query}").status_code == 200
    later = viewer.client.get("/council/annual-report/?year=2030").get_data(as_text=True)
    assert re.search(r'<option value="2030" selected>2030 to 2031</option>', later)  # the year chooser shows the year shown
    for year in ("1999", "abc", "２０２６", "9" * 40):
        assert viewer.client.get(f"/council/annual-report/{year}.pdf").status_code == 404


def test_the_report_gives_the_rating_an_officer_set_while_the_figures_hold(council_app, store, viewer, tmp_path):
    from tests.officer import ADMIN

    highways = record(council_app, store, contract(commitments=(("LE01", "4.5", "quarterly"),)))
    send(council_app, store, highways, Q1, {"LE01": "5"})
    review(council_app, store, highways, Q1, "accepted", {"LE01": "4"})
    admin = signed_in(council_app, ADMIN, tmp_path / "outbox")
    url = f"/council/contracts/{highways}/ratings"
    assert admin.post(f"{url}/LE01", {"band": "good", "reason": "Q2 sent late by post"}, form_page=url).status_code == 303
    page = text(viewer.client.get("/council/annual-report/").get_data(as_text=True))
    assert "Highways maintenance : KPI ratings (EXC-2026-014) Roadworks Ltd Good 2 1" in page
