"""The readiness checklist function: one page of a theme's questions in, an instant readiness result out. Stores nothing."""

from flask import Blueprint, render_template

from portal.questionnaire import progress
from portal.questionnaire.forms import form_class
from portal.site import checklist_page, render_checklist

checklist_blueprint = Blueprint("checklist", __name__, url_prefix="/checklists/<assessment_id>/<section_id>")


@checklist_blueprint.after_request
def never_cache_answers(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@checklist_blueprint.post("/result")
def result(assessment_id, section_id):
    assessment, section = checklist_page(assessment_id, section_id)
    form = form_class(section.questions)(meta={"csrf": False})  # posted from a static page, and stores nothing
    if not form.validate_on_submit():
        return render_checklist(assessment, section, form), 400
    answers = {k: v for k, v in form.answers.items() if v is not None}
    return render_template(
        "checklists/result.html",
        assessment=assessment,
        section=section,
        readiness=progress.readiness(assessment, section, answers),
        title=f"Your result: {section.title}",
    )
