"""Check a plan against a rule set: every way it falls short, its totals, and its change from the baseline."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .plan import YEARS, Plan, Quantity
from .rulesets import RuleSet

PERCENT_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class Finding:
    """One way the plan falls short: which rule, where the rule comes from, what is wrong and how to fix it."""

    rule_id: str
    source: str
    message: str
    detail: str
    fix: str


@dataclass(frozen=True)
class YearTotals:
    """A year's emissions by scope and in all; a figure the plan does not give counts as nothing."""

    scope_1: Quantity
    scope_2: Quantity
    scope_3: Quantity
    total: Quantity


@dataclass(frozen=True)
class Change:
    """Reporting year less baseline year: negative is a cut. `percent` is of the baseline, when it is above zero."""

    amount: Quantity
    percent: Decimal | None


@dataclass(frozen=True)
class Result:
    ruleset: RuleSet
    findings: tuple[Finding, ...]
    totals: dict  # "baseline" and "reporting" -> YearTotals
    change: Change | None  # None unless both years give figures

    @property
    def failed(self) -> list[str]:
        return [finding.rule_id for finding in self.findings]

    def stored(self, checked_on: date) -> dict:
        """What the submission record keeps, so that council officers can see it later: plain JSON, decimals as strings."""
        return {
            "ruleset": self.ruleset.id,
            "ruleset_name": self.ruleset.name,
            "checked_on": checked_on.isoformat(),
            "failed": self.failed,
            "totals": {year: str(t.total.amount) for year, t in self.totals.items()},
            "change": None
            if self.change is None
            else {
                "amount": str(self.change.amount.amount),
                "percent": None if self.change.percent is None else str(self.change.percent),
            },
        }


def _totals(plan: Plan, year: str) -> YearTotals:
    emissions = plan.year(year)
    zero = Quantity(Decimal(0))
    return YearTotals(emissions.scope_1 or zero, emissions.scope_2 or zero, emissions.scope_3_total, emissions.total)


def change_from_baseline(baseline: Quantity, reporting: Quantity) -> Change:
    amount = reporting - baseline
    percent = None
    if baseline.amount > 0:
        percent = (amount.amount * 100 / baseline.amount).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    return Change(amount, percent)


def _finding(rule, ruleset: RuleSet, detail: str) -> Finding:
    s = ruleset.settings
    return Finding(rule.id, rule.source.format(s=s), rule.message.format(s=s), detail, rule.fix.format(s=s))


def check(answers: dict, ruleset: RuleSet, today: date) -> Result:
    """Apply every rule in `ruleset` to the plan in `answers`, as of `today` (the day of the procurement)."""
    plan = answers if isinstance(answers, Plan) else Plan.from_answers(answers)
    findings = []
    for rule in ruleset.rules:
        detail = rule.check(plan, ruleset.settings, today)
        if detail is not None:
            findings.append(_finding(rule, ruleset, detail))
    totals = {year: _totals(plan, year) for year in YEARS}
    change = None
    if plan.baseline.given and plan.reporting.given:
        change = change_from_baseline(totals["baseline"].total, totals["reporting"].total)
    return Result(ruleset, tuple(findings), totals, change)
