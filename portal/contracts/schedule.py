"""The reporting schedule: the periods a contract's returns cover, when each is due, and where each stands.

Days are UK calendar days: the caller passes `today` from portal.clock.uk_today(), so the core needs no clock.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .model import FREQUENCIES

__all__ = [
    "MAX_YEARS",
    "STATUSES",
    "Period",
    "commitment_periods",
    "hidden_by_change",
    "period_status",
    "period_of",
    "periods",
    "reporting_periods",
]

STATUSES = {
    "not_yet_due": "Not yet due",
    "due": "Due",
    "overdue": "Overdue",
    "sent": "Sent",
    "queried": "Queried",
    "accepted": "Accepted",
    "rejected": "Rejected",
}
MAX_YEARS = 30  # a contract's longest term: 360 monthly periods at most


@dataclass(frozen=True)
class Period:
    frequency: str
    number: int  # 1 is the first
    start: date
    end: date
    due: date
    partial: bool  # the last period, cut short by the contract's end

    @property
    def id(self) -> str:
        """Stable and readable: the same dates give the same id, whichever commitment's schedule they come from."""
        return f"{self.start.isoformat()}--{self.end.isoformat()}"


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def periods(start: date, end: date, frequency: str, due_days: int) -> list[Period]:
    """Back-to-back periods from `start` to `end` inclusive; the last is partial when the contract ends mid-period.

    Each period is counted from the contract's start (not from the last period's end), so a contract starting
    on 31 January has periods ending 27/28 February, 30 April... not drifting earlier month by month.
    """
    if end < start or frequency not in FREQUENCIES or end > _add_months(start, 12 * MAX_YEARS):
        return []
    months = FREQUENCIES[frequency]
    if months is None:
        return [Period(frequency, 1, start, end, end + timedelta(days=due_days), False)]
    found = []
    while True:
        number = len(found) + 1
        period_start = _add_months(start, months * (number - 1))
        if period_start > end:
            break
        natural_end = _add_months(start, months * number) - timedelta(days=1)
        period_end = min(natural_end, end)
        found.append(
            Period(frequency, number, period_start, period_end, period_end + timedelta(days=due_days), period_end < natural_end)
        )
    return found


def period_status(period: Period, today: date, latest_return=None, latest_review=None) -> str:
    """Where a period stands on `today` (a UK day), a key of STATUSES.

    `latest_return` is the period's newest return version, if any; `latest_review` the officer's decision on
    that version, if any. A review of an older version no longer counts: a correction is waiting for review.
    """
    if latest_return is not None:
        if latest_review is not None and latest_review.version == latest_return.version:
            return latest_review.outcome
        return "sent"
    if today <= period.end:
        return "not_yet_due"
    return "due" if today <= period.due else "overdue"


def commitment_periods(contract, commitment, due_days: int) -> list[Period]:
    """The periods one commitment is reported in: the contract's dates at the commitment's frequency."""
    return periods(contract.start, contract.end, commitment.frequency, due_days)


def hidden_by_change(changed, sent: dict, due_days: int) -> list[tuple[str, str]]:
    """(measure code, period id) for each figure already sent ({period id: [Return]}) that the `changed` contract
    would no longer show: its commitment dropped, or its period gone from the commitment's schedule (another start
    date, end date or frequency). Figures a supplier sent are kept; a change must not hide them from the council's
    pages, the totals or the public report."""
    kept = {c.measure_code: {p.id for p in commitment_periods(changed, c, due_days)} for c in changed.commitments}
    hidden = {
        (line.measure_code, period_id)
        for period_id, versions in sent.items()
        for version in versions
        for line in version.lines
        if period_id not in kept.get(line.measure_code, ())
    }
    return sorted(hidden, key=lambda found: (found[1], found[0]))


def reporting_periods(contract, due_days: int) -> list[Period]:
    """Every period any commitment of `contract` is reported in, once each, in the order they end (shorter first)."""
    unique = {}
    for commitment in contract.commitments:
        for period in commitment_periods(contract, commitment, due_days):
            unique.setdefault(period.id, period)
    return sorted(unique.values(), key=lambda p: (p.end, -p.start.toordinal()))


def period_of(contract, period_id: str, due_days: int) -> Period | None:
    """The period of `contract`'s schedule with that id (from a URL or a form), or None if it has none."""
    return next((p for p in reporting_periods(contract, due_days) if p.id == period_id), None)
