"""The listed submissions' evidence as one ZIP, built in the background (functions/exports/jobs.py).

Posting the list's form records a job and sends the officer to its page, which says how it is going: preparing,
ready to download, or failed with a way to try again. Only the officer who asked, or an admin, can see a job. The
officer's jobs of the last week (everyone's, for an admin) are listed, so that closing a job's page loses nothing.
PORTAL_EXPORT_JOBS says what runs the job: "thread" (locally, a thread in this process) or "s3-event" (in AWS, the
evidence_export Lambda, started by S3 when the job record is stored).
"""

import threading

from flask import abort, current_app, g, redirect, render_template, url_for

from ..exports import job_runs, jobs
from ..storage import NotFound
from .download_pages import LINK_SECONDS
from .export_pages import listed_submissions
from .pages import _filters, filter_query
from .web import audited, clock, council_blueprint, store

RUNNERS = ("thread", "s3-event")


def _kept_filters(filters) -> dict:
    """The list's filters as checked (anything it ignores is dropped), kept with a job so that "Try again" asks for
    the same submissions."""
    kept = {
        "theme": filters.theme,
        "level": filters.level,
        "status": filters.status,
        "from": filters.submitted_from.isoformat() if filters.submitted_from else "",
        "to": filters.submitted_to.isoformat() if filters.submitted_to else "",
        "sort": "" if filters.sort == "newest" else filters.sort,
    }
    return {name: value for name, value in kept.items() if value}


@council_blueprint.record_once
def check_runner(state):
    """A mistyped setting stops the app at start-up, where whoever deployed it sees why, not at an officer's post."""
    runner = state.app.config.get("PORTAL_EXPORT_JOBS", "thread")
    if runner not in RUNNERS:
        raise ValueError(f"PORTAL_EXPORT_JOBS must be one of {', '.join(RUNNERS)}, not {runner!r}")


@council_blueprint.post("/exports/evidence")
def export_evidence():
    runner = current_app.config.get("PORTAL_EXPORT_JOBS", "thread")
    listed = listed_submissions()
    job = jobs.create_job(store(), g.officer.email, _kept_filters(_filters()), listed, clock())
    audited("asked-for-evidence-zip", "", job=job.id, submissions=len(job.submissions), files=job.files)
    if runner == "thread":
        threading.Thread(
            target=job_runs.run_for_app,
            args=(current_app._get_current_object(), job.id),
            daemon=True,
            name=f"evidence-zip-{job.id}",
        ).start()
    return redirect(url_for("council.export_job", job_id=job.id), 303)


def _own_status(job_id: str) -> jobs.Status:
    """The job's status, for the officer who asked for it or an admin; a 404 for anyone else, as if there were none."""
    try:
        found = jobs.status(store(), job_id, clock())
    except (NotFound, ValueError):  # ValueError: a damaged record, which can be neither shown nor tried again
        audited("refused-evidence-zip", job_id[:100], reason="not found")
        abort(404)
    if found.job.officer != g.officer.email and not g.officer.is_admin:
        audited("refused-evidence-zip", job_id, reason="another officer's")
        abort(404)
    return found


@council_blueprint.get("/exports/jobs/")
def export_jobs():
    listed = jobs.recent(store(), clock(), officer=None if g.officer.is_admin else g.officer.email)
    audited("viewed-evidence-zips", "", shown=len(listed))
    return render_template(
        "council/export_jobs.html",
        title="Evidence ZIPs" if g.officer.is_admin else "Your evidence ZIPs",
        listed=listed,
        jobs=jobs,
        days=jobs.KEPT_FOR.days,
    )


@council_blueprint.get("/exports/jobs/<job_id>/")
def export_job(job_id):
    found = _own_status(job_id)
    audited("viewed-evidence-zip", job_id, state=found.state)
    titles = {
        jobs.PREPARING: "We are preparing your ZIP",
        jobs.READY: "Your ZIP is ready",
        jobs.FAILED: "We could not prepare your ZIP",
    }
    return render_template(
        "council/export_job.html", title=titles[found.state], status=found, jobs=jobs, filters=filter_query(found.job.filters)
    )


@council_blueprint.post("/exports/jobs/<job_id>/download")
def download_export_job(job_id):
    found = _own_status(job_id)
    if found.state != jobs.READY:
        return redirect(url_for("council.export_job", job_id=job_id), 303)
    key, filename = found.result["export"], found.result["filename"]
    try:
        link = store().download_url(key, filename, LINK_SECONDS, "application/zip")
    except NotFound:
        abort(404)  # deleted by the bucket's week-long expiry since the page was shown
    audited("downloaded-evidence-zip", "", job=job_id, submissions=len(found.job.submissions), export=key)
    return redirect(link, 303)
