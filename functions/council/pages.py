"""The officers' pages: the submissions list, one submission, its review status, and daily email settings."""

from datetime import date, timedelta

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.dates import uk_calendar_day
from portal.crp.plan import Plan

from ..assessment import plans as crp
from ..exports.columns import columns
from ..storage import NotFound
from . import download_pages, kept_reviews, reviews
from . import submissions as submitted
from .web import audited, clock, council_blueprint, officers, store

EXPIRY_WARNING = timedelta(days=90)
FILTER_KEYS = ("theme", "level", "status", "from", "to", "sort")  # all that the list's links carry, besides the page


def filter_query(values) -> dict[str, str]:
    """The list's own filters from a query string (or a job's stored copy), for its links: any other key, such as
    url_for's `_external` or `_anchor`, or a `format` that clashes with a link's own, never reaches url_for."""
    return {name: values[name] for name in FILTER_KEYS if isinstance(values.get(name), str) and values[name]}


def _assessment(assessment_id):
    return current_app.extensions["portal.content"].assessment(assessment_id) or abort(404)


def _filters() -> submitted.Filters:
    """The list's filters from the query string; a date typed wrongly is an error message, not a 500."""
    args, errors, dates = request.args, {}, {}
    for name, label in (("from", "Sent on or after"), ("to", "Sent on or before")):
        raw = args.get(name, "").strip()
        if raw:
            try:
                dates[name] = _typed_date(raw)
            except ValueError:
                errors[name] = f"{label} must be a real date, like 23/11/2026"
    themes = {s.id for a in current_app.extensions["portal.content"].assessments.values() for s in a.scored_sections}
    levels = {l.id for a in current_app.extensions["portal.content"].assessments.values() for l in a.levels}
    try:
        number = int(args.get("page", "1"))
    except ValueError:
        number = 1
    return submitted.Filters(
        theme=args.get("theme") if args.get("theme") in themes else "",
        level=args.get("level") if args.get("level") in levels else "",
        status=args.get("status") if args.get("status") in reviews.STATUSES else "",
        submitted_from=dates.get("from"),
        submitted_to=dates.get("to"),
        sort=args.get("sort") if args.get("sort") in submitted.SORTS else "newest",
        page=number,
        errors=errors,
    )


def _typed_date(raw: str) -> date:
    """A date as people type it (23/11/2026) or as a date picker sends it (2026-11-23); ValueError otherwise."""
    if "/" in raw:
        day, month, year = raw.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(raw)


@council_blueprint.get("/")
def home():
    """/council/, as an officer types it: the submissions list, where signing in lands too."""
    return redirect(url_for("council.submissions"))


@council_blueprint.get("/submissions/")
def submissions():
    filters = _filters()
    found = submitted.apply(submitted.summaries(store()), filters)
    page = submitted.page_of(found, filters.page)
    audited("viewed-submissions-list", "", page=page.number, shown=len(page.items))
    assessments = list(current_app.extensions["portal.content"].assessments.values())
    query = filter_query(request.args)
    return render_template(
        "council/submissions.html",
        title="Submissions",
        page=page,
        filters=filters,
        assessments=assessments,
        csv_columns={assessment.id: columns(assessment) for assessment in assessments},
        statuses=reviews.STATUSES,
        sorts=submitted.SORTS,
        query=query,
        error_title=bool(filters.errors),
    ), 400 if filters.errors else 200


def _submission(assessment_id, reference):
    assessment = _assessment(assessment_id)
    try:
        return assessment, submitted.versions(store(), assessment_id, reference)
    except (NotFound, ValueError):  # ValueError: a reference no key can hold
        abort(404)


@council_blueprint.get("/submissions/<assessment_id>/<reference>/")
def submission(assessment_id, reference):
    assessment, all_versions = _submission(assessment_id, reference)
    audited("viewed-submission", reference)
    kept = (
        kept_reviews.take(store(), g.officer.email, assessment_id, reference, clock())
        if request.args.get("kept") == "1"
        else None
    )
    if kept:
        return _render_submission(
            assessment, all_versions, status_value=kept["status"] or None, note_value=kept["note"], kept=True
        )
    return _render_submission(assessment, all_versions)


