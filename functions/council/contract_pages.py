"""Contracts after the award, as officers read them: the list, a contract's page (its schedule, and committed
against claimed against verified for each commitment, as a chart with its table) and its history. The list reads
the index of contracts and a page its contract's summary, both kept when records are written (decision 14), never
every record."""

from flask import abort, current_app, g, render_template, request

from portal.clock import uk_today
from portal.contracts import BASES, STATUSES, bar_chart_svg, table_rows
from markupsafe import Markup

from ..contracts import summaries
from ..contracts.records import Contracts, deserialise
from .submissions import page_of
from .web import audited, clock, council_blueprint, store

SHOW = {"": "All contracts", "overdue": "With a return overdue", "to_review": "With a return to review"}
SORTS = {"title": "Title, A to Z", "supplier": "Supplier, A to Z", "ending": "Ending soonest", "newest": "Recorded last"}


def _content():
    return current_app.extensions["portal.content"]


def _list_item(entry: dict, today) -> dict:
    return {
        "id": entry["contract_id"],
        "title": entry["title"],
        "reference": entry["reference"],
        "supplier": entry["supplier_name"],
        "end": entry["end"],
        "start": entry["start"],
        "commitments": entry["commitments"],
        **summaries.counts(entry, today),
    }


@council_blueprint.get("/contracts/")
def contracts():
    today = uk_today()
    show = request.args.get("show") if request.args.get("show") in SHOW else ""
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "title"
    search = request.args.get("q", "")[:100].strip()
    items = [_list_item(entry, today) for entry in summaries.listed(store())]
    if show:
        items = [item for item in items if item[show]]
    if search:
        words = search.casefold()
        items = [i for i in items if words in f"{i['title']} {i['reference']} {i['supplier']}".casefold()]
    key = {
        "title": lambda i: i["title"].casefold(),
        "supplier": lambda i: i["supplier"].casefold(),
        "ending": lambda i: i["end"],
        "newest": lambda i: i["id"],
    }[sort]
    items.sort(key=key)
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    page = page_of(items, number)
    audited("viewed-contracts-list", "", page=page.number, shown=len(page.items))
    query = {k: v for k, v in (("show", show), ("sort", sort if sort != "title" else ""), ("q", search)) if v}
    return render_template(
        "council/contracts.html",
        title="Contracts",
        page=page,
        show=show,
        sort=sort,
        search=search,
        shows=SHOW,
        sorts=SORTS,
        query=query,
    )


def _summary_or_404(contract_id: str) -> dict:
    found = summaries.summary(store(), contract_id, _content(), uk_today()) if len(contract_id) == 12 else None
    if found is None or found["contract_id"] != contract_id:
        abort(404)
    return found


@council_blueprint.get("/contracts/<contract_id>/")
def contract(contract_id):
    summary, today = _summary_or_404(contract_id), uk_today()
    audited("viewed-contract", contract_id)
    content = _content()
    commitments = []
    for figures in summaries.commitment_summaries(summary, today):
        code = figures.commitment.measure_code
        commitments.append(
            {
                "figures": figures,
                "measure": content.measure(code.lower()),
                "rows": table_rows(figures),
                "chart": Markup(bar_chart_svg(figures, f"chart-{code}")),
            }
        )
    return render_template(
        "council/contract.html",
        title=summary["contract"]["title"],
        contract=deserialise(summary["contract"]),
        contract_id=contract_id,
        version=summary["version"],
        commitments=commitments,
        bases=BASES,
        schedule=summaries.schedule(summary, today),
        statuses=STATUSES,
        saved=request.args.get("saved") == "1",
        reviewed=request.args.get("reviewed"),
        may_change=g.officer.is_admin,
    )


def _changes(before, after) -> list[str]:
    """What a variation changed, in words an officer scans: the fields and commitments that differ."""
    if before is None:
        return []
    labels = {
        "title": "Title",
        "reference": "Reference",
        "notice_id": "Find a Tender notice",
        "supplier_name": "Supplier",
        "ppon": "PPON",
        "value": "Value",
        "start": "Start date",
        "end": "End date",
        "contract_manager": "Contract manager",
        "supplier_contacts": "Supplier contacts",
    }
    changed = [label for name, label in labels.items() if getattr(before, name) != getattr(after, name)]
    codes = dict.fromkeys([c.measure_code for c in before.commitments] + [c.measure_code for c in after.commitments])
    for code in codes:
        old, new = before.commitment(code), after.commitment(code)
        if old != new:
            changed.append(f"Commitment {code} " + ("added" if old is None else "removed" if new is None else "changed"))
    return changed


@council_blueprint.get("/contracts/<contract_id>/history")
def contract_history(contract_id):
    history = Contracts(store(), clock).history(contract_id) if len(contract_id) == 12 else []
    if not history:
        abort(404)
    audited("viewed-contract-history", contract_id)
    versions = [
        {**h, "changes": _changes(history[i - 1]["contract"] if i else None, h["contract"])} for i, h in enumerate(history)
    ]
    return render_template(
        "council/contract_history.html",
        title=f"History of {history[-1]['contract'].title}",
        contract_id=contract_id,
        versions=list(reversed(versions)),
        bases=BASES,
    )
