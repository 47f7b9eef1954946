"""Officers' downloads built by functions/exports/: an evidence pack, and the listed submissions as CSV or XLSX;
and an event's registrations as CSV or XLSX (functions/exports/registrations.py, as the command line makes them). Each is
written into storage under exports/, audited, then fetched through a short-lived link. The listed submissions'
evidence as one ZIP takes too long to build while the officer waits: export_job_pages.py builds it in the background.

They are posts (with a CSRF token), since each writes a new file into storage; the browser follows the redirect
to the link and saves the file, staying on the page it was on.
"""

import secrets
from datetime import timezone

from flask import abort, current_app, redirect, render_template, request

from ..exports import registrations as event_export

from ..exports import packs, spreadsheets
from ..exports.columns import UnknownColumns
from ..exports.submissions import Submission, SubmissionFilter, find_submissions
from ..storage import NotFound, filename_metadata
from . import submissions as submitted
from .download_pages import LINK_SECONDS
from .event_pages import event_or_stored, everyone_at
from .pages import _assessment, _filters
from .web import audited, clock, council_blueprint, store

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _link(key: str, filename: str, content_type: str):
    return redirect(store().download_url(key, filename, LINK_SECONDS, content_type), 303)


def _stamp() -> str:
    return f"{clock():%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


@council_blueprint.post("/submissions/<assessment_id>/<reference>/evidence-pack")
def evidence_pack(assessment_id, reference):
    assessment = _assessment(assessment_id)
    try:
        record = submitted.versions(store(), assessment_id, reference)[-1]
    except (NotFound, ValueError):
        abort(404)
    key = packs.evidence_pack(
        store(),
        Submission(assessment, record),
        current_app.config.get("PORTAL_MALWARE_SCANNER"),
        clock=lambda: clock().astimezone(timezone.utc),
    )
    filename = store().read_metadata(key).get("filename", f"{reference}-evidence-pack.zip")
    audited("downloaded-evidence-pack", reference, export=key)
    return _link(key, filename, "application/zip")


def listed_submissions() -> list[Submission]:
    """The submissions the list shows with the filters in the form (every page of them), newest first."""
    filters = _filters()
    if filters.errors:
        abort(400)
    shown = {(s.assessment_id, s.reference) for s in submitted.apply(submitted.summaries(store()), filters)}
    found = find_submissions(
        store(),
        current_app.extensions["portal.content"].assessments,
        SubmissionFilter(submitted_from=filters.submitted_from, submitted_to=filters.submitted_to),
    )
    return [s for s in found if (s.assessment.id, s.record["reference"]) in shown]


@council_blueprint.post("/exports/submissions")
def export_submissions():
    file_format = request.args.get("format")
    if file_format not in FORMATS:
        abort(400)
    listed = listed_submissions()
    groups = {}
    for submission in listed:
        groups.setdefault(submission.assessment.id, (submission.assessment, []))[1].append(submission.record)
    if file_format == "csv":
        assessment = _assessment(request.args.get("assessment", ""))
        # The list page offers a tick box per column; a form without them (another client) gets every column.
        chosen = request.form.getlist(f"columns-{assessment.id}") if "choosing-columns" in request.form else None
        if chosen == []:
            return _export_problem("Choose at least one column for the CSV. Go back and tick the columns you want.")
        try:
            data = spreadsheets.to_csv(assessment, groups.get(assessment.id, (assessment, []))[1], chosen)
        except UnknownColumns as error:
            return _export_problem(f"{error}. Go back and choose from the columns listed.")
    else:
        data = spreadsheets.to_xlsx(list(groups.values()))
    filename = f"submissions-{clock():%Y-%m-%d}.{file_format}"
    key = f"exports/spreadsheets/{_stamp()}.{file_format}"
    store().create(key, data, FORMATS[file_format], filename_metadata(filename))
    audited("downloaded-submissions", "", format=file_format, submissions=len(listed), export=key)
    return _link(key, filename, FORMATS[file_format])


def _export_problem(message: str):
    return render_template("error.html", title="There is a problem with your download", message=message), 400


@council_blueprint.post("/exports/events/<slug>")
def export_event_registrations(slug):
    event = event_or_stored(slug)  # an event no longer in the content still has its stored registrations
    file_format = request.args.get("format")
    if file_format not in FORMATS:
        abort(400)
    table = event_export.rows(everyone_at(slug, event))
    data = event_export.to_file(table, file_format, slug)
    filename = f"{slug}-registrations-{clock():%Y-%m-%d}.{file_format}"
    key = f"exports/registrations/{_stamp()}.{file_format}"
    store().create(key, data, FORMATS[file_format], filename_metadata(filename))
    audited("downloaded-event-registrations", slug, format=file_format, registrations=len(table), export=key)
    return _link(key, filename, FORMATS[file_format])
