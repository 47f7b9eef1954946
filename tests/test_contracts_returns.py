"""A supplier's return for a period, and an officer's review of it: clean records or a GOV.UK message per field."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.contracts.model import Commitment, Contract, ReturnLine
from portal.contracts.returns import commitments_due, read_return, read_review
from portal.contracts.schedule import reporting_periods

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
        Commitment("LE01", Decimal("4.5"), "per_period", "quarterly", "Local hires"),
        Commitment("WB01", Decimal(30), "per_period", "quarterly", "Real Living Wage"),
        Commitment("GP01", Decimal(12), "whole_contract", "annually", "Electric vans", (Decimal(12),)),
    ),
)
PERIODS = reporting_periods(CONTRACT, 30)
FIRST_QUARTER, YEAR = PERIODS[0], PERIODS[-1]


def good_form(**changes):
    form = {
        "lines-LE01-quantity": "5.25",
        "lines-LE01-method": "Contracted hours over 37.5",
        "lines-LE01-postcode_districts": "ex1, EX4 ex4",
        "lines-LE01-attributable": "yes",
        "lines-LE01-narrative": "Two apprentices from Exeter College.",
        "lines-WB01-quantity": "31",
        "lines-WB01-method": "Payroll",
        "lines-WB01-attributable": "yes",
        "declared_by_name": "Ann Smith",
        "declared_by_role": "Operations director",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_quarter_asks_only_for_the_quarterly_commitments():
    assert [c.measure_code for c in commitments_due(CONTRACT, FIRST_QUARTER, 30)] == ["LE01", "WB01"]
    assert [c.measure_code for c in commitments_due(CONTRACT, YEAR, 30)] == ["GP01"]


def test_a_complete_return_is_read():
    sent, errors = read_return(good_form(), CONTRACT, FIRST_QUARTER, CONTENT_LOADED)
    assert errors == {}
    le01 = sent.line("LE01")
    assert le01.quantity == Decimal("5.25") and le01.postcode_districts == ("EX1", "EX4")
    assert sent.line("WB01").postcode_districts == () and sent.period_id == FIRST_QUARTER.id and sent.version == 1


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"lines-LE01-quantity": ""}, "lines-LE01-quantity", "Enter the quantity delivered for LE01"),
        (
            {"lines-LE01-quantity": "5000"},
            "lines-LE01-quantity",
            "Quantity delivered for LE01 must be between 0 and 1,000, in full-time equivalent (FTE) jobs; check the figure is for this period only",
        ),
        (
            {"lines-LE01-quantity": "-1"},
            "lines-LE01-quantity",
            "Quantity delivered for LE01 must be between 0 and 1,000, in full-time equivalent (FTE) jobs; check the figure is for this period only",
        ),
        ({"lines-WB01-quantity": "30.5"}, "lines-WB01-quantity", "Quantity delivered for WB01 must be a whole number, like 12"),
        ({"lines-LE01-method": ""}, "lines-LE01-method", "Enter how you worked out the figure for LE01"),
        (
            {"lines-LE01-postcode_districts": ""},
            "lines-LE01-postcode_districts",
            "Enter the postcode districts where LE01 was delivered, like EX1, EX4",
        ),
        (
            {"lines-LE01-postcode_districts": "EX4 4QJ"},
            "lines-LE01-postcode_districts",
            "Enter postcode districts only, like EX4, not full postcodes",
        ),
        (
            {"lines-LE01-postcode_districts": "EX1, 4EX"},
            "lines-LE01-postcode_districts",
            "Enter postcode districts in the correct format, like EX1, EX4: '4EX' is not a district",
        ),
        (
            {"lines-LE01-postcode_districts": "ex 4; EX99"},  # "ex 4" read as EX4, so the message is about EX99
            "lines-LE01-postcode_districts",
            "EX99 is not in Exampleshire: enter only postcode districts in Exampleshire",
        ),
        (
            {"lines-LE01-postcode_districts": "EX1, PL4"},
            "lines-LE01-postcode_districts",
            "PL4 is not in Exampleshire: enter only postcode districts in Exampleshire",
        ),
        (
            {"lines-LE01-attributable": None},
            "lines-LE01-attributable",
            "Confirm that the figure for LE01 counts for this contract and period only",
        ),
        ({"lines-LE01-narrative": "x" * 1501}, "lines-LE01-narrative", "What you did for LE01 must be 1,500 characters or fewer"),
        ({"declared_by_name": ""}, "declared_by_name", "Enter the name of the person making the declaration"),
        ({"declared_by_role": ""}, "declared_by_role", "Enter their role"),
    ],
)
def test_each_mistake_in_a_return_gets_its_own_message(changes, field, message):
    sent, errors = read_return(good_form(**changes), CONTRACT, FIRST_QUARTER, CONTENT_LOADED)
    assert sent is None and errors[field] == message


def test_nothing_delivered_in_a_local_measure_needs_no_districts():
    sent, errors = read_return(
        good_form(**{"lines-LE01-quantity": "0", "lines-LE01-postcode_districts": ""}), CONTRACT, FIRST_QUARTER, CONTENT_LOADED
    )
    assert errors == {} and sent.line("LE01").postcode_districts == ()


def test_a_commitment_whose_measure_has_left_the_content_is_named():
    vanished = replace(
        CONTRACT, commitments=(Commitment("ZZ01", Decimal(1), "per_period", "quarterly", "Gone"),) + CONTRACT.commitments
    )
    _, errors = read_return(good_form(), vanished, FIRST_QUARTER, CONTENT_LOADED)
    assert errors == {"lines-ZZ01-quantity": "ZZ01 is no longer a measure in the framework: ask the council to vary the contract"}
    old = replace(SENT, lines=SENT.lines + (ReturnLine("ZZ01", Decimal(2), "m", ""),))
    review, errors = read_review({"outcome": "accepted"}, old, CONTENT_LOADED)
    assert errors == {} and review.verified["ZZ01"] == Decimal(2)
    _, errors = read_review({"outcome": "accepted", "verified-ZZ01": "1"}, old, CONTENT_LOADED)
    assert errors == {"verified-ZZ01": "ZZ01 is no longer a measure in the framework, so its figure cannot be changed"}


def test_a_correction_needs_its_reason():
    _, errors = read_return(good_form(), CONTRACT, FIRST_QUARTER, CONTENT_LOADED, version=2)
    assert errors == {"correction_reason": "Enter why you are correcting this return"}
    sent, _ = read_return(good_form(correction_reason="Added EX4"), CONTRACT, FIRST_QUARTER, CONTENT_LOADED, version=2)
    assert sent.version == 2 and sent.correction_reason == "Added EX4"


SENT, _ = read_return(good_form(), CONTRACT, FIRST_QUARTER, CONTENT_LOADED)


def test_accepting_without_figures_verifies_what_was_claimed():
    review, errors = read_review({"outcome": "accepted"}, SENT, CONTENT_LOADED)
    assert errors == {} and review.verified == {"LE01": Decimal("5.25"), "WB01": Decimal(31)} and review.version == 1


def test_a_verified_figure_that_differs_needs_a_reason():
    _, errors = read_review({"outcome": "accepted", "verified-LE01": "4"}, SENT, CONTENT_LOADED)
    assert errors == {"verified-LE01-reason": "Enter why the verified quantity for LE01 differs from the 5.25 claimed"}
    review, errors = read_review(
        {"outcome": "accepted", "verified-LE01": "4", "verified-LE01-reason": "One left in May"}, SENT, CONTENT_LOADED
    )
    assert review.verified["LE01"] == Decimal(4) and review.verified_reasons == {"LE01": "One left in May"}


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({}, "outcome", "Select whether you accept, query or reject this return"),
        ({"outcome": "queried"}, "note", "Enter a note saying what the supplier needs to do"),
        ({"outcome": "rejected"}, "note", "Enter a note saying why you rejected the return"),
        (
            {"outcome": "accepted", "verified-WB01": "1.5"},
            "verified-WB01",
            "Verified quantity for WB01 must be a whole number, like 12",
        ),
    ],
)
def test_each_mistake_in_a_review_gets_its_own_message(form, field, message):
    review, errors = read_review(form, SENT, CONTENT_LOADED)
    assert review is None and errors[field] == message


def test_a_query_keeps_no_verified_figures():
    review, errors = read_review({"outcome": "queried", "note": "Which districts?", "verified-LE01": "1"}, SENT, CONTENT_LOADED)
    assert errors == {} and review.verified == {}


hostile = st.one_of(
    st.none(),
    st.text(),
    st.binary(),
    st.integers(),
    st.floats(),
    st.lists(st.text(), max_size=2),
    st.just("9" * 50_000),
    st.sampled_from(["yes", "accepted", "queried", "EX1", "EX4 4QJ", "0", "1e3", "NaN"]),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list(good_form()) + ["correction_reason", "junk"]), hostile, max_size=10))
def test_any_posted_return_gives_a_return_or_messages(changes):
    sent, errors = read_return(good_form(**changes), CONTRACT, FIRST_QUARTER, CONTENT_LOADED, version=2)
    assert (sent is None) == bool(errors) and all(isinstance(m, str) and m for m in errors.values())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["outcome", "note", "verified-LE01", "verified-LE01-reason", "verified-WB01"]), hostile))
def test_any_posted_review_gives_a_review_or_messages(form):
    review, errors = read_review({"outcome": "accepted", **form}, SENT, CONTENT_LOADED)
    assert (review is None) == bool(errors)
