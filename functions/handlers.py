"""Lambda entries: each wraps a Flask app holding only its own function, through apig-wsgi (HTTP API payload v2).

The app is built on the first request, not at import, so a cold start imports only what it needs.
"""

from dataclasses import asdict

from apig_wsgi import make_lambda_handler

_handlers = {}  # function name -> (its Flask app, the Lambda handler wrapping it)


def _built(function_name: str):
    if function_name not in _handlers:
        from portal import create_app

        app = create_app(functions=(function_name,))
        _handlers[function_name] = (app, make_lambda_handler(app, binary_support=True))
    return _handlers[function_name]


def _handler(function_name: str):
    return _built(function_name)[1]


def assessment(event, context):
    """The self-assessment function."""
    return _handler("assessment")(event, context)


def checklist(event, context):
    """The readiness checklist function."""
    return _handler("checklist")(event, context)


def register(event, context):
    """Event registration: register, view and cancel."""
    return _handler("register")(event, context)


def council_api(event, context):
    """The council's read-only JSON API, for its own systems."""
    return _handler("council_api")(event, context)


def event_reminders(event, context):
    """Run by EventBridge schedules: every 15 minutes, places freed by more capacity and changes to events; each
    morning (input {"reminders": true}) also the reminders for events that start tomorrow."""
    from functions.events.reminders import run_schedule

    app = _built("register")[0]  # the emails' private links are the register function's pages
    with app.test_request_context(base_url=app.config["PORTAL_BASE_URL"]):
        return run_schedule(reminders=bool((event or {}).get("reminders")))


def supplier(event, context):
    """The supplier pages: sign-in by emailed link, and what a supplier contact or Charter signatory does there."""
    return _handler("supplier")(event, context)


def council(event, context):
    """The council pages: sign-in, submissions, reviews, downloads and the audit log."""
    return _handler("council")(event, context)


def evidence_export(event, context):
    """Run by S3's "Object Created" event (through EventBridge) when the council pages store an evidence ZIP job
    record: builds the ZIP (functions/exports/jobs.py). Any other event is ignored."""
    from functions.exports.job_runs import job_id_in_s3_event, run_for_app
    from functions.storage import app_store

    app = _built("council")[0]
    with app.app_context():
        storage = app_store()
        job_id = job_id_in_s3_event(event, getattr(storage, "bucket", None), getattr(storage, "prefix", ""))
    return {"job": job_id, "state": run_for_app(app, job_id).state if job_id else None}


def council_purge(event, context):
    """Run daily by an EventBridge schedule: delete what is past its retention period."""
    from functions.council.retention import purge
    from functions.storage import app_store
    from portal.clock import now

    app = _built("council")[0]
    with app.app_context():
        result = purge(
            app_store(), now(), app.config["PORTAL_SUBMISSION_RETENTION_DAYS"], app.config["PORTAL_AUDIT_RETENTION_DAYS"]
        )
        return {
            "drafts": result.drafts,
            "submissions": len(result.submissions),
            "evidence_files": result.evidence_files,
            "audit_records": result.audit_records,
            "unconfirmed_charter_sign_ups": result.unconfirmed_sign_ups,
        }


def council_notifications(event, context):
    """Run daily by an EventBridge schedule: the daily email of new submissions to officers who asked for it."""
    from functions.council.notifications import notify
    from functions.storage import app_store
    from portal.clock import now

    app = _built("council")[0]  # the email's links are the council function's pages
    with app.test_request_context(base_url=app.config["PORTAL_BASE_URL"]):
        return asdict(notify(app_store(), now()))


def contract_chasing(event, context):
    """Run daily by an EventBridge schedule: remind suppliers of returns due and overdue, and tell contract managers
    of long-overdue ones (functions/contracts/chasing.py); each reminder is sent once however often it runs."""
    from functions.contracts.chasing import chase
    from functions.storage import app_store
    from portal.clock import now, uk_today

    app = _built("council")[0]
    with app.app_context():
        result = chase(
            app_store(app), app.extensions["portal.content"], uk_today(), now(), app.config["PORTAL_BASE_URL"].rstrip("/")
        )
    return {"contracts": result.contracts, "sent": result.sent, "already_sent": result.already_sent, "failed": result.failed}


def charter(event, context):
    """The Charter: sign up, confirm, the signatory's own page (updates, leaving) and concerns."""
    return _handler("charter")(event, context)


def charter_reminders(event, context):
    """Run daily by an EventBridge schedule: ask for yearly Charter updates that are due, and tell officers of lapses."""
    from functions.charter.reminders import run_for_app

    app = _built("charter")[0]  # the emails' private links are the Charter function's pages
    with app.test_request_context(base_url=app.config["PORTAL_BASE_URL"]):
        return run_for_app()


def evidence_retention(event, context):
    """Run daily by an EventBridge schedule: delete evidence files that no draft or submission needs any more."""
    from functions.assessment.evidence_retention import delete_abandoned_evidence
    from functions.storage import app_store

    app = _built("assessment")[0]
    store = app_store(app)
    return {"deleted": delete_abandoned_evidence(store, app.extensions["portal.content"].assessments.values())}


def email_sender(event, context):
    """Run every minute by an EventBridge schedule: deliver the stored emails that are due (functions/mail/outbox.py)."""
    from functions.mail.outbox import deliver_due
    from functions.storage import app_store

    if "email_sender" not in _handlers:
        from portal import create_app

        _handlers["email_sender"] = (create_app(functions=()), None)  # no pages: the settings, the clock, the transport
    app = _handlers["email_sender"][0]
    with app.app_context():
        return asdict(deliver_due(app_store(app)))
