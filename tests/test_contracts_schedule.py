"""The reporting schedule: back-to-back periods from the contract's dates, each due a set number of days after it ends."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.dates import uk_calendar_day
from portal.contracts.model import Commitment, Contract, Return, Review
from portal.contracts.schedule import period_status, periods, reporting_periods


def test_quarterly_periods_end_with_a_partial_one():
    found = periods(date(2026, 4, 1), date(2027, 1, 15), "quarterly", 30)
    assert [(p.start, p.end, p.partial) for p in found] == [
        (date(2026, 4, 1), date(2026, 6, 30), False),
        (date(2026, 7, 1), date(2026, 9, 30), False),
        (date(2026, 10, 1), date(2026, 12, 31), False),
        (date(2027, 1, 1), date(2027, 1, 15), True),
    ]
    assert found[0].due == date(2026, 7, 30) and found[-1].due == date(2027, 2, 14)
    assert [p.number for p in found] == [1, 2, 3, 4]


def test_periods_from_the_end_of_a_month_do_not_drift():
    found = periods(date(2026, 1, 31), date(2027, 1, 30), "monthly", 10)
    assert [p.end for p in found[:3]] == [date(2026, 2, 27), date(2026, 3, 30), date(2026, 4, 29)]
    assert found[-1].end == date(2027, 1, 30) and not found[-1].partial


@pytest.mark.parametrize(
    "frequency, count", [("monthly", 24), ("quarterly", 8), ("six-monthly", 4), ("annually", 2), ("end-of-contract", 1)]
)
def test_each_frequency_divides_a_two_year_contract(frequency, count):
    assert len(periods(date(2026, 4, 1), date(2028, 3, 31), frequency, 30)) == count


@given(
    st.dates(date(2000, 1, 1), date(2090, 12, 31)),
    st.integers(0, 3000),
    st.sampled_from(["monthly", "quarterly", "six-monthly", "annually", "end-of-contract"]),
    st.integers(1, 365),
)
def test_periods_cover_every_day_once(start, length, frequency, due_days):
    end = start + timedelta(days=length)
    found = periods(start, end, frequency, due_days)
    assert found[0].start == start and found[-1].end == end
    assert all(b.start == a.end + timedelta(days=1) for a, b in zip(found, found[1:]))
    assert all(p.due == p.end + timedelta(days=due_days) for p in found)
    assert not any(p.partial for p in found[:-1])


def test_an_end_before_the_start_or_beyond_thirty_years_has_no_periods():
    assert periods(date(2026, 4, 1), date(2026, 3, 31), "quarterly", 30) == []
    assert periods(date(2026, 4, 1), date(2056, 4, 2), "monthly", 30) == []
    assert len(periods(date(2026, 4, 1), date(2056, 4, 1), "monthly", 30)) == 361  # the last, one day long


FIRST = periods(date(2026, 4, 1), date(2027, 3, 31), "quarterly", 30)[0]  # 1 April to 30 June, due 30 July


@pytest.mark.parametrize(
    "today, status",
    [
        (date(2026, 6, 30), "not_yet_due"),  # the period's last day
        (date(2026, 7, 1), "due"),
        (date(2026, 7, 30), "due"),  # the due date itself
        (date(2026, 7, 31), "overdue"),
    ],
)
def test_a_period_without_a_return_is_not_yet_due_then_due_then_overdue(today, status):
    assert period_status(FIRST, today) == status


@pytest.mark.parametrize(
    "moment, status",
    [
        ("2026-06-30T22:59:59+00:00", "not_yet_due"),  # 11:59pm on 30 June in the UK (BST)
        ("2026-06-30T23:00:00+00:00", "due"),  # already 1 July in the UK, though still 30 June in UTC
        ("2026-07-30T22:59:59+00:00", "due"),
        ("2026-07-30T23:00:00+00:00", "overdue"),
    ],
)
def test_status_turns_at_midnight_in_the_uk_not_in_utc(moment, status):
    assert period_status(FIRST, uk_calendar_day(moment)) == status


def test_a_sent_return_waits_for_review_and_a_correction_waits_again():
    sent = Return(FIRST.id, (), "Ann Smith", "Director", version=1)
    assert period_status(FIRST, date(2026, 9, 1), sent) == "sent"
    queried = Review(FIRST.id, 1, "queried", "Which postcode districts?")
    assert period_status(FIRST, date(2026, 9, 1), sent, queried) == "queried"
    corrected = Return(FIRST.id, (), "Ann Smith", "Director", version=2, correction_reason="Added districts")
    assert period_status(FIRST, date(2026, 9, 1), corrected, queried) == "sent"
    assert period_status(FIRST, date(2026, 9, 1), corrected, Review(FIRST.id, 2, "accepted", "")) == "accepted"


def test_a_contract_reports_each_period_of_each_frequency_once():
    commitment = lambda code, frequency: Commitment(code, Decimal(1), "per_period", frequency, "note")  # noqa: E731
    contract = Contract(
        "Title",
        "REF",
        "Supplier",
        Decimal(1000),
        date(2026, 4, 1),
        date(2027, 3, 31),
        "o@example.com",
        ("s@example.com",),
        (commitment("LE01", "quarterly"), commitment("WB06", "quarterly"), commitment("GP01", "annually")),
    )
    found = reporting_periods(contract, 30)
    assert [(p.frequency, p.end) for p in found] == [
        ("quarterly", date(2026, 6, 30)),
        ("quarterly", date(2026, 9, 30)),
        ("quarterly", date(2026, 12, 31)),
        ("quarterly", date(2027, 3, 31)),
        ("annually", date(2027, 3, 31)),
    ]
    assert len({p.id for p in found}) == 5
