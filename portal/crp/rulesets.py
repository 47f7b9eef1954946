"""Rule sets, declared by the council in content/crp/rulesets.yaml and checked when loaded.

A rule set names the rules it applies and may change their settings; one may extend another. The file also
names the questionnaire that holds the plan's questions, and the loader checks that every one is there.
"""

from dataclasses import dataclass, replace
from pathlib import Path

from marshmallow import Schema, ValidationError, fields, validate

from ..reading.errors import ContentError, Problem, flatten_messages
from ..reading.fields import SLUG, text
from ..reading.source import Source, read_yaml
from ..questionnaire.answer_types import answer_type
from .plan import ASKED_CATEGORIES, HAS_PLAN, QUESTIONS, SIGNED_OFF_BY
from .catalogue import RULES_BY_ID
from .rules import Rule, Settings

RULESETS_FILE = Path("crp") / "rulesets.yaml"


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    rules: tuple[Rule, ...]
    settings: Settings = Settings()
    description: str | None = None


@dataclass(frozen=True)
class RuleSets:
    assessment_id: str
    default: RuleSet
    by_id: dict

    def get(self, ruleset_id: str | None) -> RuleSet:
        """The rule set with that id, or the council's default when there is none by that name (any more)."""
        return self.by_id.get(ruleset_id, self.default)


def _int(low, high=None):
    return fields.Integer(strict=True, validate=validate.Range(min=low, max=high))


class SettingsSchema(Schema):
    net_zero_latest_year = _int(2025, 2100)
    reporting_period_within_months = _int(1, 60)
    sign_off_within_months = _int(1, 60)
    period_tolerance_days = _int(0, 31)
    largest_figure_tonnes = _int(1)
    further_scope_3_categories = fields.List(_int(1, 15), validate=validate.Length(min=1, error="list at least one category"))


class RuleSetSchema(Schema):
    id = text(validate=SLUG)
    name = text()
    description = fields.String(load_default=None)
    extends = fields.String(load_default=None)
    rules = fields.List(fields.String(), load_default=list)
    settings = fields.Nested(SettingsSchema, load_default=dict)


class RuleSetsFileSchema(Schema):
    assessment = text(validate=SLUG)
    default_ruleset = text()
    rulesets = fields.List(
        fields.Nested(RuleSetSchema), required=True, validate=validate.Length(min=1, error="declare at least one rule set")
    )


def _rulesets(declared: list[dict]):
    """Build each rule set on the ones before it; yield (path, message) for each mistake, then the sets."""
    built, problems = {}, []
    for index, item in enumerate(declared):
        at = ("rulesets", index)
        if item["id"] in built:
            problems.append((at + ("id",), f"the rule set id '{item['id']}' is used more than once"))
        parent = None
        if item["extends"] is not None:
            parent = built.get(item["extends"])
            if parent is None:
                problems.append((at + ("extends",), f"'{item['extends']}' is not a rule set declared earlier in this file"))
        rules = list(parent.rules) if parent else []
        for r_index, rule_id in enumerate(item["rules"]):
            rule = RULES_BY_ID.get(rule_id)
            if rule is None:
                problems.append(
                    (
                        at + ("rules", r_index),
                        f"'{rule_id}' is not a rule the checker knows; use one of: {', '.join(RULES_BY_ID)}",
                    )
                )
            elif rule in rules:
                problems.append((at + ("rules", r_index), f"'{rule_id}' is already in this rule set"))
            else:
                rules.append(rule)
        if not rules and parent is None and item["extends"] is None:
            problems.append((at + ("rules",), "list at least one rule"))
        settings = dict(item["settings"])
        categories = settings.get("further_scope_3_categories")
        if categories is not None:
            if len(set(categories)) != len(categories):
                problems.append((at + ("settings", "further_scope_3_categories"), "a category is listed twice"))
            settings["further_scope_3_categories"] = tuple(sorted(set(categories)))
        base = parent.settings if parent else Settings()
        built[item["id"]] = RuleSet(item["id"], item["name"], tuple(rules), replace(base, **settings), item["description"])
    return built, problems


def _question_problems(assessment, file_name: str) -> list[Problem]:
    """The plan reads these questions; a council that renames or removes one hears so when the content loads."""
    problems = []
    for question_id, kind in QUESTIONS.items():
        question = assessment.question(question_id)
        if question is None:
            problems.append(Problem(file_name, f"the carbon reduction plan needs a {kind} question with the id '{question_id}'"))
        elif question.kind is not answer_type(kind):
            problems.append(
                Problem(
                    file_name, f"the carbon reduction plan needs '{question_id}' to be a {kind} question, not {question.type}"
                )
            )
    for question_id, needed in (("has_crp", HAS_PLAN), ("crp_signed_off_by", SIGNED_OFF_BY)):
        question = assessment.question(question_id)
        missing = [value for value in needed if question and not question.option(value)]
        if question and missing:
            problems.append(
                Problem(file_name, f"the carbon reduction plan needs '{question_id}' to have the options: {', '.join(missing)}")
            )
    others = assessment.question("crp_other_scope3_categories")
    if others:
        allowed = {f"category-{n}" for n in range(1, 16) if n not in ASKED_CATEGORIES}
        for option in others.options:
            if option.value not in allowed:
                problems.append(
                    Problem(
                        file_name,
                        f"'crp_other_scope3_categories' option '{option.value}' must be one of: {', '.join(sorted(allowed))}",
                    )
                )
    return problems


def load_rulesets(content_root: Path, assessments: dict) -> RuleSets:
    """Read and check content/crp/rulesets.yaml against the rules the checker knows and the questionnaire."""
    content_root = Path(content_root)
    name = str(Path(content_root.name) / RULESETS_FILE)
    path = content_root / RULESETS_FILE
    if not path.is_file():
        raise ContentError([Problem(name, "this file is missing: it chooses the rules for checking carbon reduction plans")])
    source: Source = read_yaml(path, name)
    if not isinstance(source.data, dict):
        raise ContentError([source.problem("the file must hold named fields ('name: value' lines)")])
    try:
        data = RuleSetsFileSchema().load(source.data)
    except ValidationError as error:
        raise ContentError([source.problem(message, where) for where, message in flatten_messages(error.messages)]) from None
    built, found = _rulesets(data["rulesets"])
    problems = [source.problem(message, where) for where, message in found]
    if data["default_ruleset"] not in built:
        problems.append(
            source.problem(
                f"'{data['default_ruleset']}' is not a rule set in this file; use one of: {', '.join(built)}",
                ("default_ruleset",),
            )
        )
    assessment = assessments.get(data["assessment"])
    if assessment is None:
        problems.append(source.problem(f"'{data['assessment']}' is not a questionnaire in assessments/", ("assessment",)))
    else:
        problems.extend(_question_problems(assessment, str(Path(content_root.name) / "assessments" / f"{assessment.id}.yaml")))
    if problems:
        raise ContentError(problems)
    return RuleSets(data["assessment"], built[data["default_ruleset"]], built)
