"""The council's returns page: what needs something across all contracts (due this month, overdue, awaiting
review, queried), filtered, sorted and paged without JavaScript, and downloaded as CSV and XLSX."""

import csv
import io
import re
from datetime import datetime, timezone
from html import unescape

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract_factory import contract, record, review, send
from tests.officer import ADMIN, VIEWER, Clock, council_app_with_officers, follow, signed_in

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


@pytest.fixture
def contracts(council_app, store):
    """Highways (LE01 quarterly, ADMIN manages): Q1 sent and queried, Q2 sent and waiting, Q3 not yet due.
    Parks (WB06 monthly, VIEWER manages): every month from April to October overdue, November due this month."""
    highways = record(council_app, store, contract())
    send(council_app, store, highways, Q1, {"LE01": "5"})
    review(council_app, store, highways, Q1, "queried")
    send(council_app, store, highways, Q2, {"LE01": "4"})
    parks = record(
        council_app,
        store,
        contract('=HYPERLINK("http://evil")', "EXC-PARKS", VIEWER, "Green Spaces Ltd", commitments=(("WB06", "20", "monthly"),)),
    )
    return highways, parks


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def rows(response) -> list[str]:
    body = response.get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", r))).strip()
        for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)[1:]
    ]


def test_the_returns_page_lists_what_needs_something(viewer, contracts):
    response = viewer.client.get("/council/returns/")
    assert response.status_code == 200
    page = text(response)
    assert "Due this month: 1" in page and "Overdue: 7" in page and "Awaiting review: 1" in page and "Queried: 1" in page
    assert "10 returns" in page
    listed = rows(response)
    assert "1 April 2026 to 30 April 2026 30 May 2026 (189 days overdue) Overdue WB06" in listed[0]  # earliest due
    assert listed[3].startswith("Highways maintenance EXC-2026-014") and "Queried" in listed[3]  # due 30 July
    assert any("1 November 2026 to 30 November 2026" in r and "30 December 2026" in r and "Due" in r for r in listed)
    assert not any("1 October 2026 to 31 December 2026" in r for r in listed)  # Highways Q3: not due this month
    assert re.search(
        r'<nav.*href="/council/returns/"[^>]*>\s*(?:<[^>]*>\s*)*Returns\b', response.get_data(as_text=True), re.S
    )  # in the council navigation


@pytest.mark.parametrize(
    "query, expected",
    [
        ("show=overdue", 7),
        ("show=awaiting_review", 1),
        ("show=queried", 1),
        ("show=due_this_month", 1),
        (f"manager={ADMIN}", 2),
        (f"manager={VIEWER}", 8),
        ("measure=LE01", 2),
        ("measure=WB06", 8),
        ("priority=wellbeing", 8),
        ("priority=local-economy", 2),
        ("priority=great-place", 0),
        ("q=green+spaces", 8),
        ("q=nothing+like+it", 0),
        ("show=overdue&priority=local-economy", 0),
    ],
)
def test_filters(viewer, contracts, query, expected):
    page = text(viewer.client.get(f"/council/returns/?{query}"))
    assert f"{expected} return{'s' if expected != 1 else ''}" in page


def test_sorted_and_paged_without_javascript(viewer, contracts):
    most_overdue = rows(viewer.client.get("/council/returns/?sort=overdue"))
    assert "1 April 2026 to 30 April 2026" in most_overdue[0] and "(189 days overdue)" in most_overdue[0]
    by_supplier = rows(viewer.client.get("/council/returns/?sort=supplier"))
    assert "Green Spaces Ltd" in by_supplier[0] and "Roadworks Ltd" in by_supplier[-1]
    assert "page 1 of" not in text(viewer.client.get("/council/returns/?sort=contract"))  # 10 fit on one page
    assert viewer.client.get("/council/returns/?page=99").status_code == 200  # beyond the last: the last page


def test_paging_keeps_the_filters(council_app, store, viewer):
    for number in range(3):
        record(
            council_app, store, contract(f"Cleaning {number}", f"EXC-C{number}", VIEWER, commitments=(("WB06", "20", "monthly"),))
        )
    response = viewer.client.get("/council/returns/?show=overdue&sort=contract")
    page = text(response)
    assert "21 returns, page 1 of 2" in page
    assert "/council/returns/?page=2&amp;show=overdue&amp;sort=contract" in response.get_data(as_text=True)
    assert len(rows(viewer.client.get("/council/returns/?show=overdue&sort=contract&page=2"))) == 1


def test_downloads_open_in_a_spreadsheet_with_formulas_made_harmless(viewer, contracts, store):
    response = viewer.post(
        "/council/returns/export?format=csv&manager=viewer%40exampleshire.gov.uk", form_page="/council/returns/"
    )
    table = list(csv.reader(io.StringIO(follow(viewer, response).decode("utf-8-sig"))))
    assert table[0][:4] == ["Contract", "Reference", "Supplier", "Contract manager"]
    assert len(table) == 9 and {row[0] for row in table[1:]} == {'\'=HYPERLINK("http://evil")'}
    assert table[1][4:9] == ["2026-04-01", "2026-04-30", "2026-05-30", "Overdue", "189"]
    response = viewer.post("/council/returns/export?format=xlsx", form_page="/council/returns/")
    sheet = openpyxl.load_workbook(io.BytesIO(follow(viewer, response))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert len(cells) == 11 and cells[4][0] == "Highways maintenance"
    evil = next(c for c in sheet["A"] if c.value == '=HYPERLINK("http://evil")')
    assert evil.data_type == "s"  # text, never a formula
    assert cells[4][6] == datetime(2026, 7, 30) and cells[4][7] == "Queried" and cells[4][8] == 0
    assert cells[1][6] == datetime(2026, 5, 30) and cells[1][8] == 189
    assert viewer.post("/council/returns/export?format=pdf", form_page="/council/returns/").status_code == 400


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["show", "sort", "manager", "measure", "priority", "q", "page", "format"]),
        st.text(max_size=200),
        max_size=6,
    )
)
def test_any_query_string_gives_a_page_never_an_error(viewer, args):
    assert viewer.client.get("/council/returns/", query_string=args).status_code == 200


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["show", "sort", "manager", "measure", "priority", "q", "format"]), st.text(max_size=200), max_size=6
    )
)
def test_any_download_request_gives_a_file_or_a_clear_refusal(viewer, args):
    response = viewer.client.get("/council/returns/")
    from tests.officer import csrf

    answer = viewer.client.post(
        "/council/returns/export", query_string=args, data={"csrf_token": csrf(response.get_data(as_text=True))}
    )
    assert answer.status_code == (303 if args.get("format") in ("csv", "xlsx") else 400)
