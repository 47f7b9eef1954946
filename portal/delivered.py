""" "Social value delivered", the public report on the static site (decision 15): verified totals per priority and
measure from the contracts an officer published, with the contracts that delivered them, charts with tables, and
the same figures as open data (CSV and JSON) with their data dictionary. Nothing personal.

The site never reads storage: `python build.py` reads the published contracts' summaries, read-only, and puts the
core's PublicReport on the app as DELIVERED (a function returning one also works, for a local server). Without
one the report says there is nothing yet.
"""

import csv
import io
import json
from decimal import Decimal

from flask import Blueprint, Response, current_app, has_app_context, render_template
from markupsafe import Markup

from .contracts import DATA_DICTIONARY, PublicReport, financial_year_label, open_data_rows
from .contracts.totals_chart import years_chart_svg

delivered_blueprint = Blueprint("delivered", __name__)
DELIVERED = "portal.delivered"
NOTHING_YET = PublicReport((), 0)


def _content():
    return current_app.extensions["portal.content"]


def published_report() -> PublicReport:
    if not has_app_context():
        return NOTHING_YET
    found = current_app.extensions.get(DELIVERED, NOTHING_YET)
    return found() if callable(found) else found


def delivered_pages(content):
    yield "delivered.report", {}


def delivered_files(content):
    yield "delivered.open_data_csv", {}
    yield "delivered.open_data_json", {}


def _years(measure) -> list[tuple[str, Decimal]]:
    totals: dict[int, Decimal] = {}
    for contract in measure.contracts:
        for year, verified in contract.by_year:
            totals[year] = totals.get(year, Decimal(0)) + verified
    return [(financial_year_label(year), totals[year]) for year in sorted(totals)]


@delivered_blueprint.route("/social-value-delivered/")
def report():
    found = published_report()
    charts = {
        m.code: Markup(years_chart_svg(_years(m), f"chart-{m.code}", f"{m.code}: verified each financial year", m.unit))
        for group in found.priorities
        for m in group.measures
    }
    years = {m.code: _years(m) for group in found.priorities for m in group.measures}
    return render_template(
        "delivered/report.html",
        title="Social value delivered",
        report=found,
        charts=charts,
        years=years,
        dictionary=DATA_DICTIONARY,
        outcome=_content().outcome,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text  # never a formula


@delivered_blueprint.route("/social-value-delivered/social-value-delivered.csv")
def open_data_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column for column, _, _ in DATA_DICTIONARY])
    for row in open_data_rows(published_report(), _content()):
        writer.writerow([_cell(row[column]) for column, _, _ in DATA_DICTIONARY])
    return Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv")


def _json_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f")  # a JSON number, exactly as verified: never through a float
    return json.dumps(value, ensure_ascii=False)


@delivered_blueprint.route("/social-value-delivered/social-value-delivered.json")
def open_data_json():
    rows = [
        "{" + ", ".join(f"{json.dumps(column)}: {_json_value(row[column])}" for column, _, _ in DATA_DICTIONARY) + "}"
        for row in open_data_rows(published_report(), _content())
    ]
    dictionary = json.dumps([{"column": c, "type": t, "description": d} for c, t, d in DATA_DICTIONARY], ensure_ascii=False)
    body = '{"data_dictionary": ' + dictionary + ', "rows": [' + ",\n".join(rows) + "]}\n"
    return Response(body.encode("utf-8"), mimetype="application/json")
