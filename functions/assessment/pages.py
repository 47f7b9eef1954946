"""The self-assessment function: start, answer, check, submit. Translates HTTP to the questionnaire core and records."""

from flask import abort, current_app, make_response, redirect, render_template, request, url_for

from portal.crp.pdf import PdfUnavailable, pdf_from_html
from portal.questionnaire import progress
from portal.email_address import FORMAT_MESSAGE, normalised_email_address
from portal.questionnaire.answers import display_answer
from portal.questionnaire.forms import error_summary, form_class, render_params

from .. import keep_private, log_storage_failure, refuse_cross_site_post

from . import plans as crp

from ..mail import mailer

from ..mail import outbox
from .web import assessment_blueprint, assessment_or_404, checked_plan, draft_or_404, drafts, section_or_404
from ..storage import NotFound, StorageError, StorageUnavailable


@assessment_blueprint.record_once
def load_carbon_reduction_plan_rules(state):
    crp.load_into(state.app)


keep_private(assessment_blueprint, kept="answers")


@assessment_blueprint.errorhandler(410)
def expired(error):
    return render_template("assessments/expired.html", title="This link has expired"), 410


@assessment_blueprint.post("/start")
def start(assessment_id):
    """Posted from the static start page, which cannot carry a CSRF token; refuse posts from other sites instead."""
    refuse_cross_site_post()
    assessment = assessment_or_404(assessment_id)
    draft = drafts().start(assessment)
    return redirect(url_for(".task_list", assessment_id=assessment.id, token=draft.token, started=1), 303)


@assessment_blueprint.get("/<token>/")
def task_list(assessment_id, token):
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    if not draft.editing:
        return redirect(url_for(".confirmation", assessment_id=assessment.id, token=token))
    return _render_task_list(assessment, draft)


def _resume_link(assessment, token) -> str:
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(".task_list", assessment_id=assessment.id, token=token)


def _render_task_list(assessment, draft, email_error=None, email_value=""):
    completed = set(draft.completed)
    statuses = {s.id: progress.section_status(assessment, s, draft.answers, completed) for s in assessment.sections}
    return render_template(
        "assessments/task_list.html",
        assessment=assessment,
        draft=draft,
        statuses=statuses,
        ready=progress.ready_to_submit(assessment, draft.answers, completed),
        resume_link=_resume_link(assessment, draft.token),
        title=f"Your answers: {assessment.title}",
        just_started=request.args.get("started") == "1",
        emailed=request.args.get("emailed") == "1",
        email_error=email_error,
        email_value=email_value,
        error_title=bool(email_error),
    )


