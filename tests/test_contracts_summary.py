"""Committed against claimed against verified, per commitment and period, and the chart that shows it."""

import xml.etree.ElementTree as ElementTree
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.contracts.chart import bar_chart_svg
from portal.contracts.model import Commitment, Contract, Return, ReturnLine, Review
from portal.contracts.schedule import commitment_periods
from portal.contracts.summary import summarise, table_rows

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-014",
    "Roadworks Ltd",
    Decimal(1_250_000),
    date(2026, 4, 1),
    date(2027, 3, 31),
    "officer@exampleshire.gov.uk",
    ("ann@roadworks.example",),
    (
        Commitment("LE06", Decimal("4.5"), "per_period", "quarterly", "Local hires"),
        Commitment(
            "WB06",
            Decimal(100),
            "whole_contract",
            "quarterly",
            "Volunteering",
            (Decimal(10), Decimal(20), Decimal(30), Decimal(40)),
        ),
    ),
)
Q1, Q2, Q3, Q4 = commitment_periods(CONTRACT, CONTRACT.commitments[0], 30)
SVG = "{http://www.w3.org/2000/svg}"


def sent(period, le06, wb06, version=1):
    lines = (ReturnLine("LE06", Decimal(le06), "hours", "", ("EX1",)), ReturnLine("WB06", Decimal(wb06), "log", "", ("EX2",)))
    return Return(period.id, lines, "Ann Smith", "Director", version, None if version == 1 else "corrected")


RETURNS = [sent(Q1, 5, 12), sent(Q2, 3, 15), sent(Q2, 4, 25, version=2), sent(Q3, 4, 30)]
REVIEWS = [
    Review(Q1.id, 1, "queried", "Which districts?"),
    Review(Q1.id, 1, "accepted", "", {"LE06": Decimal(4)}),
    Review(Q2.id, 1, "accepted", ""),
]  # an old version's decision: the correction waits


def test_committed_claimed_and_verified_to_date_and_per_period():
    le06, wb06 = summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, today=date(2026, 11, 1))
    assert le06.unit == "Apprenticeship weeks"
    assert [f.committed for f in le06.periods] == [Decimal("4.5")] * 4
    assert [f.claimed for f in le06.periods] == [5, 4, 4, None]  # the latest version of Q2
    assert [f.verified for f in le06.periods] == [4, None, None, None]
    assert [f.status for f in le06.periods] == ["accepted", "sent", "sent", "not_yet_due"]
    assert (le06.committed_total, le06.committed_to_date, le06.claimed_to_date, le06.verified_to_date) == (18, 9, 13, 4)
    assert [f.committed for f in wb06.periods] == [10, 20, 30, 40]
    assert wb06.verified_to_date == 12  # accepted without a figure: the claim is verified as it stands
    assert (wb06.committed_total, wb06.committed_to_date, wb06.claimed_to_date) == (100, 30, 67)


def test_table_rows_give_the_charts_figures_as_text():
    le06, _ = summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, today=date(2027, 6, 1))
    assert table_rows(le06)[0] == {
        "period": "1 April 2026 to 30 June 2026",
        "committed": "4.5",
        "claimed": "5",
        "verified": "4",
        "status": "accepted",
    }
    assert table_rows(le06)[3]["claimed"] == "Not sent" and table_rows(le06)[3]["status"] == "overdue"


def test_the_chart_is_an_accessible_svg_without_script():
    le06, _ = summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, today=date(2026, 11, 1))
    svg = bar_chart_svg(le06, "chart-LE06")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-le06-title chart-le06-desc"
    assert root.find(f"{SVG}title").text == "LE06: committed, claimed and verified in each reporting period"
    assert "Apprenticeship weeks" in root.find(f"{SVG}desc").text
    assert "<script" not in svg and " on" not in svg.lower().replace(" one", "")
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 12
    assert bars[0].find(f"{SVG}title").text == "Period 1, committed: 4.5"
    assert len(svg) < 10_000


@settings(max_examples=50, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=4, max_size=4), st.text(max_size=30))
def test_any_figures_and_id_give_well_formed_svg(figures, chart_id):
    returns = [sent(period, figure, 1) for period, figure in zip((Q1, Q2, Q3, Q4), figures)]
    le06, _ = summarise(CONTRACT, returns, [], CONTENT_LOADED, today=date(2027, 6, 1))
    root = ElementTree.fromstring(bar_chart_svg(le06, chart_id))
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert all(0 <= h <= 160 for h in heights)
