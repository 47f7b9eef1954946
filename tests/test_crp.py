"""The carbon reduction plan checker, without Flask: every rule fails a plan that breaks it and passes one that keeps it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.content import load_content
from portal.crp.checker import change_from_baseline, check
from portal.crp.plan import Plan, Quantity
from portal.crp.catalogue import RULES, RULES_BY_ID
from portal.crp.rules import add_months, is_twelve_months
from portal.crp.rulesets import RuleSet, load_rulesets

from .conftest import CONTENT

TODAY = date(2026, 5, 1)
BASELINE_FIGURES = {
    "scope1": "120.5",
    "scope2": "80.25",
    "scope3_cat4": "14",
    "scope3_cat5": "3.2",
    "scope3_cat6": "9.75",
    "scope3_cat7": "22",
    "scope3_cat9": "0",
    "scope3_other": "301.1",
}
REPORTING_FIGURES = {
    "scope1": "98.4",
    "scope2": "51",
    "scope3_cat4": "12.6",
    "scope3_cat5": "2.9",
    "scope3_cat6": "7.05",
    "scope3_cat7": "18.3",
    "scope3_cat9": "0",
    "scope3_other": "250",
}


def compliant_answers(today: date = TODAY) -> dict:
    """A plan that meets every rule of the default rule set on `today`, as the questionnaire stores it."""
    reporting_end = today.replace(day=1) - timedelta(days=1)  # the last day of last month
    reporting_start = add_months(reporting_end + timedelta(days=1), -12)
    baseline_start = reporting_start.replace(year=reporting_start.year - 5)
    baseline_end = (
        reporting_end.replace(year=reporting_end.year - 5, day=28)
        if reporting_end.month == 2
        else reporting_end.replace(year=reporting_end.year - 5)
    )
    return {
        "organisation_name": "Acme Joinery Ltd",
        "has_crp": "published",
        "crp_web_address": "https://www.acme-joinery.example/carbon-reduction-plan",
        "crp_reporting_standard": "yes",
        "crp_baseline_year": baseline_start.year,
        "crp_baseline_start": baseline_start.isoformat(),
        "crp_baseline_end": baseline_end.isoformat(),
        "crp_other_scope3_categories": ["category-1"],
        **{f"crp_baseline_{k}": v for k, v in BASELINE_FIGURES.items()},
        "crp_baseline_explanation": "Category 9 is zero because our customers collect everything we make.",
        "crp_reporting_start": reporting_start.isoformat(),
        "crp_reporting_end": reporting_end.isoformat(),
        **{f"crp_reporting_{k}": v for k, v in REPORTING_FIGURES.items()},
        "crp_reporting_explanation": "Category 9 is still zero: customers collect from our workshop.",
        "net_zero_committed": "yes",
        "net_zero_target_year": 2045,
        "crp_interim_targets": "Halve our Scope 1 and 2 emissions from the baseline by 2030.",
        "crp_completed_projects": "Moved to a renewable electricity tariff.\nInsulated the workshop roof.",
        "crp_planned_projects": "Replace both vans with electric ones by 2028.",
        "crp_environmental_measures": ["iso-14001", "environmental-policy"],
        "crp_signed_off_by": "director",
        "crp_signatory_name": "Jane Smith",
        "crp_signed_off_date": (today - timedelta(days=48)).isoformat(),
    }


@pytest.fixture(scope="module")
def rulesets():
    content = load_content(CONTENT)
    return load_rulesets(CONTENT, content.assessments)


def failed(answers: dict, ruleset: RuleSet, today: date = TODAY) -> list[str]:
    return check(answers, ruleset, today).failed


def test_a_complete_compliant_plan_has_no_findings(rulesets):
    result = check(compliant_answers(), rulesets.default, TODAY)
    assert result.findings == ()
    assert result.ruleset.id == "ppn-006"


# (rule, what changes in the compliant plan, the day it is checked): each must fail that rule and no other.
FAILING = [
    ("net-zero-target", {"net_zero_target_year": 2051}, TODAY),
    ("net-zero-target", {"net_zero_target_year": None}, TODAY),
    ("baseline-given", {"crp_baseline_year": None}, TODAY),
    ("baseline-given", {"crp_baseline_year": 2018}, TODAY),
    ("baseline-period-12-months", {"crp_baseline_end": "2021-04-15"}, TODAY),
    ("reporting-period-12-months", {"crp_reporting_start": "2025-05-15"}, TODAY),
    ("reporting-period-12-months", {"crp_reporting_start": None, "crp_reporting_end": None}, TODAY),
    ("reporting-months-match-baseline", {"crp_reporting_start": "2025-01-01", "crp_reporting_end": "2025-12-31"}, TODAY),
    ("reporting-period-recent", {"crp_reporting_start": "2024-05-01", "crp_reporting_end": "2025-04-30"}, TODAY),
    ("reporting-period-recent", {}, date(2026, 4, 20)),  # it ends on 30 April 2026, which has not come yet
    ("reporting-standard", {"crp_reporting_standard": "no"}, TODAY),
    ("reporting-standard", {"crp_reporting_standard": None}, TODAY),
    ("scope-1-and-2", {"crp_reporting_scope2": None}, TODAY),
    ("scope-1-and-2", {"crp_baseline_scope1": None}, TODAY),
    ("scope-3-required-categories", {"crp_baseline_scope3_cat7": None}, TODAY),
    ("scope-3-required-categories", {"crp_reporting_scope3_cat4": None}, TODAY),
    ("zero-explained", {"crp_baseline_explanation": None}, TODAY),
    ("zero-explained", {"crp_reporting_scope1": "0", "crp_reporting_explanation": ""}, TODAY),
    ("figures-plausible", {"crp_reporting_scope1": "-5"}, TODAY),
    ("figures-plausible", {"crp_baseline_scope2": "10000000.5"}, TODAY),
    ("reduction-targets", {"crp_interim_targets": None}, TODAY),
    ("completed-projects", {"crp_completed_projects": "  "}, TODAY),
    ("planned-projects", {"crp_planned_projects": None}, TODAY),
    ("environmental-management", {"crp_environmental_measures": ["none"]}, TODAY),
    ("environmental-management", {"crp_environmental_measures": None}, TODAY),
    ("declaration-signed", {"crp_signed_off_by": "not-signed"}, TODAY),
    ("declaration-signed", {"crp_signed_off_by": None}, TODAY),
    ("sign-off-director", {"crp_signed_off_by": "other"}, TODAY),
    ("sign-off-recent", {"crp_signed_off_date": "2025-04-30"}, TODAY),
    ("sign-off-recent", {"crp_signed_off_date": None}, TODAY),
    ("sign-off-recent", {"crp_signed_off_date": "2026-05-02"}, TODAY),
    ("published", {"has_crp": "unpublished"}, TODAY),
    ("published", {"crp_web_address": None}, TODAY),
]

# Plans at the edge of a rule that still meet it (they may break another).
PASSING = [
    ("net-zero-target", {"net_zero_target_year": 2050}, TODAY),
    ("sign-off-recent", {"crp_signed_off_date": "2025-05-01"}, TODAY),  # exactly 12 months ago
    ("sign-off-director", {"crp_signed_off_by": "senior-leader"}, TODAY),
    ("reporting-period-12-months", {"crp_reporting_end": "2026-04-28"}, TODAY),  # a 52-week year
    ("reporting-period-recent", {"crp_reporting_start": "2024-05-02", "crp_reporting_end": "2025-05-01"}, TODAY),
    ("zero-explained", {"crp_baseline_scope3_cat9": "0.0"} | {"crp_baseline_explanation": "Customers collect."}, TODAY),
    ("figures-plausible", {"crp_baseline_scope2": "10000000"}, TODAY),
    ("environmental-management", {"crp_environmental_measures": ["other-certification"]}, TODAY),
]


def _plan(changes: dict) -> dict:
    return {k: v for k, v in (compliant_answers() | changes).items() if v is not None}


@pytest.mark.parametrize("rule_id, changes, today", FAILING, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(FAILING)])
def test_each_rule_fails_a_plan_that_breaks_it_and_only_that_rule(rulesets, rule_id, changes, today):
    result = check(_plan(changes), rulesets.default, today)
    assert result.failed == [rule_id]
    [finding] = result.findings
    rule = RULES_BY_ID[rule_id]
    assert finding.source.startswith(rule.source.split(":")[0]) and finding.message and finding.fix and finding.detail
    assert "{" not in finding.message + finding.fix + finding.source, "every setting in the text is filled in"


@pytest.mark.parametrize("rule_id, changes, today", PASSING, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(PASSING)])
def test_a_plan_at_the_edge_of_a_rule_passes_it(rulesets, rule_id, changes, today):
    assert rule_id not in failed(_plan(changes), rulesets.default, today)


def test_every_rule_is_covered_by_a_failing_plan():
    tested = {rule_id for rule_id, _, _ in FAILING} | {"scope-3-further-categories"}
    assert tested == set(RULES_BY_ID)
    assert all(rule.id and rule.source and rule.message and rule.fix for rule in RULES)


def test_the_stricter_rule_set_asks_for_every_scope_3_category(rulesets):
    strict = rulesets.by_id["every-scope-3-category"]
    assert strict.settings.further_scope_3_categories == tuple(range(1, 16))
    result = check(compliant_answers(), strict, TODAY)
    assert result.failed == ["scope-3-further-categories"]
    assert result.ruleset.name.startswith("the central government standard")
    assert "category 2 (capital goods)" in result.findings[0].detail
    everything = compliant_answers() | {
        "crp_other_scope3_categories": [f"category-{n}" for n in (1, 2, 3, 8, 10, 11, 12, 13, 14, 15)]
    }
    assert failed(everything, strict) == []
    assert failed(compliant_answers(), rulesets.default) == [], "the default set does not ask for them"


def test_findings_say_how_this_plan_falls_short(rulesets):
    [finding] = check(_plan({"net_zero_target_year": 2060}), rulesets.default, TODAY).findings
    assert finding.message == "Your plan must commit to reaching net zero by 2050 at the latest."
    assert finding.detail == "Your target year is 2060."
    assert "PPN 006" in finding.source and "PPN 06/21" in finding.source
    [finding] = check(
        _plan({"crp_reporting_start": "2025-01-01", "crp_reporting_end": "2025-12-31"}), rulesets.default, TODAY
    ).findings
    assert (
        finding.detail == "Your baseline period runs from May to April, but your reporting period runs from January to December."
    )


def test_totals_and_change_are_exact_decimals_with_units(rulesets):
    result = check(compliant_answers(), rulesets.default, TODAY)
    baseline, reporting = result.totals["baseline"], result.totals["reporting"]
    assert baseline.total == Quantity(Decimal("550.80")) and reporting.total == Quantity(Decimal("440.25"))
    assert baseline.scope_3.amount == Decimal("350.05") and reporting.scope_1.amount == Decimal("98.4")
    assert result.change.amount == Quantity(Decimal("-110.55"))
    assert result.change.percent == Decimal("-20.1")
    assert all(isinstance(q.amount, Decimal) for t in result.totals.values() for q in (t.scope_1, t.scope_2, t.scope_3, t.total))
    assert str(baseline.total) == "550.80 tCO2e"
    tiny = check(
        compliant_answers()
        | {"crp_baseline_scope1": "0.1", "crp_baseline_scope2": "0.2"}
        | {f"crp_baseline_{k}": "0" for k in BASELINE_FIGURES if k not in ("scope1", "scope2")},
        rulesets.default,
        TODAY,
    )
    assert tiny.totals["baseline"].total.amount == Decimal("0.3")  # 0.1 + 0.2 is 0.3: no float on the way


def test_change_is_unknown_without_both_years_and_percent_needs_a_baseline():
    assert (
        check(_plan({f"crp_reporting_{k}": None for k in REPORTING_FIGURES}), RuleSet("none", "no rules", ()), TODAY).change
        is None
    )
    zero_base = change_from_baseline(Quantity(Decimal(0)), Quantity(Decimal("4")))
    assert zero_base.amount == Quantity(Decimal(4)) and zero_base.percent is None
    with pytest.raises(ValueError):
        Quantity(Decimal(1)) + Quantity(Decimal(1), "kg")


def test_a_stored_result_keeps_the_rule_set_and_failed_rules_as_plain_json(rulesets):
    stored = check(_plan({"crp_web_address": None, "net_zero_target_year": 2070}), rulesets.default, TODAY).stored(TODAY)
    assert stored["ruleset"] == "ppn-006" and stored["ruleset_name"] == rulesets.default.name
    assert stored["failed"] == ["net-zero-target", "published"]
    assert stored["totals"] == {"baseline": "550.80", "reporting": "440.25"}
    assert stored["change"] == {"amount": "-110.55", "percent": "-20.1"}
    assert stored["checked_on"] == "2026-05-01"


def test_odd_stored_values_are_read_as_missing_not_crashes(rulesets):
    plan = Plan.from_answers(
        {
            "has_crp": "published",
            "crp_baseline_scope1": "lots",
            "crp_baseline_start": "31/02/2020",
            "crp_baseline_year": "2019",
            "crp_environmental_measures": "iso-14001",
            "crp_reporting_scope2": "NaN",
        }
    )
    assert plan.baseline.scope_1 is None and plan.baseline.start is None and plan.baseline_year is None
    assert plan.environmental_measures == () and plan.reporting.scope_2 is None
    assert "baseline-given" in check(plan, rulesets.default, TODAY).failed


@pytest.mark.parametrize(
    "start, end, twelve",
    [
        (date(2025, 4, 1), date(2026, 3, 31), True),
        (date(2024, 3, 1), date(2025, 2, 28), True),
        (date(2025, 4, 6), date(2026, 4, 5), True),  # the UK tax year
        (date(2025, 4, 1), date(2026, 3, 29), True),  # 52 weeks
        (date(2025, 4, 1), date(2025, 12, 31), False),
        (date(2025, 4, 1), date(2026, 4, 30), False),
        (date(2026, 3, 31), date(2025, 4, 1), False),
    ],
)
def test_twelve_months_allows_a_52_or_53_week_year(start, end, twelve):
    assert is_twelve_months(start, end, tolerance_days=7) is twelve


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 5, 1), -12) == date(2025, 5, 1)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
