"""Running an evidence ZIP job (jobs.py) for an app: the council's background thread locally, or the Lambda that
S3's "Object Created" event for the job's record starts."""

from datetime import timezone

from portal.clock import now

from .jobs import Status, job_id_from_key, run_job

__all__ = ["job_id_in_s3_event", "run_for_app"]


def job_id_in_s3_event(event: dict, bucket: str, prefix: str = "") -> str | None:
    """The job that S3's "Object Created" event (delivered by EventBridge) announces, if it is a job record stored in
    `bucket` under the store's `prefix`; None for anything else.

    Job keys hold only letters, digits, '-' and '/', which S3 sends as they are.
    """
    if not isinstance(event, dict) or event.get("source") != "aws.s3" or event.get("detail-type") != "Object Created":
        return None
    detail = event.get("detail")
    if not isinstance(detail, dict):
        return None
    found, where = detail.get("object"), detail.get("bucket")
    if not isinstance(found, dict) or not isinstance(where, dict):
        return None
    key = str(found.get("key", ""))
    if where.get("name") != bucket or not key.startswith(prefix):
        return None
    return job_id_from_key(key[len(prefix) :])


def run_for_app(app, job_id: str) -> Status:
    """Run a job with `app`'s store, content and malware scanner: what the council's thread and the Lambda both call."""
    from ..storage import app_store

    with app.app_context():
        return run_job(
            app_store(),
            job_id,
            app.extensions["portal.content"].assessments,
            app.config.get("PORTAL_MALWARE_SCANNER"),
            clock=lambda: now().astimezone(timezone.utc),
        )
