"""Content for contract monitoring: each measure says what its returns need, and the council says where its area is.

Every mistake is named with its file, line and problem, like the rest of content/.
"""

from decimal import Decimal

import pytest

from portal.content import load_content

from .conftest import CONTENT
from .content_edits import edit, problems


def test_every_measure_declares_what_its_returns_need():
    content = load_content(CONTENT)
    for measure in content.measures:
        needs = measure.returns
        assert needs is not None and needs.per_period_min >= 0 and needs.per_period_max > needs.per_period_min
    le01 = content.measure("le01")
    assert le01.returns.local and not le01.returns.whole_numbers
    assert content.measure("le12").returns.per_period_max == Decimal(100)  # a percentage
    assert content.measure("wb01").returns.whole_numbers  # a number of staff


def test_the_council_area_and_return_due_days_are_declared():
    settings = load_content(CONTENT).contracts
    assert settings.return_due_days == 30
    assert settings.council_area.covers("EX4") and not settings.council_area.covers("SW1A")


def test_an_area_can_be_declared_as_a_whole_postcode_area(content_copy):
    edit(content_copy / "contracts.yaml", "postcode_districts: [EX1,", "postcode_districts: [PL, EX1,")
    area = load_content(content_copy).contracts.council_area
    assert area.covers("PL12") and area.covers("PL1") and not area.covers("P1")


def test_a_measure_without_its_returns_block_is_named(content_copy):
    path = content_copy / "measures" / "le01.yaml"
    path.write_text(path.read_text().split("returns:")[0])
    assert "content/measures/le01.yaml, line 1: 'returns': Missing data for required field" in problems(content_copy)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("    max: 1000", "    max: lots", "'returns.per_period.max': give a number, like 500"),
        ("    min: 0", "    min: -1", "'returns.per_period.min': give a number of 0 or more"),
        ("    min: 0", "    min: 5000", "'returns.per_period.max': make 'min' no more than 'max'"),
        ("  local: true", "  local: yes please", "'returns.local': write true or false"),
        (
            "  combine: level  # how many during a period: the latest period stands, not the sum of them",
            "  combine: average",
            "'returns.combine': write add (counts that add up), level (like FTE jobs) or rate (like a %)",
        ),
    ],
)
def test_a_broken_returns_block_is_named_with_its_line(content_copy, old, new, message):
    path = content_copy / "measures" / "le01.yaml"
    edit(path, old, new)
    line = (
        next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == new.split("\n")[0])
        if "make 'min'" not in message
        else None
    )
    found = problems(content_copy)
    assert message in found
    if line:
        assert f"content/measures/le01.yaml, line {line}: {message}" in found


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "EX24]",
            "ex24]",
            "content/contracts.yaml, line 10: 'council_area.postcode_districts.23': give a postcode district like 'EX4'",
        ),
        (
            "return_due_days: 30",
            "return_due_days: thirty",
            "content/contracts.yaml, line 4: 'return_due_days': give a whole number of days, like 30",
        ),
        (
            "return_due_days: 30",
            "return_due_days: 0",
            "content/contracts.yaml, line 4: 'return_due_days': give a whole number of days from 1 to 365",
        ),
    ],
)
def test_a_broken_contracts_file_is_named_with_its_line(content_copy, old, new, message):
    edit(content_copy / "contracts.yaml", old, new)
    assert message in problems(content_copy)


def test_a_missing_contracts_file_is_named(content_copy):
    (content_copy / "contracts.yaml").unlink()
    assert "content/contracts.yaml: this file is missing" in problems(content_copy)


def test_every_measures_unit_reads_well_after_a_figure():
    from portal.text import unit_in_sentence

    assert unit_in_sentence("Number of trees") == "trees"
    assert unit_in_sentence("Full-time equivalent (FTE) jobs") == "full-time equivalent (FTE) jobs"
    assert unit_in_sentence("Kilowatt hours (kWh)") == "kilowatt hours (kWh)"
    assert unit_in_sentence("CO2e tonnes") == "CO2e tonnes"
    for measure in load_content(CONTENT).measures:
        words = unit_in_sentence(measure.unit)
        assert words and not words.lower().startswith("number of") and "fte" not in words, measure.code
