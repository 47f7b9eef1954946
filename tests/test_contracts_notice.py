"""KPI rows ready for a Contract Performance Notice: one per KPI, figures and rating over the same periods."""

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.contracts import Commitment, Contract, Override, Return, ReturnLine, Review, kpi_rows, notice_table, summarise
from portal.contracts.notice import NOTICE_COLUMNS
from portal.contracts.schedule import periods

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-014",
    "Roadworks Ltd",
    Decimal(6_000_000),
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
    notice_id="012345-2026",
    ppon="PABC-1234-DEFG",
)
Q1, Q2, Q3, Q4 = periods(CONTRACT.start, CONTRACT.end, "quarterly", 30)


def sent(period, le06, wb06):
    return Return(
        period.id,
        (ReturnLine("LE06", Decimal(le06), "payroll", "", ("EX1",)), ReturnLine("WB06", Decimal(wb06), "log", "")),
        "Ann Smith",
        "Director",
    )


RETURNS = [sent(Q1, 5, 10), sent(Q2, 4, 15), sent(Q3, 6, 30)]
REVIEWS = [Review(Q1.id, 1, "accepted", "", {"LE06": Decimal(4)}), Review(Q2.id, 1, "accepted", "")]


def rows(today=date(2027, 1, 15), overrides=None):
    return kpi_rows(summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, today), CONTENT_LOADED, overrides)


def test_one_row_per_kpi_with_target_claim_verified_and_rating_over_the_settled_periods():
    le06, wb06 = rows()  # Q1 and Q2 accepted; Q3 sent and awaiting review; Q4 not yet ended
    assert (le06.measure_code, le06.name, le06.unit) == ("LE06", "Apprenticeships on the contract", "Apprenticeship weeks")
    assert (le06.committed_total, le06.target, le06.delivered, le06.verified) == (18, 9, 9, 8)
    assert le06.rating.band == "requires_improvement"  # 8 of 9 is 88%: under 90%
    assert (le06.period_from, le06.period_to) == (date(2026, 4, 1), date(2026, 9, 30))
    assert "1 return awaiting review is not counted yet" in le06.rating.reason
    assert (wb06.target, wb06.delivered, wb06.verified, wb06.rating.band) == (30, 25, 25, "requires_improvement")


def test_an_officers_override_is_the_rating_in_the_row():
    computed = rows()[1].rating
    override = Override("approaching_target", "Volunteering days were moved to April", computed.band)
    wb06 = rows(overrides={"WB06": override})[1]
    assert wb06.rating.band == "approaching_target" and wb06.rating.calculated == "requires_improvement"


def test_before_anything_is_settled_the_rows_say_other_and_cover_no_period():
    le06, wb06 = kpi_rows(summarise(CONTRACT, [], [], CONTENT_LOADED, date(2026, 7, 30)), CONTENT_LOADED)
    assert le06.rating.band == wb06.rating.band == "other"
    assert (le06.target, le06.verified, le06.period_from, le06.period_to) == (0, 0, None, None)


def test_the_table_has_a_heading_row_then_a_row_per_kpi_that_a_csv_writer_keeps():
    table = notice_table(CONTRACT, rows())
    assert table[0] == [heading for _, heading in NOTICE_COLUMNS]
    assert len(table) == 3 and all(len(row) == len(NOTICE_COLUMNS) for row in table)
    written = io.StringIO()
    csv.writer(written).writerows(table)
    read = list(csv.DictReader(io.StringIO(written.getvalue())))
    assert read[0]["Contract reference"] == "EXC-2026-014" and read[0]["Contract notice identifier"] == "012345-2026"
    assert (read[0]["Contract title"], read[0]["Supplier"], read[0]["Supplier identifier (PPON)"]) == (
        "Highways maintenance",
        "Roadworks Ltd",
        "PABC-1234-DEFG",
    )
    assert read[0]["KPI"] == "LE06" and read[0]["Verified by the council"] == "8"
    assert read[0]["Rating"] == "Requires improvement" and read[0]["Period covered to"] == "2026-09-30"
    assert "Ann Smith" not in written.getvalue() and "officer@" not in written.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=10**6, places=2), st.sampled_from(["accepted", "queried", "rejected", None])
        ),
        min_size=4,
        max_size=4,
    ),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 1, 1)),
)
def test_any_returns_give_rows_whose_figures_describe_the_same_periods(figures, today):
    returns = [sent(p, q, q) for p, (q, outcome) in zip((Q1, Q2, Q3, Q4), figures) if outcome]
    reviews = [Review(p.id, 1, outcome, "note") for p, (_, outcome) in zip((Q1, Q2, Q3, Q4), figures) if outcome]
    for row in kpi_rows(summarise(CONTRACT, returns, reviews, CONTENT_LOADED, today), CONTENT_LOADED):
        assert 0 <= row.verified <= row.delivered
        assert row.target <= row.committed_total
        if row.period_from is None:
            assert row.rating.band == "other" and row.target == row.verified == 0
