"""Every function route in an app's URL map, with addresses filled in from the content: new functions are covered as they are merged."""

from flask import Flask
from werkzeug.routing import Rule

PLACEHOLDER = "not-a-real-value"


def function_rules(app: Flask, method: str | None = None) -> list[Rule]:
    """The rules of every blueprint that lives in the functions/ package, optionally only those taking `method`."""
    blueprints = {name for name, blueprint in app.blueprints.items() if blueprint.import_name.startswith("functions.")}
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".", 1)[0] in blueprints]
    return sorted((r for r in rules if method is None or method in r.methods), key=lambda r: (r.rule, r.endpoint))


def sample_values(app: Flask) -> dict[str, str]:
    """A real value for each address part the content defines; anything else gets a placeholder."""
    content = app.extensions["portal.content"]
    assessment = next(iter(content.assessments.values()))
    section = assessment.sections[0]
    return {
        "assessment_id": assessment.id,
        "section_id": section.id,
        "question_id": section.questions[0].id,
        "slug": content.events[0].slug,
    }


def sample_url(app: Flask, rule: Rule, values: dict[str, str] | None = None) -> str:
    """The address of `rule` with real values where known (given ones first), placeholders elsewhere."""
    values = {**sample_values(app), **(values or {})}
    return rule.build({arg: values.get(arg, PLACEHOLDER) for arg in rule.arguments}, append_unknown=False)[1]
