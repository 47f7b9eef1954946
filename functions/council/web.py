"""The council blueprint and what every council page shares: who is signed in, roles, auditing, storage errors.

Every page needs a live session except those in PUBLIC; a page marked `admin_only` refuses viewers with a 403.
"""

from datetime import datetime
from functools import wraps

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from portal import dates
from portal.clock import now

from .. import keep_private

from ..assessment import plans as crp
from ..storage import StorageError, app_store
from . import audit, bidi, kept_reviews, reviews
from .officers import Officers
from .. import signin
from ..signin.sessions import WARN_WITHIN, Sessions
from ..viewer import client_ip  # noqa: F401  (the council pages call it from here)

council_blueprint = Blueprint("council", __name__, url_prefix="/council")
PUBLIC = {"council.sign_in", "council.check_email", "council.use_link", "council.signed_out"}
SESSION_KEY = "council_session"
SESSIONS = "council/sessions/"
SIGN_IN_LINKS = "council/sign-in-links/"


def store():
    return app_store()


def clock():
    """The time now, as every function tells it (tests set PORTAL_CLOCK to move it on)."""
    return now()


def sessions() -> Sessions:
    return Sessions(store(), clock, prefix=SESSIONS)


def officers() -> Officers:
    return Officers(store(), clock)


def audited(action: str, subject: str = "", **details) -> None:
    """Append an audit record for what the signed-in officer just did."""
    audit.record(store(), g.officer.email, action, subject, client_ip(), details, at=clock())


def admin_only(view):
    @wraps(view)
    def checked(*args, **kwargs):
        if not g.officer.is_admin:
            abort(403)
        return view(*args, **kwargs)

    checked.admin_only = True
    return checked


def safe_next(target: str | None) -> str | None:
    """A council page to return to after sign-in; anything else (another site, a scheme) is ignored."""
    return signin.safe_next(target, "/council/")


@council_blueprint.record_once
def load_carbon_reduction_plan_rules(state):
    crp.load_into(state.app)


@council_blueprint.record_once
def isolate_bidi_text(state):
    bidi.install(state.app)


@council_blueprint.before_request
def require_sign_in():
    g.officer = g.council_session = None
    if request.endpoint in PUBLIC:
        return None
    had_session = SESSION_KEY in session
    found = sessions().find(session.get(SESSION_KEY))
    officer = officers().find(found.email) if found else None
    if officer is None or officer.disabled:
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        kept = _keep_a_review_the_session_missed()
        session.pop(SESSION_KEY, None)
        return redirect(
            url_for(
                "council.sign_in", next=kept or safe_next(wanted), expired=1 if had_session else None, kept=1 if kept else None
            )
        )
    g.council_session = sessions().touch(found)
    g.officer = officer
    return None


def _keep_a_review_the_session_missed() -> str | None:
    """A review posted just after the officer's session ran out (its CSRF token already checked): kept for them, and
    the page to return to after signing in again, where it is put back in the form; None for anything else."""
    if request.endpoint != "council.change_status":
        return None
    ended = sessions().find_ended_by_time(session.get(SESSION_KEY))
    officer = officers().find(ended.email) if ended else None
    if officer is None or officer.disabled:
        return None
    assessment_id, reference = request.view_args["assessment_id"], request.view_args["reference"]
    kept_reviews.keep(
        store(),
        officer.email,
        assessment_id,
        reference,
        request.form.get("status", "")[:50],
        request.form.get("note", "")[: reviews.NOTE_LIMIT * 2],
        clock(),
    )
    return url_for("council.submission", assessment_id=assessment_id, reference=reference, kept=1)


keep_private(council_blueprint, kept="submissions")


@council_blueprint.app_template_global()
def council_session_notice() -> dict | None:
    """When the session ends, for the banner on every council page: it works without JavaScript."""
    current = g.get("council_session")
    if current is None:
        return None
    left = current.expires_at - clock()
    return {
        "expires_at": current.expires_at,
        "soon": left <= WARN_WITHIN,
        "seconds_left": max(int(left.total_seconds()), 0),
        "can_extend": current.expires_at < current.ends_for_good_at,
    }


@council_blueprint.app_template_filter()
def uk_time(value) -> str:
    """A time (datetime or ISO string) as a person in the UK reads it: 23 November 2026 at 2:35pm."""
    return dates.uk_date_and_time(datetime.fromisoformat(value) if isinstance(value, str) else value)


@council_blueprint.app_template_filter()
def uk_clock(value) -> str:
    """Only the time of day, in UK time: 2:35pm."""
    return dates.uk_time(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _refused(action: str, subject: str, **details) -> None:
    """Record a refusal under the signed-in officer, else whoever's session cookie came with it, else "anonymous".
    With storage down it is logged instead: an error handler that failed would turn the refusal into a 500."""
    try:
        who = g.officer.email if g.get("officer") else None
        if who is None:
            found = sessions().find(session.get(SESSION_KEY))
            who = found.email if found else "anonymous"
        audit.record(store(), who, action, subject, client_ip(), details, at=clock())
    except StorageError:
        current_app.logger.exception("Could not record %s for %s in the audit log", action, subject)


@council_blueprint.errorhandler(403)
def not_allowed(error):
    """A signed-in officer without the role (anyone else is sent to sign in before a view can refuse them)."""
    _refused("refused-not-allowed", request.path, method=request.method)
    return render_template("council/forbidden.html", title="You cannot see this page"), 403


@council_blueprint.errorhandler(CSRFError)
def form_expired(error):
    """A council form posted without its token (another site's, or a stale page's): refused, and on the record,
    under the officer whose session cookie came with it, if any (the check runs before sign-in is looked at)."""
    _refused("refused-csrf", request.path, method=request.method, reason=error.description)
    return render_template("form_expired.html", title="Your form could not be sent"), 400
