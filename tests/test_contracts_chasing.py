"""Chasing returns with a moved clock: each reminder is sent once, on the right day, to the right people."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.contracts import Commitment, Contract, chasing_plan
from portal.contracts.schedule import reporting_periods

from .conftest import CONTENT

SETTINGS = load_content(CONTENT).contracts.chasing  # 14 days before, on the day, weekly, manager after 14 days
CONTACTS = ("ann@roadworks.example", "bob@roadworks.example")
MANAGER = "officer@exampleshire.gov.uk"
CONTRACT = Contract(
    "Highways",
    "EXC-1",
    "Roadworks Ltd",
    Decimal(1000),
    date(2026, 4, 1),
    date(2027, 3, 31),
    MANAGER,
    CONTACTS,
    (Commitment("LE01", Decimal(2), "per_period", "quarterly", ""),),
)
Q1 = reporting_periods(CONTRACT, 30)[0]  # 1 April to 30 June 2026, due 30 July 2026


def run_daily(first: date, last: date, sent_on=None, chasing=SETTINGS, runs_a_day=2, skip=()):
    """A sender run every day (twice, as a retry or a second machine might): write-once markers keyed by the
    reminder's key, as the real sender keeps them. Returns [(day, kind, recipients)] actually sent."""
    markers, emails, day = set(), [], first
    while day <= last:
        sent = {Q1.id} if sent_on and day >= sent_on else set()
        for _ in range(0 if day in skip else runs_a_day):
            for reminder in chasing_plan(CONTRACT, "c0ffee", sent, chasing, 30, day):
                if reminder.period.id == Q1.id and reminder.key not in markers:
                    markers.add(reminder.key)
                    emails.append((day, reminder.kind, reminder.recipients))
        day += timedelta(days=1)
    return emails


def test_every_reminder_and_the_escalation_go_once_on_their_day_to_the_right_people():
    emails = run_daily(date(2026, 6, 1), date(2026, 9, 1))
    assert emails == [
        (date(2026, 7, 16), "due_soon", CONTACTS),
        (date(2026, 7, 30), "due_today", CONTACTS),
        (date(2026, 7, 31), "overdue", CONTACTS),
        (date(2026, 8, 7), "overdue", CONTACTS),
        (date(2026, 8, 13), "escalate", (MANAGER,)),
        (date(2026, 8, 14), "overdue", CONTACTS),
        (date(2026, 8, 21), "overdue", CONTACTS),
        (date(2026, 8, 28), "overdue", CONTACTS),
    ]


def test_a_sent_return_stops_the_chasing():
    emails = run_daily(date(2026, 6, 1), date(2026, 9, 1), sent_on=date(2026, 8, 1))
    assert [kind for _, kind, _ in emails] == ["due_soon", "due_today", "overdue"]


def test_a_missed_day_is_caught_up_once_but_due_today_is_never_sent_late():
    emails = run_daily(
        date(2026, 6, 1), date(2026, 8, 20), skip={date(2026, 7, 16), date(2026, 7, 30), date(2026, 8, 7), date(2026, 8, 13)}
    )
    assert emails == [
        (date(2026, 7, 17), "due_soon", CONTACTS),
        (date(2026, 7, 31), "overdue", CONTACTS),
        (date(2026, 8, 8), "overdue", CONTACTS),
        (date(2026, 8, 14), "overdue", CONTACTS),
        (date(2026, 8, 14), "escalate", (MANAGER,)),
    ]


def test_settings_in_content_move_and_switch_off_each_kind():
    quieter = replace(
        SETTINGS,
        first_reminder_days_before_due=3,
        on_the_day=False,
        weekly_while_overdue=False,
        tell_contract_manager_after_days_overdue=1,
    )
    assert run_daily(date(2026, 6, 1), date(2026, 9, 1), chasing=quieter) == [
        (date(2026, 7, 27), "due_soon", CONTACTS),
        (date(2026, 7, 31), "escalate", (MANAGER,)),
    ]


def test_nothing_is_chased_before_the_period_ends_or_for_a_contract_without_contacts():
    assert chasing_plan(CONTRACT, "c0ffee", set(), SETTINGS, 30, Q1.end) == []
    early = replace(SETTINGS, first_reminder_days_before_due=60)
    assert [(r.kind, r.key) for r in chasing_plan(CONTRACT, "c0ffee", set(), early, 30, Q1.end + timedelta(days=1))] == [
        ("due_soon", "c0ffee/2026-04-01--2026-06-30/due_soon")
    ]
    silent = replace(CONTRACT, supplier_contacts=())
    assert [r.kind for r in chasing_plan(silent, "c0ffee", set(), SETTINGS, 30, Q1.due + timedelta(days=20))] == ["escalate"]


def test_each_period_of_a_contract_is_chased_on_its_own_key():
    plan = chasing_plan(CONTRACT, "c0ffee", set(), SETTINGS, 30, date(2027, 6, 1))  # every quarter overdue
    assert [r.key for r in plan if r.kind == "escalate"] == [f"c0ffee/{p.id}/escalate" for p in reporting_periods(CONTRACT, 30)]
    assert len({r.key for r in plan}) == len(plan)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 90), st.booleans(), st.booleans(), st.integers(1, 365), st.integers(1, 120))
def test_any_settings_send_each_reminder_at_most_once_and_never_before_its_day(before, on_day, weekly, tell, due_days):
    chasing = replace(
        SETTINGS,
        first_reminder_days_before_due=before,
        on_the_day=on_day,
        weekly_while_overdue=weekly,
        tell_contract_manager_after_days_overdue=tell,
    )
    markers, day = {}, Q1.end - timedelta(days=5)
    while day <= Q1.end + timedelta(days=due_days + 400):
        for reminder in chasing_plan(CONTRACT, "c", set(), chasing, due_days, day):
            if reminder.period.id == Q1.id:
                markers.setdefault(reminder.key, (day, reminder))
        day += timedelta(days=1)
    due = Q1.end + timedelta(days=due_days)
    for first, reminder in markers.values():
        assert first > Q1.end
        assert reminder.recipients == ((MANAGER,) if reminder.kind == "escalate" else CONTACTS)
        if reminder.kind == "due_soon":
            assert first == max(due - timedelta(days=before), Q1.end + timedelta(days=1)) and first < due
        elif reminder.kind == "due_today":
            assert first == due and on_day
        elif reminder.kind == "overdue":
            assert weekly and (first - due).days % 7 == 1
        else:
            assert first == due + timedelta(days=tell)
    assert any(r.kind == "escalate" for _, r in markers.values())
