"""What a contract has delivered against what it committed, per commitment, never across units: figures over
periods combine as the measure says (combining.py: counts add; levels and rates take the latest period).

Figures come from the latest version of each period's return (claimed) and the officer's decision on that
version (verified, only when accepted). The caller keeps these summaries when records are written (decision 14).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..dates import uk_date
from ..questionnaire.numbers import write_number
from .combining import combine_of, over_time
from .model import Commitment, Contract
from .schedule import Period, commitment_periods, period_status

__all__ = ["CommitmentSummary", "PeriodFigures", "summarise", "table_rows"]


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    committed: Decimal
    claimed: Decimal | None  # None: no return sent for the period
    verified: Decimal | None  # None: not accepted (yet)
    status: str  # a key of schedule.STATUSES


@dataclass(frozen=True)
class CommitmentSummary:
    commitment: Commitment
    unit: str  # the measure's; every figure below is in it
    periods: tuple[PeriodFigures, ...]
    committed_total: Decimal  # over the whole contract
    committed_to_date: Decimal  # for the periods that have ended
    claimed_to_date: Decimal
    verified_to_date: Decimal
    combine: str = "add"  # how its figures combine (combining.py): each total above was made this way


def _latest(returns) -> dict:
    latest = {}
    for sent in returns:
        if sent.period_id not in latest or sent.version > latest[sent.period_id].version:
            latest[sent.period_id] = sent
    return latest


def summarise(contract: Contract, returns, reviews, content, today: date) -> list[CommitmentSummary]:
    """One summary per commitment. `returns`: every version sent; `reviews`: every review, in the order made
    (the last decision on a version stands); `today`: the UK day, from portal.clock.uk_today()."""
    latest = _latest(returns)
    decisions = {(r.period_id, r.version): r for r in reviews}
    due_days = content.contracts.return_due_days
    summaries = []
    for commitment in contract.commitments:
        measure = content.measure(commitment.measure_code.lower())
        figures = []
        for period in commitment_periods(contract, commitment, due_days):
            sent = latest.get(period.id)
            review = decisions.get((period.id, sent.version)) if sent else None
            line = sent.line(commitment.measure_code) if sent else None
            verified = None
            if review is not None and review.outcome == "accepted" and line is not None:
                verified = review.verified.get(commitment.measure_code, line.quantity)
            figures.append(
                PeriodFigures(
                    period,
                    commitment.committed_in(period.number),
                    line.quantity if line else None,
                    verified,
                    period_status(period, today, sent, review),
                )
            )
        how = combine_of(measure)
        summaries.append(
            CommitmentSummary(
                commitment=commitment,
                unit=measure.unit if measure else "",
                periods=tuple(figures),
                committed_total=over_time([f.committed for f in figures], how),
                committed_to_date=over_time([f.committed for f in figures if f.period.end < today], how),
                claimed_to_date=over_time([f.claimed for f in figures], how),
                verified_to_date=over_time([f.verified for f in figures], how),
                combine=how,
            )
        )
    return summaries


def table_rows(summary: CommitmentSummary) -> list[dict]:
    """The chart's figures as text, one row a period, for the table that is its text alternative."""
    return [
        {
            "period": f"{uk_date(f.period.start)} to {uk_date(f.period.end)}",
            "committed": write_number(f.committed),
            "claimed": "Not sent" if f.claimed is None else write_number(f.claimed),
            "verified": "Not verified" if f.verified is None else write_number(f.verified),
            "status": f.status,
        }
        for f in summary.periods
    ]
