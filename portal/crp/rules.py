"""What a carbon reduction plan must contain: a rule is data (id, source, message, fix) plus a small check, and the
checks are here; the rules themselves, in order, are in catalogue.py.

A check takes the plan, the rule set's settings and today's date, and returns None when the plan meets the rule,
or a sentence saying how this plan falls short.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from ..dates import uk_date
from .plan import ASKED_CATEGORIES, SCOPE_3_CATEGORIES, YEARS, Plan

YEAR_NAMES = {"baseline": "baseline year", "reporting": "reporting year"}


@dataclass(frozen=True)
class Settings:
    """The numbers a rule set may change; the defaults are PPN 006's."""

    net_zero_latest_year: int = 2050
    reporting_period_within_months: int = 12
    sign_off_within_months: int = 12
    period_tolerance_days: int = 7  # a 52- or 53-week financial year still counts as 12 months
    largest_figure_tonnes: int = 10_000_000  # far beyond any SME: a bigger figure is a typing mistake
    further_scope_3_categories: tuple[int, ...] = field(default=tuple(SCOPE_3_CATEGORIES))

    @property
    def further_categories_text(self) -> str:
        return _and_list([str(n) for n in self.further_scope_3_categories])


@dataclass(frozen=True)
class Rule:
    id: str
    source: str
    message: str
    fix: str
    check: Callable[[Plan, Settings, date], str | None] = field(compare=False, repr=False)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _long(day: date) -> str:
    return uk_date(day)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or that month's last day if it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def is_twelve_months(start: date, end: date, tolerance_days: int) -> bool:
    """Whether start..end (inclusive) is a year, give or take `tolerance_days` for 52- or 53-week years."""
    return abs(((end + timedelta(days=1)) - add_months(start, 12)).days) <= tolerance_days


# The checks. Each returns None for a plan that meets its rule.


def net_zero_target(plan: Plan, s: Settings, today: date):
    if plan.net_zero_year is None:
        return "You have not given a net zero target year."
    if plan.net_zero_year > s.net_zero_latest_year:
        return f"Your target year is {plan.net_zero_year}."


def baseline_given(plan: Plan, s: Settings, today: date):
    missing = [
        what
        for what, value in (
            ("the baseline year", plan.baseline_year),
            ("the date it starts", plan.baseline.start),
            ("the date it ends", plan.baseline.end),
        )
        if value is None
    ]
    if not plan.baseline.given:
        missing.append("any emissions for it")
    if missing:
        return f"You have not given {_and_list(missing)}."
    if plan.baseline.start.year != plan.baseline_year:
        return f"Your baseline year is {plan.baseline_year}, but the period you gave starts in {plan.baseline.start.year}."


def _period_length(emissions, s: Settings, name: str):
    if emissions.start is None or emissions.end is None:
        return None if name == "baseline" else "You have not given the dates your reporting period starts and ends."
    if not is_twelve_months(emissions.start, emissions.end, s.period_tolerance_days):
        return f"Your {name} period runs from {_long(emissions.start)} to {_long(emissions.end)}."


def baseline_period_twelve_months(plan: Plan, s: Settings, today: date):
    return _period_length(plan.baseline, s, "baseline")


def reporting_period_twelve_months(plan: Plan, s: Settings, today: date):
    return _period_length(plan.reporting, s, "reporting")


def reporting_months_match_baseline(plan: Plan, s: Settings, today: date):
    base, latest = plan.baseline, plan.reporting
    if None in (base.start, base.end, latest.start, latest.end):
        return None  # the rules about each period say what is missing
    if (base.start.month, base.end.month) != (latest.start.month, latest.end.month):
        return (
            f"Your baseline period runs from {base.start:%B} to {base.end:%B}, "
            f"but your reporting period runs from {latest.start:%B} to {latest.end:%B}."
        )


def reporting_period_recent(plan: Plan, s: Settings, today: date):
    end = plan.reporting.end
    if end is None:
        return None  # reporting-period-12-months says so
    if end > today:
        return f"It ends on {_long(end)}, which has not happened yet."
    if end < add_months(today, -s.reporting_period_within_months):
        return f"It ended on {_long(end)}."


