"""Rule sets come from content/crp/rulesets.yaml; a mistake in it names the file, the line and the problem."""

import pytest
import yaml

from portal.content import ContentError, load_content
from portal.crp.catalogue import RULES_BY_ID
from portal.crp.rulesets import load_rulesets

from .content_edits import edit as edit_file
from .conftest import CONTENT


def problems(content_dir) -> str:
    with pytest.raises(ContentError) as raised:
        load_rulesets(content_dir, load_content(content_dir).assessments)
    return str(raised.value)


def edit(content_dir, old, new, name="crp/rulesets.yaml"):
    edit_file(content_dir / name, old, new)


def line_of(content_dir, needle, name="crp/rulesets.yaml") -> int:
    return next(i for i, line in enumerate((content_dir / name).read_text().splitlines(), start=1) if needle in line)


def test_the_default_content_declares_the_ppn_006_set_and_a_stricter_one():
    sets = load_rulesets(CONTENT, load_content(CONTENT).assessments)
    assert sets.default.id == "ppn-006" and sets.assessment_id == "readiness"
    assert {rule.id for rule in sets.default.rules} == set(RULES_BY_ID) - {"scope-3-further-categories"}
    strict = sets.by_id["every-scope-3-category"]
    assert [rule.id for rule in strict.rules] == [rule.id for rule in sets.default.rules] + ["scope-3-further-categories"]
    assert strict.settings.net_zero_latest_year == 2050, "an extending set keeps the settings it does not change"
    assert sets.get("no-longer-declared") is sets.default


def test_an_unknown_rule_names_the_line_and_the_known_rules(content_copy):
    edit(content_copy, "      - zero-explained", "      - zero-explaned")
    message = problems(content_copy)
    line = line_of(content_copy, "zero-explaned")
    assert (
        f"content/crp/rulesets.yaml, line {line}: 'rulesets.0.rules.9': 'zero-explaned' is not a rule the checker knows"
        in message
    )
    assert "use one of: net-zero-target, " in message


def test_a_setting_of_the_wrong_type_is_refused(content_copy):
    edit(content_copy, "net_zero_latest_year: 2050", "net_zero_latest_year: soon")
    line = line_of(content_copy, "net_zero_latest_year: soon")
    assert f"content/crp/rulesets.yaml, line {line}: 'rulesets.0.settings.net_zero_latest_year': Not a valid integer" in problems(
        content_copy
    )


def test_an_unknown_setting_is_refused(content_copy):
    edit(content_copy, "      sign_off_within_months: 12", "      sign_off_within_month: 12")
    assert "'rulesets.0.settings.sign_off_within_month': Unknown field" in problems(content_copy)


def test_the_default_must_be_a_declared_set(content_copy):
    edit(content_copy, "default_ruleset: ppn-006", "default_ruleset: ppn-0006")
    line = line_of(content_copy, "default_ruleset: ppn-0006")
    assert (
        f"content/crp/rulesets.yaml, line {line}: 'default_ruleset': 'ppn-0006' is not a rule set in this file; "
        "use one of: ppn-006, every-scope-3-category"
    ) in problems(content_copy)


def test_a_set_can_only_extend_one_declared_above_it(content_copy):
    edit(content_copy, "extends: ppn-006", "extends: every-scope-3-category")
    line = line_of(content_copy, "extends: every-scope-3-category")
    assert (
        f"line {line}: 'rulesets.1.extends': 'every-scope-3-category' is not a rule set declared earlier in this file"
        in problems(content_copy)
    )


def test_a_repeated_rule_and_a_repeated_category_are_refused(content_copy):
    edit(content_copy, "      - scope-3-further-categories", "      - scope-3-further-categories\n      - published")
    edit(content_copy, "[1, 2, 3,", "[1, 1, 2, 3,")
    message = problems(content_copy)
    assert "'rulesets.1.rules.1': 'published' is already in this rule set" in message
    assert "'rulesets.1.settings.further_scope_3_categories': a category is listed twice" in message


def test_broken_yaml_names_the_file_and_line(content_copy):
    edit(content_copy, "rulesets:", "rulesets: [unclosed")
    message = problems(content_copy)
    assert "content/crp/rulesets.yaml, line " in message and "not valid YAML" in message


def test_a_missing_file_is_named(content_copy):
    (content_copy / "crp" / "rulesets.yaml").unlink()
    assert "content/crp/rulesets.yaml: this file is missing" in problems(content_copy)


def test_a_plan_question_removed_from_the_questionnaire_is_named(content_copy):
    path = content_copy / "assessments" / "readiness.yaml"
    declaration = yaml.safe_load(path.read_text())
    carbon = next(s for s in declaration["sections"] if s["id"] == "carbon-reduction-plan")
    carbon["questions"] = [q for q in carbon["questions"] if q["id"] != "crp_planned_projects"]
    path.write_text(yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False))
    assert (
        "content/assessments/readiness.yaml: the carbon reduction plan needs a long_text question with the id "
        "'crp_planned_projects'"
    ) in problems(content_copy)
