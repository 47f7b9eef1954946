"""The council's returns page: every contract's returns that need something (due this month, overdue, awaiting
review, queried), filtered by contract, contract manager, measure and priority, sorted and paged without
JavaScript, and downloaded as CSV or XLSX. It reads the summaries kept when records are written (decision 14):
one listing and one small read per contract, never every return."""

import secrets

from flask import current_app, redirect, render_template, request

from portal.clock import uk_today
from portal.contracts import STATUSES

from ..contracts import summaries
from ..contracts.monitoring import every_summary
from ..exports.tables import FORMATS, to_file
from ..storage import filename_metadata
from .download_pages import LINK_SECONDS
from .submissions import page_of
from .web import audited, clock, council_blueprint, store

SHOW = {
    "": "Everything waiting",
    "due_this_month": "Due this month",
    "overdue": "Overdue",
    "awaiting_review": "Awaiting review",
    "queried": "Queried",
}
SORTS = {
    "due": "Due date, earliest first",
    "overdue": "Most days overdue first",
    "contract": "Contract, A to Z",
    "supplier": "Supplier, A to Z",
}
HEADINGS = [
    "Contract",
    "Reference",
    "Supplier",
    "Contract manager",
    "Period from",
    "Period to",
    "Due",
    "Status",
    "Days overdue",
    "Measures",
]


def _content():
    return current_app.extensions["portal.content"]


def _category(status: str, due, today) -> str | None:
    if status == "overdue":
        return "overdue"
    if status == "sent":
        return "awaiting_review"
    if status == "queried":
        return "queried"
    if status in ("due", "not_yet_due") and (due.year, due.month) == (today.year, today.month):
        return "due_this_month"
    return None


def rows_of(summary: dict, today) -> list[dict]:
    """The contract's returns that need something, one per reporting period, with the measures it reports."""
    contract = summary["contract"]
    measures: dict[str, list[str]] = {}
    for kept in summary["commitments"]:
        for period in kept["periods"]:
            measures.setdefault(f"{period['start']}--{period['end']}", []).append(kept["commitment"]["measure_code"])
    found = []
    for entry in summaries.schedule(summary, today):
        period, status = entry["period"], entry["status"]
        category = _category(status, period.due, today)
        if category is None:
            continue
        found.append(
            {
                "contract_id": summary["contract_id"],
                "title": contract["title"],
                "reference": contract["reference"],
                "supplier": contract["supplier_name"],
                "manager": contract["contract_manager"],
                "period": period,
                "status": status,
                "category": category,
                "days_overdue": (today - period.due).days if status == "overdue" else 0,
                "measures": measures.get(period.id, []),
                "sent_version": entry["sent_version"],
            }
        )
    return found


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if isinstance(value, str) and value in allowed else ""


SORT_KEYS = {
    "due": lambda r: (r["period"].due, r["title"].casefold()),
    "overdue": lambda r: (-r["days_overdue"], r["period"].due, r["title"].casefold()),
    "contract": lambda r: (r["title"].casefold(), r["period"].due),
    "supplier": lambda r: (r["supplier"].casefold(), r["period"].due),
}


def _matches(row: dict, filters: dict, in_priority: set[str]) -> bool:
    """Whether a row passes every filter chosen; `in_priority`: the measure codes of the priority chosen."""
    words = filters["q"].casefold()
    return (
        (not filters["show"] or row["category"] == filters["show"])
        and (not filters["manager"] or row["manager"] == filters["manager"])
        and (not filters["measure"] or filters["measure"] in row["measures"])
        and (not filters["priority"] or bool(in_priority.intersection(row["measures"])))
        and (not words or words in f"{row['title']} {row['reference']} {row['supplier']}".casefold())
    )


def _filtered(today):
    """(rows, filters, choices): the rows the query string asks for, in its order."""
    content = _content()
    every = [row for s in every_summary(store()) for row in rows_of(s, today)]
    priorities = {p.id: p.title for p in content.framework.priorities}
    managers = sorted({row["manager"] for row in every})
    codes = sorted({code for row in every for code in row["measures"]})
    filters = {
        "show": _choice("show", SHOW),
        "sort": _choice("sort", SORTS) or "due",
        "manager": _choice("manager", managers),
        "measure": _choice("measure", codes),
        "priority": _choice("priority", priorities),
        "q": request.args.get("q", "")[:100].strip(),
    }
    in_priority = {code for code in codes if getattr(content.measure(code.lower()), "priority", None) == filters["priority"]}
    rows = sorted((r for r in every if _matches(r, filters, in_priority)), key=SORT_KEYS[filters["sort"]])
    counts = {name: sum(1 for r in every if r["category"] == name) for name in SHOW if name}
    titles = {code: getattr(content.measure(code.lower()), "title", "") for code in codes}
    return (
        rows,
        filters,
        {
            "priorities": list(priorities.items()),
            "managers": [(m, m) for m in managers],
            "codes": [(c, f"{c}: {titles[c]}" if titles[c] else c) for c in codes],
            "show_choices": [(k, v) for k, v in SHOW.items() if k],
            "counts": counts,
        },
    )


def _query(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if v and not (k == "sort" and v == "due")}


@council_blueprint.get("/returns/")
def returns():
    today = uk_today()
    rows, filters, choices = _filtered(today)
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    page = page_of(rows, number)
    audited("viewed-returns-list", "", page=page.number, shown=len(page.items))
    return render_template(
        "council/returns.html",
        title="Returns",
        page=page,
        filters=filters,
        query=_query(filters),
        shows=SHOW,
        sorts=SORTS,
        statuses=STATUSES,
        today=today,
        **choices,
    )


@council_blueprint.post("/returns/export")
def export_returns():
    file_format = request.args.get("format")
    if file_format not in FORMATS:
        return render_template("error.html", title="There is a problem with your download", message="Choose CSV or XLSX."), 400
    today = uk_today()
    rows, filters, _ = _filtered(today)
    table = [HEADINGS] + [
        [
            r["title"],
            r["reference"],
            r["supplier"],
            r["manager"],
            r["period"].start,
            r["period"].end,
            r["period"].due,
            STATUSES[r["status"]],
            r["days_overdue"],
            ", ".join(r["measures"]),
        ]
        for r in rows
    ]
    filename = f"returns-{today.isoformat()}.{file_format}"
    key = f"exports/returns/{clock():%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}.{file_format}"
    store().create(key, to_file(table, file_format, "Returns"), FORMATS[file_format], filename_metadata(filename))
    audited("downloaded-returns", "", format=file_format, returns=len(rows), export=key, **_query(filters))
    return redirect(store().download_url(key, filename, LINK_SECONDS, FORMATS[file_format]), 303)
