"""The public "Social value delivered" report: verified figures per priority and measure, nothing personal."""

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.content.contract_settings import MoneyProxy
from portal.contracts import (
    DATA_DICTIONARY,
    Commitment,
    Contract,
    Return,
    ReturnLine,
    Review,
    open_data_rows,
    public_report,
    summarise,
)
from portal.contracts.schedule import periods

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)
TODAY = date(2027, 6, 1)
PERSONAL = ("officer@exampleshire.gov.uk", "ann@roadworks.example", "Ann Smith", "Director", "Secret narrative")


def contract(reference, title, *commitments, start=date(2026, 4, 1), end=date(2027, 3, 31)):
    return Contract(
        title,
        reference,
        f"{title} Ltd",
        Decimal(1000),
        start,
        end,
        "officer@exampleshire.gov.uk",
        ("ann@roadworks.example",),
        tuple(commitments),
        notice_id="012345-2026",
    )


def summaries(c, claimed, verified=None, outcome="accepted"):
    """Each quarter sent with `claimed` of every measure, reviewed with `outcome` (verified as `verified`)."""
    returns, reviews = [], []
    for period in periods(c.start, c.end, "quarterly", 30):
        lines = tuple(
            ReturnLine(k.measure_code, Decimal(claimed), "payroll", "Secret narrative", ("EX1",)) for k in c.commitments
        )
        returns.append(Return(period.id, lines, "Ann Smith", "Director"))
        figures = {} if verified is None else {k.measure_code: Decimal(verified) for k in c.commitments}
        reviews.append(Review(period.id, 1, outcome, "" if outcome == "accepted" else "note", figures))
    return summarise(c, returns, reviews, CONTENT_LOADED, TODAY)


HIGHWAYS = contract(
    "EXC-1",
    "Highways",
    Commitment("LE06", Decimal(2), "per_period", "quarterly", ""),
    Commitment("WB06", Decimal(50), "per_period", "quarterly", ""),
)
CLEANING = contract(
    "EXC-2",
    "Cleaning",
    Commitment("WB06", Decimal(20), "per_period", "quarterly", ""),
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
)
UNREVIEWED = contract("EXC-3", "Catering", Commitment("GP01", Decimal(5), "per_period", "quarterly", ""))


def report(content=CONTENT_LOADED):
    return public_report(
        [
            (HIGHWAYS, summaries(HIGHWAYS, 3, 2)),
            (CLEANING, summaries(CLEANING, 10)),
            (UNREVIEWED, summaries(UNREVIEWED, 9, outcome="queried")),
        ],
        content,
    )


def test_verified_totals_per_priority_and_measure_with_the_contracts_that_delivered_them():
    built = report()
    assert built.contracts_published == 3 and not built.empty
    assert [(p.priority.id, [m.code for m in p.measures]) for p in built.priorities] == [
        ("local-economy", ["LE06"]),
        ("wellbeing", ["WB06"]),
    ]  # GP01 was claimed but never verified
    le06 = built.priorities[0].measures[0]
    assert (le06.verified, le06.unit) == (8, "Apprenticeship weeks")  # 4 quarters verified at 2, not the 3 claimed
    wb06 = built.priorities[1].measures[0]
    assert wb06.verified == 8 + 40 and wb06.unit == "Hours"
    assert [(c.title, c.reference, c.supplier_name, c.verified) for c in wb06.contracts] == [
        ("Cleaning", "EXC-2", "Cleaning Ltd", 40),
        ("Highways", "EXC-1", "Highways Ltd", 8),
    ]
    assert wb06.contracts[0].by_year == ((2025, 10), (2026, 30))  # Cleaning's first quarter ended in March 2026
    assert wb06.proxy is None and wb06.money is None


def test_with_nothing_published_or_verified_the_report_is_empty():
    assert public_report([], CONTENT_LOADED).empty
    assert public_report([(UNREVIEWED, summaries(UNREVIEWED, 9, outcome="queried"))], CONTENT_LOADED).empty


def test_open_data_rows_follow_the_data_dictionary_and_hold_nothing_personal():
    rows = open_data_rows(report(), CONTENT_LOADED)
    columns = [column for column, _, _ in DATA_DICTIONARY]
    assert all(list(row) == columns for row in rows)
    assert rows[0] == {
        "financial_year": "2026 to 2027",
        "priority": "Supporting the local economy",
        "outcome": "Skills and routes into work",
        "measure_code": "LE06",
        "measure": "Apprenticeships on the contract",
        "unit": "Apprenticeship weeks",
        "verified": Decimal(8),
        "contract_title": "Highways",
        "contract_reference": "EXC-1",
        "contract_notice": "012345-2026",
        "supplier": "Highways Ltd",
        "money_value": None,
        "money_value_source": "",
    }
    assert len(rows) == 1 + 1 + 2  # LE06 Highways; WB06 Highways; WB06 Cleaning in two financial years
    written = io.StringIO()
    csv.DictWriter(written, columns).writerows(rows)
    text = written.getvalue() + json.dumps(rows, default=str)
    assert not any(personal in text for personal in PERSONAL)
    assert all(description and kind in ("text", "number") for _, kind, description in DATA_DICTIONARY)


def test_a_declared_money_proxy_is_shown_beside_the_quantity_with_its_source():
    proxy = MoneyProxy("WB06", Decimal("12.50"), "Our volunteering value, cabinet 2026")
    content = replace(CONTENT_LOADED, contracts=replace(CONTENT_LOADED.contracts, money_proxies={"WB06": proxy}))
    wb06 = report(content).priorities[1].measures[0]
    assert (wb06.verified, wb06.money, wb06.proxy.source) == (48, Decimal("600.00"), "Our volunteering value, cabinet 2026")
    rows = [r for r in open_data_rows(report(content), content) if r["measure_code"] == "WB06"]
    assert [(r["contract_title"], r["financial_year"], r["verified"], r["money_value"]) for r in rows] == [
        ("Cleaning", "2025 to 2026", 10, Decimal("125.00")),
        ("Cleaning", "2026 to 2027", 30, Decimal("375.00")),
        ("Highways", "2026 to 2027", 8, Decimal("100.00")),
    ]
    assert {r["money_value_source"] for r in rows} == {"Our volunteering value, cabinet 2026"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["LE06", "WB06", "GP01", "LE12"]),
            st.decimals(min_value=0, max_value=10**6, places=2),
            st.sampled_from(["accepted", "queried", "rejected"]),
        ),
        max_size=6,
    )
)
def test_any_published_contracts_give_rows_that_add_up_to_the_report(specs):
    published = []
    for n, (code, quantity, outcome) in enumerate(specs):
        c = contract(f"R{n}", f"Contract {n}", Commitment(code, Decimal(1), "per_period", "quarterly", ""))
        published.append((c, summaries(c, quantity, outcome=outcome)))
    built = public_report(published, CONTENT_LOADED)
    rows = open_data_rows(built, CONTENT_LOADED)
    for group in built.priorities:
        for measure in group.measures:
            if measure.code != "LE12":  # a rate is its latest period's, not a sum of rows (combining.py)
                assert measure.verified == sum(r["verified"] for r in rows if r["measure_code"] == measure.code) > 0
            assert {r["unit"] for r in rows if r["measure_code"] == measure.code} == {measure.unit}
    delivering = [code for code, quantity, outcome in specs if outcome == "accepted" and quantity > 0]
    # A rate is never added across contracts: published by more than one contract, it has no total to show.
    expected = {code for code in delivering if code != "LE12" or [c for c, _, _ in specs].count("LE12") == 1}
    assert {m.code for g in built.priorities for m in g.measures} == expected
