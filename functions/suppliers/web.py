"""The suppliers' blueprint and what every page of it shares: who is signed in, and the accessors.

Every page needs a live session except those in PUBLIC. A session stands only while its address still holds a grant
(functions/signin/contacts.py): an officer who withdraws a contact ends their session at its next request.
"""

import functools

from flask import Blueprint, current_app, g, redirect, request, session, url_for

from portal.clock import now
from portal.contracts import period_of

from .. import keep_private, log_storage_failure
from .. import signin
from ..signin.sessions import Sessions
from ..storage import StorageUnavailable, app_store
from ..signin.contacts import SupplierContacts
from ..contracts.records import Contracts
from ..contracts.returns import Returns, read_based_on

supplier_blueprint = Blueprint("supplier", __name__, url_prefix="/supplier")
PUBLIC = {"supplier.sign_in", "supplier.check_email", "supplier.use_link", "supplier.signed_out"}
SESSION_KEY = "supplier_session"
SESSIONS = "suppliers/sessions/"
SIGN_IN_LINKS = "suppliers/sign-in-links/"
# Posting views whose form, when storage is down, comes back with what was typed (see keeps_answers).
_ANSWERS_KEPT = {}


def store():
    return app_store()


def sessions() -> Sessions:
    return Sessions(store(), now, prefix=SESSIONS)


def contacts() -> SupplierContacts:
    return SupplierContacts(store(), now)


def safe_next(target: str | None) -> str | None:
    """A supplier page to return to after sign-in; anything else (another site, a scheme) is ignored."""
    return signin.safe_next(target, "/supplier/")


def keeps_answers(unsaved):
    """For a view whose POST carries answers: when storage is down, whether at the sign-in check or in the view,
    answer 503 with `unsaved(**view_args)` (the form again, with what was typed and a try-again message)."""

    def wrap(view):
        _ANSWERS_KEPT[f"{supplier_blueprint.name}.{view.__name__}"] = unsaved

        @functools.wraps(view)
        def answering(**view_args):
            try:
                return view(**view_args)
            except StorageUnavailable as failure:
                if request.method != "POST":
                    raise
                log_storage_failure(failure)
                return unsaved(**view_args), 503

        return answering

    return wrap


@supplier_blueprint.before_request
def require_sign_in():
    try:
        return _require_sign_in()
    except StorageUnavailable as failure:
        unsaved = _ANSWERS_KEPT.get(request.endpoint)
        if unsaved is None or request.method != "POST":
            raise
        log_storage_failure(failure)
        return unsaved(**(request.view_args or {})), 503


def _require_sign_in():
    g.supplier = g.supplier_session = None
    if request.endpoint in PUBLIC:
        return None
    had_session = SESSION_KEY in session
    found = sessions().find(session.get(SESSION_KEY))
    if found is None or not contacts().may_sign_in(found.email):
        if found is not None:
            sessions().end(found)  # withdrawn: this session is over, whatever happens next
        kept = _keep_a_return_the_session_missed() if found is None else None
        session.pop(SESSION_KEY, None)
        wanted = request.full_path.rstrip("?") if request.method == "GET" else kept
        return redirect(
            url_for("supplier.sign_in", next=safe_next(wanted), expired=1 if had_session else None, kept=1 if kept else None)
        )
    g.supplier_session = sessions().touch(found)
    g.supplier = found.email
    return None


def _keep_a_return_the_session_missed() -> str | None:
    """A return posted just after the contact's session ran out (its CSRF token already checked), by a contact who
    still reports on the contract: kept as a draft, as "Save and come back later" keeps one, so that signing in again
    opens the form with what they typed. The form's address to go back to; None for anything else."""
    if request.method != "POST" or request.endpoint != "supplier.return_form":
        return None
    ended = sessions().find_ended_by_time(session.get(SESSION_KEY))
    contract_id, period_id = request.view_args["contract_id"], request.view_args["period_id"]
    contracts = Contracts(store(), now)
    if ended is None or not contracts.may_report(ended.email, contract_id):
        return None
    found = contracts.get(contract_id)
    days = current_app.extensions["portal.content"].contracts.return_due_days
    if found is None or period_of(found[0], period_id, days) is None:
        return None
    returns = Returns(store(), now)
    based_on = read_based_on(request.form, returns.versions_sent(contract_id, period_id))
    returns.save_draft(contract_id, period_id, request.form, based_on, ended.email)
    return url_for("supplier.return_form", contract_id=contract_id, period_id=period_id)


keep_private(supplier_blueprint, kept="your returns")
