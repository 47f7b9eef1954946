"""The self-assessment's blueprint and what every page of it needs: the questionnaire, the draft behind a resume
link and the section being worked on, each or the page that says why not; and the plan as checked.

The pages themselves are in functions/assessment/pages.py (questions, task list, plan), functions/assessment/evidence_pages.py and
functions/assessment/submission_pages.py, which all import from here and never from each other.
"""

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from portal.dates import uk_calendar_day
from portal.crp.plan import Plan
from portal.questionnaire import progress

from . import plans as crp
from .records import DraftDeleted, DraftExpired, DraftNotFound, Drafts
from ..storage import app_store

__all__ = ["assessment_blueprint", "assessment_or_404", "checked_plan", "draft_or_404", "drafts", "section_or_404"]

assessment_blueprint = Blueprint("assessment", __name__, url_prefix="/assessments/<assessment_id>")


def assessment_or_404(assessment_id):
    return current_app.extensions["portal.content"].assessment(assessment_id) or abort(404)


def drafts() -> Drafts:
    if "portal.drafts" not in current_app.extensions:
        current_app.extensions["portal.drafts"] = Drafts(app_store())
    return current_app.extensions["portal.drafts"]


def draft_or_404(assessment, token):
    """The draft behind a resume link, or the page that explains why there is none."""
    try:
        return drafts().load(assessment, token)
    except (DraftNotFound, DraftExpired, DraftDeleted) as gone:
        abort(draft_gone(gone))


@assessment_blueprint.errorhandler(DraftNotFound)
@assessment_blueprint.errorhandler(DraftExpired)
@assessment_blueprint.errorhandler(DraftDeleted)
def draft_gone(gone):
    """The page for a draft there is none of; also where a save finds it deleted meanwhile (Drafts.save)."""
    if isinstance(gone, DraftDeleted):
        assessment = current_app.extensions["portal.content"].assessment(request.view_args["assessment_id"])
        page = render_template("assessments/deleted.html", title="Your answers have been deleted", assessment=assessment)
        return make_response(page, 410)
    if isinstance(gone, DraftExpired):
        return make_response(render_template("assessments/expired.html", title="This link has expired"), 410)
    return make_response(render_template("404.html", title="Page not found"), 404)


def section_or_404(assessment, draft, section_id):
    """The section to work on; a submitted draft or a section that cannot start yet sends the user back."""
    section = assessment.section(section_id) or abort(404)
    if not draft.editing:
        abort(redirect(url_for(".confirmation", assessment_id=assessment.id, token=draft.token)))
    if progress.section_status(assessment, section, draft.answers, set(draft.completed)) == progress.CANNOT_START:
        abort(redirect(url_for(".task_list", assessment_id=assessment.id, token=draft.token)))
    return section


def checked_plan(assessment, answers: dict, record: dict | None) -> dict:
    """The plan and its check: a submission as it was checked when sent, a draft as of today."""
    if record is None:
        result = crp.check(answers, crp.today())
    else:
        stored = record.get("carbon_reduction_plan") or {}
        result = crp.check(answers, uk_calendar_day(record["submitted_at"]), stored.get("ruleset"))
    return {"plan": Plan.from_answers(answers), "result": result, "organisation": answers.get("organisation_name")}
