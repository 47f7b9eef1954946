"""content/contracts.yaml's monitoring settings: chasing, KPI rating thresholds and money proxies (decision 16).

A council edits these; every mistake is named with its file, line and problem.
"""

from decimal import Decimal

import pytest

from portal.content import load_content

from .conftest import CONTENT
from .content_edits import edit, problems

PROXY = """money_proxies:
  - measure: WB07
    pounds_per_unit: 20.00
    source: Our volunteering value, set by cabinet in 2026"""


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line and "#" not in line)


def test_the_default_settings_chase_rate_and_declare_no_money():
    settings = load_content(CONTENT).contracts
    assert settings.chasing.first_reminder_days_before_due == 14
    assert settings.chasing.on_the_day and settings.chasing.weekly_while_overdue
    assert settings.chasing.tell_contract_manager_after_days_overdue == 14
    assert (settings.ratings.good, settings.ratings.approaching_target, settings.ratings.requires_improvement) == (
        Decimal("1.0"),
        Decimal("0.9"),
        Decimal("0.7"),
    )
    assert settings.money_proxies == {}  # no pounds unless a council chooses a value and its source


def test_a_declared_money_proxy_keeps_its_source(content_copy):
    edit(content_copy / "contracts.yaml", "money_proxies: []", PROXY)
    proxy = load_content(content_copy).contracts.money_proxies["WB07"]
    assert proxy.pounds_per_unit == Decimal("20.00") and proxy.source.startswith("Our volunteering")


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "first_reminder_days_before_due: 14",
            "first_reminder_days_before_due: 0",
            "'chasing.first_reminder_days_before_due': give a whole number of days from 1 to 90",
        ),
        (
            "first_reminder_days_before_due: 14",
            "first_reminder_days_before_due: a fortnight",
            "'chasing.first_reminder_days_before_due': give a whole number of days, like 14",
        ),
        ("on_the_day: true", "on_the_day: sometimes", "'chasing.on_the_day': write true or false"),
        ("weekly_while_overdue: true", "weekly_while_overdue: 7", "'chasing.weekly_while_overdue': write true or false"),
        (
            "tell_contract_manager_after_days_overdue: 14",
            "tell_contract_manager_after_days_overdue: 400",
            "'chasing.tell_contract_manager_after_days_overdue': give a whole number of days from 1 to 365",
        ),
        ("good: 1.0", "good: lots", "'ratings.good': give a share of what was committed, like 0.9 for 90%"),
        (
            "requires_improvement: 0.7",
            "requires_improvement: 0",
            "'ratings.requires_improvement': give a share of what was committed, more than 0, like 0.9 for 90%",
        ),
        (
            "approaching_target: 0.9",
            "approaching_target: 1.2",
            "'ratings.approaching_target': make 'approaching_target' less than 'good'",
        ),
        (
            "requires_improvement: 0.7",
            "requires_improvement: 0.9",
            "'ratings.requires_improvement': make 'requires_improvement' less than 'approaching_target'",
        ),
    ],
)
def test_a_broken_setting_is_named_with_its_line(content_copy, old, new, message):
    path = content_copy / "contracts.yaml"
    edit(path, old, new)
    key = new.split(":")[0]
    assert f"content/contracts.yaml, line {line_of(path, key + ':')}: {message}" in problems(content_copy)


def test_missing_settings_are_named(content_copy):
    path = content_copy / "contracts.yaml"
    path.write_text(path.read_text().split("# Reminders about returns")[0])
    found = problems(content_copy)
    assert "content/contracts.yaml, line 4: 'chasing': Missing data for required field" in found
    assert "content/contracts.yaml, line 4: 'ratings': Missing data for required field" in found


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("measure: WB07", "measure: ZZ99", "'money_proxies.0.measure': there is no measure ZZ99 in content/measures/"),
        (
            "measure: WB07",
            "measure: LE09",
            "'money_proxies.0.measure': LE09 is already counted in pounds; remove its money proxy",
        ),
        ("measure: WB07", "measure: wb06", "'money_proxies.0.measure': give a measure's code, like 'LE01'"),
        (
            "pounds_per_unit: 20.00",
            "pounds_per_unit: -1",
            "'money_proxies.0.pounds_per_unit': give an amount in pounds more than 0",
        ),
        (
            "pounds_per_unit: 20.00",
            "pounds_per_unit: free",
            "'money_proxies.0.pounds_per_unit': give an amount in pounds, like 12.50",
        ),
        (
            "source: Our volunteering",
            "source: National TOMs 2024, our volunteering",
            "'money_proxies.0.source': do not use the National TOMs' values",
        ),
        (
            "source: Our volunteering",
            "source: Themes, Outcomes and Measures; our volunteering",
            "'money_proxies.0.source': do not use the National TOMs' values",
        ),
    ],
)
def test_a_broken_money_proxy_is_named_with_its_line(content_copy, old, new, message):
    path = content_copy / "contracts.yaml"
    edit(path, "money_proxies: []", PROXY)
    edit(path, old, new)
    assert f"content/contracts.yaml, line {line_of(path, new.split(':')[0] + ':')}: {message}" in problems(content_copy)


def test_a_measure_with_two_money_proxies_is_named(content_copy):
    path = content_copy / "contracts.yaml"
    edit(path, "money_proxies: []", PROXY + "\n" + PROXY.split("\n", 1)[1])
    assert "'money_proxies': WB07 has more than one money proxy; give each measure one at most" in problems(content_copy)
