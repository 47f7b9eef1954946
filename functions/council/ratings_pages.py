"""A contract's KPI ratings (in a Contract Performance Notice's bands, from its kept summary), an officer's
override of one with a reason (a write-once record, audited), the KPI data ready for the notice as CSV or XLSX,
and whether the contract is published in the public report (decision 15). Admins change; viewers read."""

import secrets

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.clock import uk_today
from portal.contracts import BANDS, effective_rating, kpi_rows, notice_table, rate_commitment, rate_contract, read_override
from portal.contracts.form import raw_text

from ..contracts import summaries
from ..contracts.overrides import Overrides, is_published, publish
from ..contracts.records import deserialise
from ..exports.tables import FORMATS, to_file
from ..storage import StorageUnavailable, filename_metadata
from .download_pages import LINK_SECONDS
from .web import admin_only, audited, clock, council_blueprint, store


def _content():
    return current_app.extensions["portal.content"]


def _found(contract_id: str):
    """(summary, CommitmentSummaries) of the contract; 404 for any id that names none."""
    found = summaries.summary(store(), contract_id, _content(), uk_today()) if len(contract_id) == 12 else None
    if found is None or found["contract_id"] != contract_id:
        abort(404)
    return found, summaries.commitment_summaries(found, uk_today())


def _render(contract_id, summary, figures, values=None, errors=None, problem=None, status=200):
    content = _content()
    thresholds = content.contracts.ratings
    overrides = Overrides(store(), clock)
    kept = overrides.records(contract_id)
    current = {code: o for code, o in overrides.current(contract_id).items()}
    kpis = []
    for each in figures:
        code = each.commitment.measure_code
        computed = rate_commitment(each, thresholds)
        kpis.append(
            {
                "code": code,
                "measure": content.measure(code.lower()),
                "figures": each,
                "computed": computed,
                "rating": effective_rating(computed, current.get(code)),
                "history": kept.get(code, []),
            }
        )
    return render_template(
        "council/contract_ratings.html",
        title=f"KPI ratings: {summary['contract']['title']}",
        contract=deserialise(summary["contract"]),
        contract_id=contract_id,
        kpis=kpis,
        bands=BANDS,
        overall=rate_contract(figures, thresholds, current),
        rows=kpi_rows(figures, content, current),
        published=is_published(store(), contract_id),
        may_change=g.officer.is_admin,
        values=values or {},
        errors=errors or {},
        problem=problem,
        saved=request.args.get("saved"),
        error_title=bool(errors or problem),
    ), status


@council_blueprint.get("/contracts/<contract_id>/ratings")
def contract_ratings(contract_id):
    summary, figures = _found(contract_id)
    audited("viewed-contract-ratings", contract_id)
    return _render(contract_id, summary, figures)


@council_blueprint.post("/contracts/<contract_id>/ratings/<code>")
@admin_only
def override_rating(contract_id, code):
    summary, figures = _found(contract_id)
    kpi = next((f for f in figures if f.commitment.measure_code == code), None) or abort(404)
    computed = rate_commitment(kpi, _content().contracts.ratings)
    override, errors = read_override(request.form, computed)
    values = {"code": code, "band": raw_text(request.form, "band"), "reason": raw_text(request.form, "reason")}
    if errors:
        return _render(contract_id, summary, figures, values, {f"{code}-{k}": v for k, v in errors.items()}, status=400)
    try:
        Overrides(store(), clock).add(contract_id, code, override, g.officer.email)
    except StorageUnavailable:
        current_app.logger.exception("Could not record a rating of contract %s", contract_id)
        problem = "The rating was not saved: we could not reach the place where we keep them. Try again in a few minutes."
        return _render(contract_id, summary, figures, values, problem=problem, status=503)
    audited(
        "overrode-kpi-rating",
        contract_id,
        measure=code,
        band=override.band,
        calculated=override.calculated,
        reason=override.reason,
    )
    return redirect(url_for(".contract_ratings", contract_id=contract_id, saved=code) + f"#kpi-{code}", 303)


@council_blueprint.post("/contracts/<contract_id>/kpi-data")
def download_kpi_data(contract_id):
    summary, figures = _found(contract_id)
    file_format = request.args.get("format")
    if file_format not in FORMATS:
        return render_template("error.html", title="There is a problem with your download", message="Choose CSV or XLSX."), 400
    contract = deserialise(summary["contract"])
    table = notice_table(contract, kpi_rows(figures, _content(), Overrides(store(), clock).current(contract_id)))
    filename = f"kpi-data-{contract.reference or contract_id}-{uk_today().isoformat()}.{file_format}"
    key = f"exports/kpi-data/{clock():%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}.{file_format}"
    store().create(key, to_file(table, file_format, "KPI data"), FORMATS[file_format], filename_metadata(filename))
    audited("downloaded-kpi-data", contract_id, format=file_format, kpis=len(table) - 1, export=key)
    return redirect(store().download_url(key, filename, LINK_SECONDS, FORMATS[file_format]), 303)


@council_blueprint.post("/contracts/<contract_id>/publication")
@admin_only
def publish_contract(contract_id):
    _found(contract_id)
    wanted = request.form.get("publish")
    if wanted not in ("yes", "no"):
        abort(400)
    publish(store(), contract_id, wanted == "yes", g.officer.email, clock)
    audited("published-contract" if wanted == "yes" else "unpublished-contract", contract_id)
    return redirect(url_for(".contract_ratings", contract_id=contract_id, saved="publication") + "#publication", 303)
