"""Carbon reduction plans at the edge: the council's rule sets for this app, and a plan's check for a page or a record.

The assessment function serves the plan's pages; the rules and the checker are in portal/crp/, without Flask.
"""

from datetime import date

from flask import Flask, current_app

from portal.crp import checker
from portal.crp.plan import Plan, has_plan
from portal.crp.rulesets import RuleSets, load_rulesets
from portal.clock import uk_today

EXTENSION = "portal.crp"


def load_into(app: Flask) -> None:
    """Read content/crp/rulesets.yaml when the function is set up, so that a mistake in it stops the app and the build."""
    content = app.extensions["portal.content"]
    app.extensions[EXTENSION] = load_rulesets(app.config["PORTAL_CONTENT"], content.assessments)


def rulesets() -> RuleSets:
    return current_app.extensions[EXTENSION]


def today() -> date:
    return uk_today()


def applies(assessment, answers: dict) -> bool:
    """Whether these answers hold a carbon reduction plan: the right questionnaire, and the supplier has a plan."""
    return assessment.id == rulesets().assessment_id and has_plan(answers)


def check(answers: dict, on: date, ruleset_id: str | None = None) -> checker.Result:
    """The plan checked by the rule set named (as a stored record names it), or by the council's default."""
    return checker.check(Plan.from_answers(answers), rulesets().get(ruleset_id), on)


def record_check(assessment):
    """For Drafts.submit: a function of (answers, day) giving what the submission record keeps, or None without a plan."""
    sets = rulesets()

    def stored(answers: dict, on: date) -> dict | None:
        if assessment.id != sets.assessment_id or not has_plan(answers):
            return None
        return checker.check(Plan.from_answers(answers), sets.default, on).stored(on)

    return stored
