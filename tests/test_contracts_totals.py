"""Totals across contracts: per measure in its own unit, grouped by outcome and priority, by UK financial year."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.content.contract_settings import MoneyProxy
from portal.contracts import (
    Commitment,
    Contract,
    Return,
    ReturnLine,
    Review,
    by_priority,
    financial_year,
    financial_year_label,
    measure_totals,
    summarise,
)
from portal.contracts.schedule import periods

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)
TODAY = date(2027, 6, 1)


def contract(reference, start, end, *commitments):
    return Contract(
        f"Contract {reference}",
        reference,
        "Supplier Ltd",
        Decimal(1000),
        start,
        end,
        "officer@exampleshire.gov.uk",
        ("contact@supplier.example",),
        tuple(commitments),
    )


def accepted_everything(c, quantity):
    """Every period of every commitment sent with `quantity` and accepted as claimed."""
    returns, reviews = [], []
    ids = {p.id for commitment in c.commitments for p in periods(c.start, c.end, commitment.frequency, 30)}
    for period_id in sorted(ids):
        lines = tuple(ReturnLine(k.measure_code, Decimal(quantity), "m", "", ("EX1",)) for k in c.commitments)
        returns.append(Return(period_id, lines, "Ann", "Director"))
        reviews.append(Review(period_id, 1, "accepted", ""))
    return summarise(c, returns, reviews, CONTENT_LOADED, TODAY)


# One financial year from April, and a contract from February whose first quarter ends in April.
APRIL = contract(
    "A",
    date(2026, 4, 1),
    date(2027, 3, 31),
    Commitment("LE06", Decimal(2), "per_period", "quarterly", ""),
    Commitment("WB06", Decimal(50), "per_period", "quarterly", ""),
)
FEBRUARY = contract("F", date(2026, 2, 1), date(2026, 10, 31), Commitment("LE06", Decimal(1), "per_period", "quarterly", ""))


def test_financial_years_run_from_april_to_march():
    assert financial_year(date(2026, 3, 31)) == 2025 and financial_year(date(2026, 4, 1)) == 2026
    assert financial_year_label(2026) == "2026 to 2027"


def test_each_measure_is_totalled_in_its_own_unit_across_contracts_and_years():
    le06, wb06 = measure_totals(
        [(APRIL, accepted_everything(APRIL, 3)), (FEBRUARY, accepted_everything(FEBRUARY, 1))], CONTENT_LOADED
    )
    assert (le06.code, le06.unit, le06.contracts) == ("LE06", "Apprenticeship weeks", 2)
    assert (wb06.code, wb06.unit, wb06.contracts) == ("WB06", "Hours", 1)
    assert le06.all_years.committed == 4 * 2 + 3 * 1 and le06.all_years.verified == 4 * 3 + 3 * 1
    assert wb06.all_years.verified == 4 * 3  # not added to the FTE: a different measure and unit
    # February's first quarter (1 February to 30 April 2026) spans two years: it counts in the year it ends in.
    assert dict(le06.by_year) == {2026: le06.all_years}
    assert le06.proxy is None and le06.money(Decimal(5)) is None  # no pounds unless content declares a proxy


def test_a_period_ending_in_march_counts_in_the_year_before():
    march = contract("M", date(2026, 1, 1), date(2026, 6, 30), Commitment("WB06", Decimal(10), "per_period", "quarterly", ""))
    (wb06,) = measure_totals([(march, accepted_everything(march, 7))], CONTENT_LOADED)
    assert [(year, figures.verified) for year, figures in wb06.by_year] == [(2025, 7), (2026, 7)]


def test_committed_to_date_counts_only_periods_that_have_ended():
    c = contract("L", date(2027, 1, 1), date(2027, 12, 31), Commitment("WB06", Decimal(10), "per_period", "quarterly", ""))
    (wb06,) = measure_totals([(c, summarise(c, [], [], CONTENT_LOADED, date(2027, 7, 1)))], CONTENT_LOADED)
    assert (wb06.all_years.committed, wb06.all_years.committed_to_date, wb06.all_years.verified) == (40, 20, 0)


def test_a_unit_reworded_in_content_since_a_summary_was_kept_is_never_added_to_the_new_one():
    old = [replace(s, unit="Volunteer hours") for s in accepted_everything(APRIL, 1)]
    totals = measure_totals([(APRIL, old), (FEBRUARY, accepted_everything(FEBRUARY, 1))], CONTENT_LOADED)
    assert [(t.code, t.unit) for t in totals] == [
        ("LE06", "Apprenticeship weeks"),
        ("LE06", "Volunteer hours"),
        ("WB06", "Volunteer hours"),
    ]


def test_a_money_proxy_is_given_only_where_content_declares_one_with_its_source():
    proxy = MoneyProxy("WB06", Decimal("15.50"), "Our volunteering value, cabinet 2026")
    content = replace(CONTENT_LOADED, contracts=replace(CONTENT_LOADED.contracts, money_proxies={"WB06": proxy}))
    le06, wb06 = measure_totals([(APRIL, accepted_everything(APRIL, 3))], content)
    assert wb06.proxy.source == "Our volunteering value, cabinet 2026"
    assert wb06.money(wb06.all_years.verified) == Decimal("186.00") and le06.money(Decimal(1)) is None


def test_totals_are_grouped_by_priority_and_outcome_without_summing_measures():
    totals = measure_totals([(APRIL, accepted_everything(APRIL, 3))], CONTENT_LOADED)
    grouped = by_priority(totals, CONTENT_LOADED)
    assert [(p.priority.id, [(o.outcome.id, [m.code for m in o.measures]) for o in p.outcomes]) for p in grouped] == [
        ("local-economy", [("skills-for-work", ["LE06"])]),
        ("wellbeing", [("stronger-communities", ["WB06"])]),
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 1, 1)),
            st.integers(min_value=1, max_value=30),
            st.sampled_from(["LE06", "WB06", "GP01"]),
            st.sampled_from(["monthly", "quarterly", "annually"]),
            st.decimals(min_value=0, max_value=10**6, places=2),
        ),
        max_size=5,
    )
)
def test_any_contracts_give_totals_whose_years_add_up_and_match_the_summaries(specs):
    contracts = []
    for n, (start, months, code, frequency, quantity) in enumerate(specs):
        end = date(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1)
        c = contract(f"C{n}", start, end, Commitment(code, quantity, "per_period", frequency, ""))
        contracts.append((c, accepted_everything(c, quantity)))
    totals = measure_totals(contracts, CONTENT_LOADED)
    assert len({(t.code, t.unit) for t in totals}) == len(totals)
    for total in totals:
        assert sum((f for _, f in total.by_year), type(total.all_years)()) == total.all_years
        summaries = [s for _, ss in contracts for s in ss if s.commitment.measure_code == total.code]
        assert total.all_years.verified == sum((s.verified_to_date for s in summaries), Decimal(0))
        assert total.all_years.committed == sum((s.committed_total for s in summaries), Decimal(0))
        assert total.unit == CONTENT_LOADED.measure(total.code.lower()).unit


# How figures combine (portal/contracts/combining.py), as each measure's content says.


def claimed_each_quarter(c, quantities):
    """Each quarter of a one-commitment contract sent with the next of `quantities` and accepted as claimed."""
    commitment = c.commitments[0]
    returns, reviews = [], []
    for period, quantity in zip(periods(c.start, c.end, commitment.frequency, 30), quantities):
        returns.append(
            Return(period.id, (ReturnLine(commitment.measure_code, Decimal(quantity), "m", "", ("EX1",)),), "Ann", "Director")
        )
        reviews.append(Review(period.id, 1, "accepted", ""))
    return summarise(c, returns, reviews, CONTENT_LOADED, TODAY)


def test_a_level_is_its_latest_period_not_the_sum_of_them_and_levels_add_across_contracts():
    jobs = contract("J", date(2026, 4, 1), date(2027, 3, 31), Commitment("LE01", Decimal(5), "per_period", "quarterly", ""))
    more = contract("K", date(2026, 4, 1), date(2027, 3, 31), Commitment("LE01", Decimal(3), "per_period", "quarterly", ""))
    (summary,) = claimed_each_quarter(jobs, [5, 6, 4, 7])
    assert (summary.combine, summary.committed_total, summary.claimed_to_date, summary.verified_to_date) == ("level", 5, 7, 7)
    (total,) = measure_totals([(jobs, [summary]), (more, claimed_each_quarter(more, [3, 3, 3, 2]))], CONTENT_LOADED)
    assert total.added_up and (total.all_years.committed, total.all_years.verified) == (8, 9)  # 5 + 3 FTE; 7 + 2


def test_every_year_of_a_level_is_each_contracts_latest_figure_as_its_page_shows_not_an_empty_latest_year():
    # Two years; only the first quarter reported, so the second year has no figures yet.
    jobs = contract("J", date(2025, 4, 1), date(2027, 3, 31), Commitment("LE01", Decimal(4), "per_period", "quarterly", ""))
    (summary,) = claimed_each_quarter(jobs, [3])
    (total,) = measure_totals([(jobs, [summary])], CONTENT_LOADED)
    every = total.all_years
    assert (every.committed, every.claimed, every.verified) == (4, summary.claimed_to_date, summary.verified_to_date) == (4, 3, 3)
    assert every.committed_to_date == summary.committed_to_date == 4
    assert dict(total.by_year)[2026].verified == 0  # nothing reported in 2026 to 2027: that year alone says so


def test_a_rate_is_never_added_across_contracts():
    paid = [
        contract(r, date(2026, 4, 1), date(2027, 3, 31), Commitment("LE12", Decimal(95), "per_period", "quarterly", ""))
        for r in ("P", "Q")
    ]
    (one,) = claimed_each_quarter(paid[0], [90, 96, 97, 99])
    assert (one.combine, one.committed_total, one.verified_to_date) == ("rate", 95, 99)  # not 380 and 382 %
    (alone,) = measure_totals([(paid[0], [one])], CONTENT_LOADED)
    assert alone.added_up and alone.all_years.verified == 99
    (both,) = measure_totals([(paid[0], [one]), (paid[1], claimed_each_quarter(paid[1], [80, 85, 90, 92]))], CONTENT_LOADED)
    assert not both.added_up  # the pages show each contract's rate, never 191 %
