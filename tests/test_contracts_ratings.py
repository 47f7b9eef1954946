"""KPI ratings for a Contract Performance Notice: at, above and below every band's threshold, over settled periods."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.content.contract_settings import RatingThresholds
from portal.contracts import (
    BANDS,
    Commitment,
    CommitmentSummary,
    Contract,
    Override,
    PeriodFigures,
    Return,
    ReturnLine,
    Review,
    effective_rating,
    rate_commitment,
    rate_contract,
    read_override,
    summarise,
)
from portal.contracts.schedule import periods

from .conftest import CONTENT

THRESHOLDS = load_content(CONTENT).contracts.ratings
QUARTERS = periods(date(2026, 4, 1), date(2027, 3, 31), "quarterly", 30)


def summary(*figures, code="LE01"):
    """A summary whose periods have these (committed, verified, status) figures."""
    rows = tuple(
        PeriodFigures(QUARTERS[i], Decimal(c), None if v is None else Decimal(v), None if v is None else Decimal(v), s)
        for i, (c, v, s) in enumerate(figures)
    )
    commitment = Commitment(code, Decimal(10), "per_period", "quarterly", "")
    total = sum((r.committed for r in rows), Decimal(0))
    return CommitmentSummary(commitment, "Hours", rows, total, total, Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    "verified, band",
    [
        ("10.01", "good"),
        ("10", "good"),
        ("9.99", "approaching_target"),
        ("9", "approaching_target"),
        ("8.99", "requires_improvement"),
        ("7", "requires_improvement"),
        ("6.99", "inadequate"),
        ("0", "inadequate"),
    ],
)
def test_each_band_starts_exactly_at_its_threshold(verified, band):
    rating = rate_commitment(summary((10, verified, "accepted")), THRESHOLDS)
    assert rating.band == band
    assert rating.ratio == Decimal(verified) / 10


def test_the_reason_says_what_was_counted_and_what_was_not():
    rating = rate_commitment(
        summary((10, 4, "accepted"), (10, None, "overdue"), (10, None, "sent"), (10, None, "not_yet_due")), THRESHOLDS
    )
    assert rating.band == "inadequate"
    assert rating.reason == (
        "4 verified of 20 committed (20%) over 2 settled periods. 1 return awaiting review is not counted yet."
    )


def test_a_rejected_return_counts_as_nothing_verified():
    assert rate_commitment(summary((10, 10, "accepted"), (10, None, "rejected")), THRESHOLDS).band == "inadequate"


@pytest.mark.parametrize("statuses", [(), ("not_yet_due",), ("due",), ("sent", "queried")])
def test_nothing_settled_is_rated_other(statuses):
    rating = rate_commitment(summary(*[(10, None, s) for s in statuses]), THRESHOLDS)
    assert rating.band == "other" and rating.ratio is None
    assert rating.reason.startswith("No return is settled yet")


def test_nothing_committed_for_the_settled_periods_is_rated_other():
    rating = rate_commitment(summary((0, 3, "accepted"), (10, None, "not_yet_due")), THRESHOLDS)
    assert (rating.band, rating.reason) == ("other", "Nothing was committed for the periods settled so far.")


thresholds_strategy = st.lists(st.decimals(min_value="0.01", max_value="3", places=2), min_size=3, max_size=3, unique=True).map(
    lambda t: RatingThresholds(*sorted(t, reverse=True))
)
amounts = st.decimals(min_value="0.01", max_value=10**9, places=2)


def oracle(verified, committed, thresholds):
    ratio = Fraction(verified) / Fraction(committed)
    for band in ("good", "approaching_target", "requires_improvement"):
        if ratio >= Fraction(getattr(thresholds, band)):
            return band
    return "inadequate"


@settings(max_examples=300, deadline=None)
@given(thresholds_strategy, amounts, st.decimals(min_value=0, max_value=10**10, places=2))
def test_any_figures_get_the_band_their_exact_ratio_falls_in(thresholds, committed, verified):
    rating = rate_commitment(summary((committed, verified, "accepted")), thresholds)
    assert rating.band == oracle(verified, committed, thresholds)


@settings(max_examples=300, deadline=None)
@given(thresholds_strategy, amounts, st.sampled_from(["good", "approaching_target", "requires_improvement"]))
def test_at_a_threshold_is_that_band_and_a_hundredth_below_is_the_next(thresholds, committed, band):
    on_threshold = getattr(thresholds, band) * committed  # exact: Decimal multiplication of short numbers
    below = list(BANDS)[list(BANDS).index(band) + 1]
    assert rate_commitment(summary((committed, on_threshold, "accepted")), thresholds).band == band
    just_below = rate_commitment(summary((committed, on_threshold - Decimal("0.0001"), "accepted")), thresholds)
    assert just_below.band in list(BANDS)[list(BANDS).index(below) : -1]


def test_a_contract_is_rated_by_its_worst_kpi():
    good, weak = summary((10, 10, "accepted"), code="LE01"), summary((10, 8, "accepted"), code="WB06")
    unrated = summary((10, None, "not_yet_due"), code="GP01")
    rating = rate_contract([good, weak, unrated], THRESHOLDS)
    assert rating.band == "requires_improvement" and rating.ratio is None
    assert rating.reason == "The lowest rating of its 3 KPIs: WB06 is requires improvement."
    assert rate_contract([unrated], THRESHOLDS).band == "other"
    assert rate_contract([], THRESHOLDS).band == "other"


def test_an_officers_override_holds_while_the_figures_give_the_band_they_saw():
    weak = summary((10, 8, "accepted"), code="WB06")
    computed = rate_commitment(weak, THRESHOLDS)
    override, errors = read_override({"band": "approaching_target", "reason": "Two hires start in April"}, computed)
    assert errors == {} and override == Override("approaching_target", "Two hires start in April", "requires_improvement")
    shown = effective_rating(computed, override)
    assert (shown.band, shown.calculated, shown.reason) == (
        "approaching_target",
        "requires_improvement",
        "Set by an officer: Two hires start in April",
    )
    assert rate_contract([weak], THRESHOLDS, {"WB06": override}).band == "approaching_target"
    worse = rate_commitment(summary((10, 8, "accepted"), (10, None, "overdue"), code="WB06"), THRESHOLDS)
    assert effective_rating(worse, override) == worse  # the figures changed: the officer must look again
    assert effective_rating(computed, None) == computed


@pytest.mark.parametrize(
    "form, errors",
    [
        ({}, {"band": "Select a rating", "reason": "Enter why you are changing the rating"}),
        ({"band": "excellent", "reason": "x"}, {"band": "Select a rating"}),
        ({"band": "good", "reason": "x" * 1001}, {"reason": "Reason must be 1,000 characters or fewer"}),
        (
            {"band": ["good", "other"], "reason": b"bytes"},
            {"band": "Select a rating", "reason": "Enter why you are changing the rating"},
        ),
    ],
)
def test_an_override_without_a_band_or_reason_is_refused(form, errors):
    computed = rate_commitment(summary((10, 10, "accepted")), THRESHOLDS)
    assert read_override(form, computed) == (None, errors)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["band", "reason", "other"]), st.one_of(st.text(), st.binary(), st.none())))
def test_any_posted_override_gives_a_value_or_messages(form):
    override, errors = read_override(form, rate_commitment(summary((10, 10, "accepted")), THRESHOLDS))
    assert (override is None) != (errors == {})


def test_a_rating_from_real_records_counts_only_accepted_and_overdue_periods():
    contract = Contract(
        "Cleaning",
        "EXC-1",
        "Clean Ltd",
        Decimal(100),
        date(2026, 4, 1),
        date(2027, 3, 31),
        "officer@exampleshire.gov.uk",
        ("ann@clean.example",),
        (Commitment("WB06", Decimal(100), "per_period", "quarterly", "Volunteering"),),
    )
    q1, q2, q3, _ = QUARTERS
    returns = [
        Return(q1.id, (ReturnLine("WB06", Decimal(100), "log", ""),), "Ann", "Director"),
        Return(q3.id, (ReturnLine("WB06", Decimal(100), "log", ""),), "Ann", "Director"),
    ]
    reviews = [Review(q1.id, 1, "accepted", "", {"WB06": Decimal(95)})]
    (wb06,) = summarise(contract, returns, reviews, load_content(CONTENT), today=date(2027, 2, 1))
    rating = rate_commitment(wb06, THRESHOLDS)  # Q1 accepted at 95, Q2 overdue, Q3 sent, Q4 not yet ended
    assert (rating.band, rating.ratio) == ("inadequate", Decimal("0.475"))
