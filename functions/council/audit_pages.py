"""The audit log for admins: read it page by page, or download it all as CSV. Nobody can change it."""

import csv
import io

from flask import make_response, render_template, request

from ..exports.cells import csv_cell

from . import audit, submissions
from .web import admin_only, audited, council_blueprint, store

COLUMNS = ("at", "who", "action", "subject", "ip", "details")
PAGE_SIZE = 50


@council_blueprint.get("/audit/")
@admin_only
def audit_log():
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    page = submissions.page_of(audit.keys_newest_first(store()), number, PAGE_SIZE)
    entries = audit.read(store(), page.items)
    audited("viewed-audit-log", "", page=page.number)
    return render_template("council/audit.html", title="Audit log", page=page, entries=entries)


@council_blueprint.get("/audit.csv")
@admin_only
def audit_export():
    audited("downloaded-audit-log", "")
    entries = audit.read(store(), audit.keys_newest_first(store()))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in entries:
        row = [
            entry.get("at", ""),
            entry.get("who", ""),
            entry.get("action", ""),
            entry.get("subject", ""),
            entry.get("ip", ""),
            "; ".join(f"{k}={v}" for k, v in sorted((entry.get("details") or {}).items())),
        ]
        writer.writerow([csv_cell(str(cell)) for cell in row])
    response = make_response("\ufeff" + out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
