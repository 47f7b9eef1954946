"""Committed, claimed and verified across contracts: per measure, in its own unit, by UK financial year.

Nothing here adds different units (decision 16): a total belongs to one measure *and* one unit, so a measure
whose unit was reworded in content since some summaries were kept shows as two totals rather than one wrong
one. Outcomes and priorities group measures; they never sum them. A period is attributed to the financial year
(1 April to 31 March) its end date falls in, so a period spanning two years counts once, in the later.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .combining import adds_across_contracts, over_time

__all__ = [
    "Figures",
    "MeasureTotal",
    "OutcomeTotals",
    "PriorityTotals",
    "by_priority",
    "financial_year",
    "financial_year_label",
    "measure_totals",
    "money_value",
]

ZERO = Decimal(0)


def financial_year(day: date) -> int:
    """The UK financial year `day` falls in, named by the calendar year it starts in (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """GOV.UK style: "2026 to 2027"."""
    return f"{start_year} to {start_year + 1}"


@dataclass(frozen=True)
class Figures:
    committed: Decimal = ZERO  # every period, including those still to come
    committed_to_date: Decimal = ZERO  # the periods that have ended
    claimed: Decimal = ZERO
    verified: Decimal = ZERO

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.committed + other.committed,
            self.committed_to_date + other.committed_to_date,
            self.claimed + other.claimed,
            self.verified + other.verified,
        )


@dataclass(frozen=True)
class MeasureTotal:
    code: str
    title: str  # the measure's title in content; its code when content no longer has it
    unit: str  # every figure is in it
    priority: str | None  # ids from content; None when content no longer has the measure
    outcome: str | None
    all_years: Figures
    by_year: tuple[tuple[int, Figures], ...]  # (financial year's start year, figures), earliest first
    contracts: int  # how many contracts commit to it
    proxy: object = None  # content's MoneyProxy, only where declared for this measure in this unit
    combine: str = "add"  # combining.py: a level is each contract's latest figure, added across contracts
    added_up: bool = True  # False for a rate across more than one contract: show each contract's, never a sum

    def money(self, quantity: Decimal) -> Decimal | None:
        """The proxy's pounds for `quantity` of this measure, to show beside it with `proxy.source`; else None."""
        return money_value(self.proxy, quantity)


def money_value(proxy, quantity: Decimal) -> Decimal | None:
    """Pounds for `quantity` at a content-declared MoneyProxy, to the penny; None without a proxy."""
    return None if proxy is None else (quantity * proxy.pounds_per_unit).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class OutcomeTotals:
    outcome: object  # content's Outcome
    measures: tuple[MeasureTotal, ...]


@dataclass(frozen=True)
class PriorityTotals:
    priority: object  # content's Priority
    outcomes: tuple[OutcomeTotals, ...]


def _contract_year(periods, how: str) -> Figures:
    """One contract's figures for one measure in one financial year, its periods combined as the measure says."""
    return Figures(
        over_time([f.committed for f in periods], how),
        over_time([f.committed for f in periods if f.status != "not_yet_due"], how),
        over_time([f.claimed for f in periods], how),
        over_time([f.verified for f in periods], how),
    )


def measure_totals(contracts, content) -> list[MeasureTotal]:
    """Totals across `contracts`, pairs of (contract, its CommitmentSummaries): one per measure and unit that
    any contract commits to, in content's order of measures (any no longer in content last, by code)."""
    years: dict[tuple[str, str], dict[int, Figures]] = {}
    overall: dict[tuple[str, str], Figures] = {}  # each contract's periods combined as the measure says, then added
    counts: dict[tuple[str, str], int] = {}
    hows: dict[tuple[str, str], str] = {}
    for _, summaries in contracts:
        for summary in summaries:
            key = (summary.commitment.measure_code, summary.unit)
            counts[key] = counts.get(key, 0) + 1
            how = hows[key] = getattr(summary, "combine", "add")
            in_year: dict[int, list] = {}
            for figures in summary.periods:  # oldest first
                in_year.setdefault(financial_year(figures.period.end), []).append(figures)
            by_year = years.setdefault(key, {})
            for year, periods in in_year.items():
                by_year[year] = by_year.get(year, Figures()) + _contract_year(periods, how)
            overall[key] = overall.get(key, Figures()) + _contract_year(summary.periods, how)
    order = {m.code: index for index, m in enumerate(content.measures)}
    totals = []
    for (code, unit), by_year in sorted(years.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0])):
        measure = content.measure(code.lower())
        proxy = content.contracts.money_proxies.get(code) if measure is not None and measure.unit == unit else None
        how = hows[(code, unit)]
        ordered = tuple(sorted(by_year.items()))
        # Over all years a level or a rate is each contract's latest figure (a period with none does not count), as on
        # the contract's page, not the latest year's, which may have nothing yet; counts add, so their years add up.
        all_years = overall[(code, unit)]
        totals.append(
            MeasureTotal(
                code=code,
                title=measure.title if measure else code,
                unit=unit,
                priority=measure.priority if measure else None,
                outcome=measure.outcome if measure else None,
                all_years=all_years,
                by_year=ordered,
                contracts=counts[(code, unit)],
                proxy=proxy,
                combine=how,
                added_up=adds_across_contracts(how) or counts[(code, unit)] == 1,
            )
        )
    return totals


def by_priority(totals: list[MeasureTotal], content) -> list[PriorityTotals]:
    """The totals grouped under content's priorities and outcomes, in content's order; empty groups left out.
    Measures no longer in content belong to no priority: list them from `totals` where `priority` is None."""
    grouped = []
    for priority in content.framework.priorities:
        outcomes = tuple(
            OutcomeTotals(outcome, tuple(t for t in totals if t.priority == priority.id and t.outcome == outcome.id))
            for outcome in priority.outcomes
        )
        outcomes = tuple(o for o in outcomes if o.measures)
        if outcomes:
            grouped.append(PriorityTotals(priority, outcomes))
    return grouped
