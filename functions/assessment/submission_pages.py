"""What a supplier sent, through its resume link: the confirmation page, a PDF of the whole submission, updating
what was sent; and deleting answers never sent."""

from flask import abort, current_app, make_response, redirect, render_template, request, url_for

from portal.crp.pdf import PdfUnavailable, pdf_from_html
from portal.questionnaire import progress
from portal.questionnaire.answers import display_answer

from . import plans as crp

from ..mail import mailer

from ..mail import outbox
from .web import assessment_blueprint, assessment_or_404, checked_plan, draft_or_404, drafts
from ..storage import NotFound, StorageError


def submission_page(assessment, record: dict) -> dict:
    """Everything the confirmation page, its PDF and the email say about one sent submission."""
    answers = record["answers"]
    return {
        "assessment": assessment,
        "record": record,
        "readiness": progress.readiness_by_theme(assessment, answers),
        "summary": [
            (s, [(q, display_answer(q, answers.get(q.id))) for q in progress.shown_questions(s, answers)])
            for s in assessment.sections
        ],
        "carbon_plan": checked_plan(assessment, answers, record) if crp.applies(assessment, answers) else None,
        "evidence": [
            (slot, entries)
            for slot in assessment.evidence_slots
            if (entries := [e for e in record.get("evidence", []) if slot.id in e["slots"]])
        ],
    }


@assessment_blueprint.post("/<token>/submit")
def submit(assessment_id, token):
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    if not draft.editing:  # sent already (a double click, or Back and Send again): nothing new to send
        return redirect(url_for(".confirmation", assessment_id=assessment.id, token=token), 303)
    if not progress.ready_to_submit(assessment, draft.answers, set(draft.completed)):
        return redirect(url_for(".task_list", assessment_id=assessment.id, token=token), 303)
    drafts().submit(
        assessment,
        draft,
        plan_check=crp.record_check(assessment),
        when_stored=lambda record: email_the_submission(assessment, record, token),
    )
    return redirect(url_for(".confirmation", assessment_id=assessment.id, token=token), 303)


def _sent(assessment_id, token):
    """The assessment, the draft and its newest sent version; an unsent draft goes back to its task list."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    if draft.reference is None:
        abort(redirect(url_for(".task_list", assessment_id=assessment.id, token=token)))
    try:
        return assessment, draft, drafts().submission(assessment, draft.reference)
    except NotFound:
        abort(404)


@assessment_blueprint.get("/<token>/confirmation/")
def confirmation(assessment_id, token):
    assessment, draft, record = _sent(assessment_id, token)
    return render_template(
        "assessments/confirmation.html",
        title="Self-assessment submitted",
        token=token,
        updating=draft.editing,
        **submission_page(assessment, record),
    )


def submission_pdf(assessment, record: dict) -> bytes:
    """The whole submission as a tagged PDF (PdfUnavailable where WeasyPrint cannot run)."""
    return pdf_from_html(render_template("assessments/submission_document.html", **submission_page(assessment, record)))


def pdf_name(record: dict) -> str:
    return f"self-assessment-{record['reference']}.pdf"


def email_the_submission(assessment, record: dict, token: str) -> None:
    """Tell the supplier what it sent, where it gave an email address: through the outbox, so an email outage
    loses nothing. Never fails the sending itself: the submission is stored already."""
    address = next(
        (record["answers"][q.id] for q in assessment.questions if q.kind.is_contact and record["answers"].get(q.id)), None
    )
    if address is None:
        return
    site = current_app.extensions["portal.content"].site
    page = submission_page(assessment, record)
    try:
        pdf = submission_pdf(assessment, record)
    except PdfUnavailable:
        current_app.logger.exception("Could not make a PDF of a self-assessment for its email")
        pdf = None
    confirmation = current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(
        ".confirmation", assessment_id=assessment.id, token=token
    )
    body = render_template("assessments/submitted_email.txt", link=confirmation, attached=pdf is not None, **page)
    try:
        message = mailer.compose(
            site.council.contact_email, address, f"We have received your {assessment.title.lower()}: {record['reference']}", body
        )
    except mailer.NotAnAddress:
        current_app.logger.warning("No email about sent self-assessment %s: its address cannot be sent to", record["reference"])
        return
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name(record))
    try:
        outbox.post(drafts().store, message)
    except StorageError:
        current_app.logger.exception("Could not store the email about a sent self-assessment")


@assessment_blueprint.get("/<token>/your-self-assessment.pdf")
def confirmation_pdf(assessment_id, token):
    assessment, draft, record = _sent(assessment_id, token)
    try:
        pdf = submission_pdf(assessment, record)
    except PdfUnavailable:
        current_app.logger.exception("Could not make a PDF of a self-assessment")
        return render_template(
            "crp/pdf_unavailable.html",
            title="Sorry, we cannot make a PDF just now",
            print_text="view your self-assessment",
            print_href=url_for(".confirmation", assessment_id=assessment.id, token=token),
        ), 503
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_name(record)}"'
    return response


@assessment_blueprint.post("/<token>/update")
def update(assessment_id, token):
    """Change what was sent: the answers start from the newest version sent, and sending again adds a version."""
    assessment, draft, record = _sent(assessment_id, token)
    if not draft.editing:
        drafts().update(assessment, draft)
    return redirect(url_for(".task_list", assessment_id=assessment.id, token=token), 303)


@assessment_blueprint.route("/<token>/delete", methods=["GET", "POST"])
def delete(assessment_id, token):
    """Delete answers never sent, and their files, for good; a sent submission is the council's record."""
    assessment = assessment_or_404(assessment_id)
    draft = draft_or_404(assessment, token)
    if draft.reference is not None:
        return redirect(url_for(".confirmation", assessment_id=assessment.id, token=token))
    back = url_for(".task_list", assessment_id=assessment.id, token=token)
    if request.method == "POST":
        drafts().delete(assessment, token)
        return render_template(
            "assessments/deleted.html", title="Your answers have been deleted", assessment=assessment, just_deleted=True
        )
    return render_template(
        "assessments/delete.html",
        title="Are you sure you want to delete your answers?",
        assessment=assessment,
        draft=draft,
        back=back,
    )
