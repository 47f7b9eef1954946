"""Totals across all contracts: committed, committed to date, claimed and verified for each measure in its own
unit (never added across units), grouped by priority and outcome, for every year or one UK financial year, with
charts drawn on the server and their tables. Read from the contracts' kept summaries (decision 14)."""

from flask import current_app, render_template, request
from markupsafe import Markup

from portal.clock import uk_today
from portal.contracts import by_priority, financial_year_label, measure_totals
from portal.contracts.totals_chart import progress_chart_svg

from ..contracts import summaries
from ..contracts.monitoring import every_summary
from ..contracts.records import deserialise
from portal.questionnaire.numbers import write_number

from .web import audited, council_blueprint, store


@council_blueprint.app_template_filter()
def quantity(value) -> str:
    """A sum of quantities as a person writes it: 18, not 18.0 (sums keep their parts' decimal places)."""
    return write_number(value.normalize())


def contracts_with_figures(every: list[dict], today) -> list[tuple]:
    """(Contract, CommitmentSummaries) for each kept summary, as the core's totals take them."""
    return [(deserialise(s["contract"]), summaries.commitment_summaries(s, today)) for s in every]


def figures_for(total, year: int | None):
    """A MeasureTotal's figures for every year, or for one financial year (zeros where it had none)."""
    if year is None:
        return total.all_years
    return dict(total.by_year).get(year, type(total.all_years)())


@council_blueprint.get("/totals/")
def totals():
    content, today = current_app.extensions["portal.content"], uk_today()
    every = every_summary(store())
    found = measure_totals(contracts_with_figures(every, today), content)
    years = sorted({year for t in found for year, _ in t.by_year})
    chosen = request.args.get("year", "")
    year = int(chosen) if chosen.isascii() and chosen.isdigit() and int(chosen) in years else None
    groups = []
    for group in by_priority(found, content):
        rows = [(t.code, figures_for(t, year)) for o in group.outcomes for t in o.measures if t.added_up]
        chart = progress_chart_svg(
            rows, f"chart-{group.priority.id}", f"{group.priority.title}: claimed and verified as a share of committed to date"
        )
        groups.append({"priority": group.priority, "outcomes": group.outcomes, "chart": Markup(chart)})
    audited("viewed-totals", "", year=year or "all")
    return render_template(
        "council/totals.html",
        title="Totals",
        groups=groups,
        year=year,
        years=years,
        label=financial_year_label,
        figures_for=figures_for,
        contracts=len(every),
        retired=[t for t in found if t.priority is None],
    )
