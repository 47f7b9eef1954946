"""The annual report for officers (cabinet or scrutiny), for one UK financial year, as a page and as a PDF
(WeasyPrint, portal/crp/pdf.py): headline verified totals, committed against delivered for each measure, each
priority with its chart, each contract with its rating, and the returns still missing. From the kept summaries."""

from flask import current_app, make_response, render_template, request
from markupsafe import Markup

from portal.clock import uk_today
from portal.contracts import BANDS, by_priority, financial_year, financial_year_label, measure_totals, rate_contract
from portal.contracts.totals_chart import progress_chart_svg
from portal.crp.pdf import PdfUnavailable, pdf_from_html

from ..contracts import summaries
from ..contracts.monitoring import every_summary
from ..contracts.overrides import Overrides
from ..contracts.records import deserialise
from .totals_pages import figures_for
from .web import audited, council_blueprint, store


def _report(year: int) -> dict:
    content, today = current_app.extensions["portal.content"], uk_today()
    every = every_summary(store())
    pairs = [(deserialise(s["contract"]), summaries.commitment_summaries(s, today)) for s in every]
    found = measure_totals(pairs, content)
    years = sorted({y for t in found for y, _ in t.by_year} | {financial_year(today), year})  # the one asked for too
    groups = [
        {
            "priority": g.priority,
            "measures": [t for o in g.outcomes for t in o.measures],
            "chart": Markup(
                progress_chart_svg(
                    [(t.code, figures_for(t, year)) for o in g.outcomes for t in o.measures if t.added_up],
                    f"report-{g.priority.id}",
                    f"{g.priority.title}: claimed and verified as a share of committed to date, {financial_year_label(year)}",
                )
            ),
        }
        for g in by_priority(found, content)
    ]
    contracts, missing, overrides = [], [], Overrides(store())
    for summary, (contract, figures) in zip(every, pairs):
        in_year = [s for s in summaries.schedule(summary, today) if financial_year(s["period"].end) == year]
        late = [s for s in in_year if s["status"] == "overdue"]
        missing.extend({"contract": contract, "period": s["period"], "days": (today - s["period"].due).days} for s in late)
        contracts.append(
            {
                "id": summary["contract_id"],
                "contract": contract,
                # as the contract's ratings page gives it: an officer's override stands while the figures hold
                "rating": rate_contract(figures, content.contracts.ratings, overrides.current(summary["contract_id"])),
                "due": sum(1 for s in in_year if s["status"] != "not_yet_due"),
                "missing": len(late),
                "verified": sum(
                    1 for f in figures for p in f.periods if financial_year(p.period.end) == year and p.verified is not None
                ),
            }
        )
    contracts.sort(key=lambda c: (c["contract"].title.casefold(), c["contract"].reference))
    missing.sort(key=lambda m: (-m["days"], m["contract"].title.casefold()))
    return {
        "year": year,
        "label": financial_year_label(year),
        "years": years,
        "groups": groups,
        "totals": found,
        "contracts": contracts,
        "missing": missing,
        "bands": BANDS,
        "figures_for": figures_for,
        "today": today,
        "council": content.site.council,
    }


def _year() -> int:
    chosen = request.args.get("year", "")
    return int(chosen) if chosen.isascii() and chosen.isdigit() and 2000 <= int(chosen) <= 2100 else financial_year(uk_today())


@council_blueprint.get("/annual-report/")
def annual_report():
    report = _report(_year())
    audited("viewed-annual-report", "", year=report["year"])
    return render_template("council/annual_report.html", title=f"Annual report {report['label']}", **report)


@council_blueprint.get("/annual-report/<year>.pdf")
def annual_report_pdf(year):
    if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
        return render_template("error.html", title="Page not found", message="There is no report for that year."), 404
    year = int(year)
    report = _report(year)
    try:
        pdf = pdf_from_html(render_template("council/annual_report_document.html", **report))
    except PdfUnavailable:
        current_app.logger.exception("Could not make a PDF of the annual report")
        return render_template(
            "error.html",
            title="Sorry, we cannot make a PDF just now",
            message="Try again later, or print the report's page instead.",
        ), 503
    audited("downloaded-annual-report", "", year=year)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="social-value-annual-report-{year}-to-{year + 1}.pdf"'
    return response
