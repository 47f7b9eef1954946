"""What a carbon reduction plan must contain: each rule is data (id, source, message, fix) plus a small check.

A check takes the plan, the rule set's settings and today's date, and returns None when the plan meets the rule,
or a sentence saying how this plan falls short. Messages, fixes and sources may name settings as {s.name}.
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


PPN = "PPN 006 (which replaced PPN 06/21)"

RULES = (
    Rule(
        "net-zero-target",
        f"{PPN}: a commitment to net zero by 2050 at the latest, for UK operations",
        "Your plan must commit to reaching net zero by {s.net_zero_latest_year} at the latest.",
        "Agree a net zero target year of {s.net_zero_latest_year} or earlier with your directors or owners, state it in "
        "your plan, and give it in the net zero section of this self-assessment. Net zero is not the same as carbon neutral.",
        net_zero_target,
    ),
    Rule(
        "baseline-given",
        f"{PPN}: a baseline year and the emissions in it",
        "Your plan must give a baseline year, the 12 months it covers and the emissions in it.",
        "Choose as your baseline the earliest 12 months you have reliable figures for, usually a financial year, and give "
        "its dates and its emissions. Your baseline year is the year that period starts.",
        baseline_given,
    ),
    Rule(
        "baseline-period-12-months",
        f"{PPN}: emissions reported for a full 12 months",
        "Your baseline period must be a full 12 months.",
        "Check the dates of your baseline period: it should run for a year, for example from 1 April 2019 to 31 March 2020.",
        baseline_period_twelve_months,
    ),
    Rule(
        "reporting-period-12-months",
        f"{PPN}: reporting-year emissions for a full 12 months",
        "Your reporting period must be a full 12 months.",
        "Report the emissions for your most recent complete year, for example your last financial year.",
        reporting_period_twelve_months,
    ),
    Rule(
        "reporting-months-match-baseline",
        f"{PPN}: a reporting period with the same start and end months as the baseline",
        "Your reporting period must start and end in the same months as your baseline period.",
        "Report on the same 12 months of the year as your baseline, so that the two can be compared: if your baseline "
        "ran from April to March, so should your reporting period.",
        reporting_months_match_baseline,
    ),
    Rule(
        "reporting-period-recent",
        f"{PPN}: reporting-year emissions from within the last 12 months",
        "Your reporting period must have ended within the last {s.reporting_period_within_months} months.",
        "Update your plan with the emissions for your most recent complete 12 months, and update it again every year.",
        reporting_period_recent,
    ),
    Rule(
        "reporting-standard",
        f"{PPN} reporting standard: tonnes CO2e for the six Kyoto gases, by the GHG Protocol, "
        "with the UK government's conversion factors",
        "Your figures must be worked out with the Greenhouse Gas Protocol and the UK government's conversion factors.",
        "Work out your emissions in tonnes of CO2e covering the six Kyoto Protocol gases, using the GHG Protocol corporate "
        "standard and the government's greenhouse gas conversion factors for company reporting. Plans that miss the "
        "reporting standard are rejected.",
        reporting_standard,
    ),
    Rule(
        "scope-1-and-2",
        f"{PPN}: Scope 1 and Scope 2 emissions, with a total for each year",
        "Your plan must give Scope 1 and Scope 2 emissions for your baseline year and your reporting year.",
        "Add the missing figures. If a figure is zero or does not apply to you, enter 0 and explain why.",
        scope_1_and_2,
    ),
    Rule(
        "scope-3-required-categories",
        f"{PPN}: Scope 3 categories 4, 5, 6, 7 and 9 for each year",
        "Your plan must give Scope 3 emissions for categories 4, 5, 6, 7 and 9 in both years.",
        "Add the missing categories for your baseline year and your reporting year. If one is zero or does not apply to "
        "you, enter 0 and explain why.",
        scope_3_required_categories,
    ),
    Rule(
        "scope-3-further-categories",
        "Asked for by this council, beyond PPN 006: Scope 3 categories {s.further_categories_text}",
        "Your plan must also report Scope 3 categories {s.further_categories_text}.",
        "Work out your emissions in the categories your plan leaves out, add them to your plan, and tell us which "
        "categories it reports. If a category does not apply to you, say why in your plan.",
        scope_3_further_categories,
    ),
    Rule(
        "zero-explained",
        f"{PPN}: an explanation for any figure that is zero or not applicable",
        "Your plan must explain every figure that is zero or does not apply to you.",
        "Say why each zero is zero: for example, that you own no vehicles and heat your office with electricity, so you "
        "have no Scope 1 emissions.",
        zero_explained,
    ),
    Rule(
        "figures-plausible",
        "Our sense check of the figures: emissions in tonnes CO2e cannot be negative or enormous",
        "Emissions cannot be less than 0 or more than {s.largest_figure_tonnes:,} tonnes CO2e.",
        "Check that each figure is in tonnes of CO2e, not kilograms, and has no extra digits.",
        figures_plausible,
    ),
    Rule(
        "reduction-targets",
        f"{PPN}: emissions reduction targets",
        "Your plan must set targets for cutting your emissions on the way to net zero.",
        "Set at least one interim target, with a year and a percentage cut from your baseline: for example, halving "
        "your emissions by 2030.",
        reduction_targets,
    ),
    Rule(
        "completed-projects",
        f"{PPN}: carbon reduction projects completed since the baseline",
        "Your plan must say what you have already done to cut your emissions.",
        "List what you have done since your baseline year, such as moving to a renewable electricity tariff, and "
        "what it saved if you know.",
        completed_projects,
    ),
    Rule(
        "planned-projects",
        f"{PPN}: carbon reduction projects planned for the future",
        "Your plan must say what you will do next to cut your emissions.",
        "List the projects you plan and when, such as replacing your vans with electric ones by 2028.",
        planned_projects,
    ),
    Rule(
        "environmental-management",
        f"{PPN}: environmental management measures; a plan without them is rejected",
        "Your plan must give the environmental management measures you have in place.",
        "Add the measures you already have, such as a written environmental policy, and any certification you hold or "
        "are working towards, such as ISO 14001.",
        environmental_management,
    ),
    Rule(
        "declaration-signed",
        f"{PPN}: a completed declaration; a plan without one is rejected",
        "Your plan must have a signed declaration.",
        "Ask a director, or a senior leader of equal standing, to review the plan and sign its declaration.",
        declaration_signed,
    ),
    Rule(
        "sign-off-director",
        f"{PPN}: the declaration is signed off by a director or equivalent senior leader",
        "Your plan must be signed off by a director or an equivalent senior leader.",
        "Ask a director, or a senior leader of equal standing such as an owner or partner, to sign the declaration.",
        sign_off_director,
    ),
    Rule(
        "sign-off-recent",
        f"{PPN}: the declaration is signed within the 12 months before the procurement",
        "Your plan must have been signed off within the last {s.sign_off_within_months} months.",
        "Have the plan reviewed and signed off again, and renew the sign-off at least once a year.",
        sign_off_recent,
    ),
    Rule(
        "published",
        f"{PPN}: the plan is published on the supplier's UK website",
        "Your plan must be published on your UK website.",
        "Publish the plan on your website where buyers can find it, keep earlier versions there when you update it, "
        "and give us its web address.",
        published,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