def _render_submission(assessment, all_versions, error=None, status_value=None, note_value="", kept=False):
    record = all_versions[-1]
    answers = record["answers"]
    history = reviews.history(store(), assessment.id, record["reference"])
    today = uk_calendar_day(clock())
    evidence = [_evidence_row(item, today) for item in record.get("evidence") or []]
    earlier = [
        {
            "version": number,
            "submitted_at": version["submitted_at"],
            "changes": submitted.changes(assessment, all_versions[number - 2]["answers"], version["answers"]),
        }
        for number, version in enumerate(all_versions, start=1)
        if number > 1
    ]
    plan = None
    if crp.applies(assessment, answers):
        stored = record.get("carbon_reduction_plan") or {}
        plan = crp.check(answers, uk_calendar_day(record["submitted_at"]), stored.get("ruleset"))
    return render_template(
        "council/submission.html",
        title=f"Submission {record['reference']}",
        assessment=assessment,
        record=record,
        rows=submitted.answer_rows(assessment, answers),
        readiness=_readiness(assessment, record),
        plan=plan,
        plan_facts=Plan.from_answers(answers) if plan else None,
        evidence=evidence,
        earlier=earlier,
        history=history,
        statuses=reviews.STATUSES,
        current_status=history[-1]["status"] if history else "new",
        error=error,
        status_value=status_value,
        note_value=note_value,
        error_title=bool(error),
        kept=kept,
    ), 400 if error else 200


def _readiness(assessment, record) -> list[dict]:
    levels = {level.id: level.label for level in assessment.levels}
    sections = {section.id: section.title for section in assessment.sections}
    return [
        {"theme": sections.get(theme, theme), "level": levels.get(value["level"], value["level"]), "percent": value["percent"]}
        for theme, value in (record.get("readiness") or {}).items()
    ]


def _evidence_row(item: dict, today: date) -> dict:
    """An evidence file with a flag when its 'valid until' date has passed or falls within 90 days."""
    valid_until = None
    if item.get("valid_until"):
        try:
            valid_until = date.fromisoformat(item["valid_until"])
        except ValueError:
            valid_until = None
    flag = None
    if valid_until is not None:
        flag = "expired" if valid_until < today else "expiring" if valid_until <= today + EXPIRY_WARNING else None
    return {**item, "valid_until_date": valid_until, "flag": flag, "scan": download_pages.scan_status(item)}


@council_blueprint.post("/submissions/<assessment_id>/<reference>/status")
def change_status(assessment_id, reference):
    assessment, all_versions = _submission(assessment_id, reference)
    status, note = request.form.get("status", ""), request.form.get("note", "")
    try:
        review = reviews.change(store(), assessment_id, reference, status, note, g.officer.email, at=clock())
    except reviews.ReviewInvalid as invalid:
        return _render_submission(
            assessment, all_versions, error=str(invalid), status_value=status, note_value=note[: reviews.NOTE_LIMIT * 2]
        )
    audited("changed-status", reference, status=review["status"], note=review["note"])
    return redirect(url_for(".submission", assessment_id=assessment_id, reference=reference, changed=1) + "#review", 303)


@council_blueprint.route("/notifications", methods=["GET", "POST"])
def notifications():
    officer = g.officer
    if request.method == "POST":
        choice = request.form.get("notify_daily")
        if choice not in ("yes", "no"):
            return render_template(
                "council/notifications.html",
                title="Daily email",
                officer=officer,
                error="Select yes if you want a daily email about new submissions",
                error_title=True,
            ), 400
        officer = officers().change(officer, notify_daily=choice == "yes")
        audited("changed-notifications", "", notify_daily=officer.notify_daily)
        return redirect(url_for(".notifications", saved=1), 303)
    return render_template(
        "council/notifications.html", title="Daily email", officer=officer, error=None, saved=request.args.get("saved") == "1"
    )