@assessment_blueprint.post("/<token>/email-link")
def email_link(assessment_id, token):
    """Send the resume link to an address the supplier gives; the address itself is not stored."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    typed = request.form.get("email", "").strip()
    address = normalised_email_address(typed)
    if not address:
        return _render_task_list(assessment, draft, email_error=FORMAT_MESSAGE, email_value=typed[:254]), 400
    site = current_app.extensions["portal.content"].site
    link = _resume_link(assessment, token)
    body = render_template("assessments/resume_email.txt", assessment=assessment, draft=draft, link=link, site=site)
    try:
        outbox.post(
            drafts().store, mailer.compose(site.council.contact_email, address, f"Your link to {assessment.title.lower()}", body)
        )
    except StorageError:
        current_app.logger.exception("Could not store a resume link's email")
        return _render_task_list(
            assessment,
            draft,
            email_error="We could not send the email just now. Copy the link above instead, or try again later.",
            email_value=address,
        ), 503
    return redirect(url_for(".task_list", assessment_id=assessment.id, token=token, emailed=1), 303)


@assessment_blueprint.route("/<token>/<section_id>/", methods=["GET"])
def section_start(assessment_id, token, section_id):
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section = section_or_404(assessment, draft, section_id)
    first = progress.next_question(section, draft.answers)
    return redirect(url_for(".question", assessment_id=assessment.id, token=token, section_id=section.id, question_id=first.id))


@assessment_blueprint.route("/<token>/<section_id>/<question_id>/", methods=["GET", "POST"])
def question(assessment_id, token, section_id, question_id):
    assessment = assessment_or_404(assessment_id)
    try:
        draft = draft_or_404(assessment, token)
    except StorageUnavailable as failure:
        if request.method != "POST":
            raise
        log_storage_failure(failure)
        return _unsaved_answer(assessment, token, section_id, question_id), 503
    section = section_or_404(assessment, draft, section_id)
    asked = section.question(question_id)
    if asked is None or asked not in progress.shown_questions(section, draft.answers):
        abort(404)
    changing = request.args.get("change") == "1"
    form = form_class((asked,))(data={asked.id: draft.answers.get(asked.id)})
    back = _previous_page(assessment, section, draft, asked, changing)
    if request.method == "POST" and form.validate_on_submit():
        answer = form.answers[asked.id]
        answers = {k: v for k, v in {**draft.answers, asked.id: answer}.items() if v is not None}
        # A changed answer reopens its section, so that the supplier checks it again.
        changed = answer != draft.answers.get(asked.id)
        completed = tuple(c for c in draft.completed if c != section.id) if changed else draft.completed
        try:
            draft = drafts().save(assessment, draft, answers=answers, completed=completed)
        except StorageUnavailable as failure:
            log_storage_failure(failure)
            return _render_question(assessment, section, draft, asked, form, back, save_failed=True), 503
        following = progress.next_question(section, draft.answers, after=asked.id)
        while changing and following is not None and following.id in draft.answers:
            # A change goes back to check answers, unless it opened a question not yet answered.
            following = progress.next_question(section, draft.answers, after=following.id)
        if following is None:
            return redirect(url_for(".check_answers", assessment_id=assessment.id, token=token, section_id=section.id), 303)
        return redirect(
            url_for(
                ".question",
                assessment_id=assessment.id,
                token=token,
                section_id=section.id,
                question_id=following.id,
                change=1 if changing else None,
            ),
            303,
        )
    status = 400 if form.errors else 200
    return _render_question(assessment, section, draft, asked, form, back), status


def _unsaved_answer(assessment, token, section_id, question_id):
    """The question again with what was just posted, when the draft cannot even be read: the answer must not be lost."""
    section = assessment.section(section_id) or abort(404)
    asked = section.question(question_id) or abort(404)
    form = form_class((asked,))()
    form.validate()  # binds and checks the posted answer, so that it is shown as typed
    back = url_for(".task_list", assessment_id=assessment.id, token=token)
    return render_template(
        "assessments/question.html",
        assessment=assessment,
        section=section,
        token=token,
        question=asked,
        form=form,
        params=render_params(asked),
        back=back,
        save_failed=True,
        error_summary=error_summary,
        title=asked.label,
        error_title=True,
    )


def _previous_page(assessment, section, draft, asked, changing):
    url_args = {"assessment_id": assessment.id, "token": draft.token}
    if changing:
        return url_for(".check_answers", section_id=section.id, **url_args)
    shown = progress.shown_questions(section, draft.answers)
    index = shown.index(asked)
    if index == 0:
        return url_for(".task_list", **url_args)
    return url_for(".question", section_id=section.id, question_id=shown[index - 1].id, **url_args)


def _render_question(assessment, section, draft, asked, form, back, save_failed=False):
    return render_template(
        "assessments/question.html",
        assessment=assessment,
        section=section,
        token=draft.token,
        question=asked,
        form=form,
        params=render_params(asked),
        back=back,
        save_failed=save_failed,
        error_summary=error_summary,
        title=asked.label,
        error_title=bool(form.errors) or save_failed,
    )


@assessment_blueprint.route("/<token>/<section_id>/check-answers/", methods=["GET", "POST"])
def check_answers(assessment_id, token, section_id):
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    section = section_or_404(assessment, draft, section_id)
    missing = progress.unanswered(section, draft.answers)
    error = None
    if request.method == "POST":
        choice = request.form.get("completed")
        if choice not in ("yes", "no"):
            error = "Select yes if you have completed this section"
        elif choice == "yes" and missing:
            error = "Answer every question before you mark this section as completed"
        else:
            completed = set(draft.completed) | {section.id} if choice == "yes" else set(draft.completed) - {section.id}
            drafts().save(assessment, draft, completed=tuple(sorted(completed)))
            return redirect(url_for(".task_list", assessment_id=assessment.id, token=token), 303)
    rows = [(q, display_answer(q, draft.answers.get(q.id))) for q in progress.shown_questions(section, draft.answers)]
    # The section that holds a carbon reduction plan links to the plan built from it, once there is one.
    plan_here = crp.applies(assessment, draft.answers) and section.question("has_crp") is not None
    return render_template(
        "assessments/check_answers.html",
        assessment=assessment,
        section=section,
        draft=draft,
        rows=rows,
        missing=missing,
        error=error,
        title=f"Check your answers: {section.title}",
        error_title=bool(error),
        plan_here=plan_here,
        evidence=[
            (slot, [e for e in draft.evidence if slot.id in e["slots"]])
            for slot in progress.section_evidence(section, draft.answers)
        ],
        completed_value=request.form.get("completed")
        if request.method == "POST"
        else ("yes" if section.id in draft.completed else None),
    ), 400 if error else 200


# The carbon reduction plan, written out from the answers: for the supplier's own draft or submission only,
# since the resume link in the address is the only way in.


def _plan_page(assessment_id, token) -> dict:
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    record = None
    if not draft.editing:  # what was sent; a draft, or an update under way, as it stands
        try:
            record = drafts().submission(assessment, draft.reference)
        except NotFound:
            abort(404)
    answers = record["answers"] if record else draft.answers
    if not crp.applies(assessment, answers):
        abort(404)
    back = url_for(".confirmation" if record else ".task_list", assessment_id=assessment.id, token=token)
    return {"assessment": assessment, "draft": draft, "record": record, "back": back, **checked_plan(assessment, answers, record)}


@assessment_blueprint.get("/<token>/your-carbon-reduction-plan/")
def carbon_reduction_plan(assessment_id, token):
    page = _plan_page(assessment_id, token)
    return render_template("crp/plan.html", title="Your carbon reduction plan", **page)


@assessment_blueprint.get("/<token>/your-carbon-reduction-plan.pdf")
def carbon_reduction_plan_pdf(assessment_id, token):
    page = _plan_page(assessment_id, token)
    try:
        pdf = pdf_from_html(render_template("crp/plan_document.html", **page))
    except PdfUnavailable:
        current_app.logger.exception("Could not make a PDF of a carbon reduction plan")
        return render_template("crp/pdf_unavailable.html", title="Sorry, we cannot make a PDF just now", **page), 503
    name = f"carbon-reduction-plan-{page['record']['reference'] if page['record'] else 'draft'}.pdf"
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The evidence pages and the pages about what was sent are routes of this blueprint, kept in their own modules.
from . import evidence_pages, submission_pages  # noqa: E402,F401
