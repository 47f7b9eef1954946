"""Chasing returns: which reminder emails are due on a UK day for a contract, each with an idempotency key.

Pure: the sender asks for the plan, and for each reminder writes a write-once marker keyed by `key` before it
posts the email to the outbox, so running twice (or on two machines) sends each reminder once. A reminder
waits for its day but is not lost if a day's run is missed: "due soon" goes on any day from its first day until
the due day, each week's "overdue" on any day of that week, the escalation on any day once it is due. "Due
today" goes on the due day only (a day late it would be untrue; that day's "overdue" says it instead).
Settings are content/contracts.yaml's `chasing:` block; `today` is portal.clock.uk_today().
"""

from dataclasses import dataclass
from datetime import date

from .schedule import Period, reporting_periods

__all__ = ["KINDS", "Reminder", "chasing_plan"]

# The kinds of reminder, in the order a period meets them, with the words an officer sees for each.
KINDS = {
    "due_soon": "Return due soon",
    "due_today": "Return due today",
    "overdue": "Return overdue",
    "escalate": "Overdue return: contract manager told",
}


@dataclass(frozen=True)
class Reminder:
    kind: str  # a key of KINDS
    period: Period  # the return's period: its id, dates and due day
    recipients: tuple[str, ...]  # the supplier's contacts; for "escalate", the contract manager
    key: str  # unique per contract, period and reminder: "<contract_id>/<period id>/<kind>[-<week>]"
    days_overdue: int  # 0 until the due day has passed


def chasing_plan(contract, contract_id: str, sent, settings, due_days: int, today: date) -> list[Reminder]:
    """The reminders due on `today` for `contract` (stored as `contract_id`). `sent` holds the ids of the
    periods that have a return sent (any version, as the storage's {period_id: versions} gives); those, and
    periods not yet ended, are not chased. Earliest due first."""
    plan = []
    contacts = tuple(contract.supplier_contacts)
    for period in reporting_periods(contract, due_days):
        if period.id in sent or today <= period.end:
            continue
        days_overdue = (today - period.due).days
        base = f"{contract_id}/{period.id}"
        if contacts and -settings.first_reminder_days_before_due <= days_overdue < 0:
            plan.append(Reminder("due_soon", period, contacts, f"{base}/due_soon", 0))
        if contacts and days_overdue == 0 and settings.on_the_day:
            plan.append(Reminder("due_today", period, contacts, f"{base}/due_today", 0))
        if contacts and days_overdue > 0 and settings.weekly_while_overdue:
            week = (days_overdue - 1) // 7 + 1  # the day after the due day starts week 1
            plan.append(Reminder("overdue", period, contacts, f"{base}/overdue-{week}", days_overdue))
        if days_overdue >= settings.tell_contract_manager_after_days_overdue:
            plan.append(Reminder("escalate", period, (contract.contract_manager,), f"{base}/escalate", days_overdue))
    return plan
