"""A contact's return for one reporting period: the form (continue, or save and come back later), check answers,
send, and the sent return as a confirmation to keep or print. A correction is the same form again, asking why:
sending it adds the next version; nothing sent is ever changed.

The form carries `based_on`, how many versions had been sent when it was opened, and the check page the draft it
showed: so the version sent is exactly the one checked, and of two contacts sending at once only the first is kept.
"""

from datetime import date
from types import SimpleNamespace

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from portal.clock import uk_today
from portal.contracts import commitments_due, period_of, period_status, read_return
from portal.questionnaire.numbers import stored_number

from ..contracts import summaries
from ..contracts.returns import LINE_FIELDS, SentMeanwhile, clean_form, read_based_on, valid_period_id
from ..storage import StorageError
from . import evidence_pages
from .contract_pages import content, contract_or_404, latest_reviews, period_label, returns
from .web import keeps_answers, store, supplier_blueprint


def _contract_and_period(contract_id, period_id):
    """The contract and the period, if the contact reports on it and the period has ended; 404 otherwise."""
    contract, _ = contract_or_404(contract_id)
    period = period_of(contract, period_id, content().contracts.return_due_days)
    if period is None or period_status(period, uk_today()) == "not_yet_due":
        abort(404)
    return contract, period


def _lines(contract, period) -> list[dict]:
    """The commitments reported in the period, each with its measure (None if taken out of content/)."""
    return [
        {"code": c.measure_code, "measure": content().measure(c.measure_code.lower()), "committed": c.committed_in(period.number)}
        for c in commitments_due(contract, period, content().contracts.return_due_days)
    ]


def _from_sent(record: dict) -> dict:
    """A sent version's answers as the form shows them: where a correction starts from."""
    sent = record["return"]
    values = {"declared_by_name": sent.declared_by_name, "declared_by_role": sent.declared_by_role}
    for line in sent.lines:
        prefix = f"lines-{line.measure_code}-"
        values |= {
            prefix + "quantity": stored_number(line.quantity),
            prefix + "method": line.method,
            prefix + "postcode_districts": ", ".join(line.postcode_districts),
            prefix + "attributable": "yes",
            prefix + "narrative": line.narrative,
            prefix + "evidence": record.get("evidence", {}).get(line.measure_code, []),
        }
    return values


def _error_list(lines, errors: dict) -> list[dict]:
    """The error summary, in the order the fields come on the page, each linking to its field."""
    order = [f"lines-{line['code']}-{name}" for line in lines for name in LINE_FIELDS] + [
        "declared_by_name",
        "declared_by_role",
        "correction_reason",
    ]
    return [{"text": errors[name], "href": f"#{name}"} for name in order if name in errors]


def _render_form(title, period, lines, values, based_on, errors=None, contract_id=None, save_failed=False):
    errors = errors or {}
    # A correction answers the council's query, so the form shows it (save_failed: storage is down, nothing to read).
    review = latest_reviews(contract_id).get((period.id, based_on)) if contract_id and based_on and not save_failed else None
    return render_template(
        "supplier/return_form.html",
        title=title,
        period=period,
        period_label=period_label(period),
        lines=lines,
        values=values,
        based_on=based_on,
        errors=errors,
        error_list=_error_list(lines, errors),
        contract_id=contract_id,
        files=evidence_pages.contract_files(contract_id) if contract_id and not save_failed else [],
        save_failed=save_failed,
        query=review.note if review is not None and review.outcome == "queried" else None,
        error_title=bool(errors or save_failed),
    )


def _unsaved(contract_id, period_id):
    """The form again, when storage is down: what was typed, from the post alone (the contract cannot be read)."""
    try:
        start, end = (date.fromisoformat(part) for part in period_id.split("--")) if valid_period_id(period_id) else (None, None)
    except ValueError:
        start = end = None
    if start is None:
        return render_template("unavailable.html", title="Sorry, there is a problem with the service", kept="your returns")
    period = SimpleNamespace(start=start, end=end, id=period_id)  # all the form needs of a period
    values = clean_form(request.form)
    codes = dict.fromkeys(name.split("-")[1] for name in values if name.startswith("lines-"))
    lines = [
        {"code": code, "measure": content().measure(code.lower()), "committed": None}
        for code in codes
        if content().measure(code.lower())
    ]
    return _render_form("Your return", period, lines, values, read_based_on(request.form, 10**6), save_failed=True)


