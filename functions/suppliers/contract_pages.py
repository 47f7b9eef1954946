"""A supplier contact's contracts: each contract's reporting schedule, with where each return stands and what the
council said about it. A contact sees only the contracts they hold a standing grant for; any other is not found."""

from flask import abort, current_app, g, get_flashed_messages, render_template

from portal.clock import uk_today
from portal.contracts import STATUSES, period_status, reporting_periods
from portal.dates import uk_date

from ..contracts.records import Contracts
from ..contracts.returns import Returns
from .web import contacts, store, supplier_blueprint

__all__ = ["contract_or_404", "period_label", "returns"]


def returns() -> Returns:
    return Returns(store())


def content():
    return current_app.extensions["portal.content"]


def contract_or_404(contract_id: str):
    """The contract the signed-in contact reports on, and its version number; 404 for any other."""
    if not any(grant.kind == "contract" and grant.subject == contract_id for grant in contacts().grants(g.supplier)):
        abort(404)
    return Contracts(store()).get(contract_id) or abort(404)


def period_label(period) -> str:
    return f"{uk_date(period.start)} to {uk_date(period.end)}"


def latest_reviews(contract_id: str) -> dict:
    """The last decision on each (period, version), with its note: the council's query is what a contact acts on."""
    return {(review.period_id, review.version): review for review in Contracts(store()).reviews(contract_id)}


@supplier_blueprint.get("/contracts/<contract_id>/")
def contract(contract_id):
    found, _ = contract_or_404(contract_id)
    sent, drafted = returns().sent_and_drafted(contract_id)
    reviews = latest_reviews(contract_id)
    today = uk_today()
    schedule = []
    for period in reporting_periods(found, content().contracts.return_due_days):
        latest = sent.get(period.id, [])[-1:] or [None]
        review = reviews.get((period.id, latest[0].version)) if latest[0] else None
        status = period_status(period, today, latest[0], review)
        schedule.append(
            {
                "period": period,
                "label": period_label(period),
                "status": status,
                "status_text": STATUSES[status],
                "version": latest[0].version if latest[0] else None,
                "note": review.note if review and review.outcome in ("queried", "rejected") else None,
                "drafted": period.id in drafted and not latest[0],  # a draft of a correction shows on the form
            }
        )
    measures = [(c, content().measure(c.measure_code.lower())) for c in found.commitments]
    return render_template(
        "supplier/contract.html",
        title=found.title,
        contract=found,
        contract_id=contract_id,
        schedule=schedule,
        measures=measures,
        saved=get_flashed_messages(category_filter=["saved"]),
        breadcrumbs=[],
    )