def reporting_standard(plan: Plan, s: Settings, today: date):
    if plan.reporting_standard == "no":
        return "You told us your figures were not worked out this way."
    if plan.reporting_standard != "yes":
        return "You have not told us how your figures were worked out."


def _missing_by_year(plan: Plan, pick) -> str | None:
    """'Missing for the baseline year: ...' for each year with a figure missing; `pick` names a year's figures."""
    sentences = []
    for year in YEARS:
        missing = [label for label, value in pick(plan.year(year)) if value is None]
        if missing:
            sentences.append(f"Missing for the {YEAR_NAMES[year]}: {_and_list(missing)}.")
    return " ".join(sentences) or None


def scope_1_and_2(plan: Plan, s: Settings, today: date):
    return _missing_by_year(plan, lambda e: [("Scope 1", e.scope_1), ("Scope 2", e.scope_2)])


def scope_3_required_categories(plan: Plan, s: Settings, today: date):
    return _missing_by_year(
        plan, lambda e: [(f"category {n} ({SCOPE_3_CATEGORIES[n].lower()})", e.scope_3.get(n)) for n in ASKED_CATEGORIES]
    )


def scope_3_further_categories(plan: Plan, s: Settings, today: date):
    missing = [n for n in s.further_scope_3_categories if n not in ASKED_CATEGORIES and n not in plan.reported_categories]
    if missing:
        return "Not reported: " + _and_list([f"category {n} ({SCOPE_3_CATEGORIES[n].lower()})" for n in missing]) + "."


def zero_explained(plan: Plan, s: Settings, today: date):
    unexplained = [
        f"{label} in the {YEAR_NAMES[year]}"
        for year in YEARS
        if not plan.year(year).explanation
        for label, value in plan.year(year).figures()
        if value is not None and value.amount == 0
    ]
    if unexplained:
        return f"Zero with no explanation: {_and_list(unexplained)}."


def figures_plausible(plan: Plan, s: Settings, today: date):
    wrong = [
        f"{label} in the {YEAR_NAMES[year]} ({value})"
        for year in YEARS
        for label, value in plan.year(year).figures()
        if value is not None and not 0 <= value.amount <= s.largest_figure_tonnes
    ]
    if wrong:
        return f"Check: {_and_list(wrong)}."


def _given(text: str | None, missing: str):
    return None if text else missing


def reduction_targets(plan: Plan, s: Settings, today: date):
    return _given(plan.interim_targets, "You have not given any targets.")


def completed_projects(plan: Plan, s: Settings, today: date):
    return _given(plan.completed_projects, "You have not told us about any completed projects.")


def planned_projects(plan: Plan, s: Settings, today: date):
    return _given(plan.planned_projects, "You have not told us about any planned projects.")


def environmental_management(plan: Plan, s: Settings, today: date):
    return None if plan.environmental_measures else "You told us your plan includes none."


def declaration_signed(plan: Plan, s: Settings, today: date):
    if plan.signed_off_by not in ("director", "senior-leader", "other"):
        return (
            "You told us no one has signed it off yet."
            if plan.signed_off_by == "not-signed"
            else "You have not told us who signed it off."
        )


def sign_off_director(plan: Plan, s: Settings, today: date):
    if plan.signed_off_by == "other":
        return "You told us it was signed off by someone who is not a director or equivalent senior leader."


def sign_off_recent(plan: Plan, s: Settings, today: date):
    if plan.signed_off_by not in ("director", "senior-leader", "other"):
        return None  # declaration-signed says so
    signed = plan.signed_off_on
    if signed is None:
        return "You have not told us when it was signed off."
    if signed > today:
        return f"The date you gave, {_long(signed)}, has not happened yet."
    if signed < add_months(today, -s.sign_off_within_months):
        return f"It was signed off on {_long(signed)}."


def published(plan: Plan, s: Settings, today: date):
    if plan.has_plan != "published" or not plan.web_address:
        return "You told us it is not published yet." if plan.has_plan == "unpublished" else "You have not given its web address."