@supplier_blueprint.route("/contracts/<contract_id>/returns/<period_id>/", methods=["GET", "POST"])
@keeps_answers(_unsaved)
def return_form(contract_id, period_id):
    contract, period = _contract_and_period(contract_id, period_id)
    lines = _lines(contract, period)
    sent_count = returns().versions_sent(contract_id, period_id)
    if request.method == "GET":
        draft = returns().draft(contract_id, period_id)
        if draft is not None and draft["based_on"] == sent_count:
            values = draft["form"]
        elif sent_count:
            values = _from_sent(returns().sent_version(contract_id, period_id, sent_count))
        else:
            values = {}
        return _render_form(contract.title, period, lines, values, sent_count, contract_id=contract_id)
    based_on = read_based_on(request.form, sent_count)
    if request.form.get("action") in ("save", "evidence"):
        returns().save_draft(contract_id, period_id, request.form, based_on, g.supplier)
        if request.form.get("action") == "evidence":
            return redirect(url_for(".evidence", contract_id=contract_id, period=period_id), 303)
        flash(f"Your return for {period_label(period)} has been saved. You can come back to it at any time.", "saved")
        return redirect(url_for(".contract", contract_id=contract_id), 303)
    answered, errors = read_return(request.form, contract, period, content(), version=based_on + 1)
    errors |= evidence_pages.errors(contract_id, request.form, lines)
    if errors:
        return _render_form(contract.title, period, lines, clean_form(request.form), based_on, errors, contract_id), 400
    number = returns().save_draft(contract_id, period_id, request.form, based_on, g.supplier)
    return redirect(url_for(".check_return", contract_id=contract_id, period_id=period_id, draft=number), 303)


def _checked_draft(contract_id, contract, period):
    """The draft the check page shows (the one named, else the newest) and its return; or back to the form."""
    number = request.values.get("draft", "")
    draft = returns().draft(
        contract_id, period.id, int(number) if number.isascii() and number.isdigit() and len(number) < 7 else None
    )
    checked, errors = (
        (None, True)
        if draft is None
        else read_return(MultiDict(draft["form"]), contract, period, content(), version=draft["based_on"] + 1)
    )
    if errors or evidence_pages.errors(contract_id, MultiDict(draft["form"]), _lines(contract, period)):
        abort(redirect(url_for(".return_form", contract_id=contract_id, period_id=period.id), 303))
    return draft, checked


@supplier_blueprint.route("/contracts/<contract_id>/returns/<period_id>/check", methods=["GET", "POST"])
def check_return(contract_id, period_id):
    contract, period = _contract_and_period(contract_id, period_id)
    draft, checked = _checked_draft(contract_id, contract, period)
    evidence = evidence_pages.chosen(draft["form"], checked)
    if request.method == "GET":
        return render_template(
            "supplier/check_return.html",
            title="Check your return before sending it",
            contract=contract,
            contract_id=contract_id,
            period=period,
            period_label=period_label(period),
            sent=checked,
            draft=draft,
            lines=_lines(contract, period),
            evidence=evidence,
            files=evidence_pages.files_by_id(contract_id),
        )
    try:
        version = returns().send(contract_id, period_id, checked, evidence, g.supplier)
    except SentMeanwhile as meanwhile:
        if meanwhile.sent is None:  # taken, yet not readable a moment later: show where the returns stand
            return redirect(url_for(".contract", contract_id=contract_id), 303)
        if meanwhile.sent["return"] == checked and meanwhile.sent["by"] == g.supplier:  # a double click: sent already
            version = checked.version
        else:
            return render_template(
                "supplier/sent_meanwhile.html",
                title="Someone else has sent this return",
                contract_id=contract_id,
                period=period,
                period_label=period_label(period),
                sent=meanwhile.sent,
            ), 409
    else:
        try:
            summaries.refresh(store(), contract_id, content(), uk_today())
        except StorageError:  # the return is kept; the summary is rebuilt on the next write or by the command
            current_app.logger.exception("Could not refresh the summary of contract %s", contract_id)
    return redirect(url_for(".sent_return", contract_id=contract_id, period_id=period_id, version=version), 303)


@supplier_blueprint.get("/contracts/<contract_id>/returns/<period_id>/sent/<version>/")
def sent_return(contract_id, period_id, version):
    """The confirmation of a sent version, and the copy to keep: it works when bookmarked, and prints."""
    contract, period = _contract_and_period(contract_id, period_id)
    if not (version.isascii() and version.isdigit() and len(version) < 7):
        abort(404)
    version = int(version)
    record = returns().sent_version(contract_id, period_id, version) or abort(404)
    return render_template(
        "supplier/sent_return.html",
        title=f"Return sent: {period_label(period)}",
        contract=contract,
        contract_id=contract_id,
        period=period,
        period_label=period_label(period),
        record=record,
        sent=record["return"],
        review=latest_reviews(contract_id).get((period_id, version)),
        newest=returns().versions_sent(contract_id, period_id),
        lines=_lines(contract, period),
        files=evidence_pages.files_by_id(contract_id),
    )
