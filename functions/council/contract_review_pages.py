"""Officers review a sent return: accept it (with a verified figure where it differs from the claim, and why),
query it (the note is emailed to the supplier's contacts, who answer by sending a correction) or reject it.
Anyone signed in reads a return; admins review. Every view and decision is in the audit log."""

import re

from flask import abort, current_app, g, redirect, render_template, request, url_for

from portal.clock import uk_today
from portal.contracts import OUTCOMES, commitment_periods, period_of, read_review
from portal.contracts.form import raw_text

from ..contracts import summaries
from .. import malware
from ..contracts.records import ChangedMeanwhile, Contracts, contract_prefix, sent_records
from ..contracts.returns import read_based_on
from ..mail import mailer, outbox
from ..storage import NotFound, StorageError, StorageUnavailable
from .download_pages import LINK_SECONDS, SCAN_MESSAGES
from .web import audited, clock, council_blueprint, store


_FILE_ID = re.compile(r"^[0-9a-f]{32}$")


def _content():
    return current_app.extensions["portal.content"]


def _found(contract_id, period_id):
    """The contract, the period and every version sent for it, oldest first; 404 for anything else."""
    found = Contracts(store(), clock).get(contract_id)
    if found is None:
        abort(404)
    contract = found[0]
    due_days = _content().contracts.return_due_days
    period = period_of(contract, period_id, due_days)
    if period is None:
        abort(404)
    sent = sent_records(store(), contract_id, period.id)
    if not sent:
        abort(404)
    return contract, period, sent


def _lines(contract, period, sent_return):
    """Each line of the return beside what was committed for the period, and the measure's guidance."""
    content, due_days, lines = _content(), _content().contracts.return_due_days, []
    for line in sent_return.lines:
        commitment = contract.commitment(line.measure_code)
        same = [p for p in commitment_periods(contract, commitment, due_days) if p.id == period.id] if commitment else []
        lines.append(
            {
                "line": line,
                "measure": content.measure(line.measure_code.lower()),
                "committed": commitment.committed_in(same[0].number) if same else None,
            }
        )
    return lines


def _evidence(contract_id: str, named: dict) -> dict:
    """The files the return names for each measure: their records (contracts/<id>/evidence/records/, written by the
    supplier side when a file passes its checks)."""
    wanted = {file_id for ids in named.values() for file_id in ids if isinstance(file_id, str) and _FILE_ID.match(file_id)}
    if not wanted:
        return {}
    keys = [f"{contract_prefix(contract_id)}evidence/records/{file_id}.json" for file_id in sorted(wanted)]
    files = {}
    for key in keys:
        try:
            files[key.rsplit("/", 1)[1].removesuffix(".json")] = store().read_json(key)
        except NotFound:
            continue
    return {code: [files[i] for i in ids if i in files] for code, ids in named.items()}


def _render(contract_id, contract, period, sent, values=None, errors=None, problem=None, status=200):
    evidence = _evidence(contract_id, sent[-1]["evidence"])
    reviews = [r for r in Contracts(store(), clock).review_records(contract_id) if r["review"].period_id == period.id]
    latest = sent[-1]["return"]
    return render_template(
        "council/contract_return.html",
        title=f"Return for {contract.title}",
        contract=contract,
        contract_id=contract_id,
        period=period,
        sent=sent,
        latest=latest,
        lines=_lines(contract, period, latest),
        reviews=reviews,
        evidence=evidence,
        outcomes=OUTCOMES,
        values=values or {},
        errors=errors or {},
        problem=problem,
        may_review=g.officer.is_admin,
        error_title=bool(errors),
    ), status


@council_blueprint.get("/contracts/<contract_id>/returns/<period_id>/")
def contract_return(contract_id, period_id):
    contract, period, sent = _found(contract_id, period_id)
    audited("viewed-contract-return", contract_id, period=period.id, version=sent[-1]["return"].version)
    return _render(contract_id, contract, period, sent)


@council_blueprint.post("/contracts/<contract_id>/returns/<period_id>/")
def review_contract_return(contract_id, period_id):
    if not g.officer.is_admin:
        abort(403)
    contract, period, sent = _found(contract_id, period_id)
    latest = sent[-1]["return"]
    values = {name: raw_text(request.form, name) for name in request.form if name != "csrf_token"}
    if raw_text(request.form, "version") != str(latest.version):
        problem = (
            f"The supplier sent a correction (version {latest.version}) while you were reviewing. "
            "Read it, then record your review of it."
        )
        return _render(contract_id, contract, period, sent, values, problem=problem, status=409)
    review, errors = read_review(request.form, latest, _content())
    if errors:
        return _render(contract_id, contract, period, sent, values, errors, status=400)
    records = Contracts(store(), clock)
    made = [r for r in records.review_records(contract_id) if r["review"].period_id == period.id]
    try:
        records.review(contract_id, review, g.officer.email, read_based_on(request.form, len(made), "reviews_seen"))
    except ChangedMeanwhile:
        now = [r for r in records.review_records(contract_id) if r["review"].period_id == period.id]
        if now and now[-1]["review"] == review and now[-1]["by"] == g.officer.email:  # this form, sent twice
            return redirect(url_for(".contract", contract_id=contract_id, reviewed=review.outcome), 303)
        problem = "Another review of this return was recorded while you were reviewing. Read it, then record yours."
        return _render(contract_id, contract, period, sent, values, problem=problem, status=409)
    except StorageUnavailable:
        current_app.logger.exception("Could not record a review of contract %s", contract_id)
        problem = "Your review was not saved: we could not reach the place where we keep reviews. Try again in a few minutes."
        return _render(contract_id, contract, period, sent, values, problem=problem, status=503)
    audited(
        "reviewed-contract-return",
        contract_id,
        period=period.id,
        version=review.version,
        outcome=review.outcome,
        note=review.note,
        verified={code: str(q) for code, q in review.verified.items()},
        reasons=review.verified_reasons,
    )
    try:
        summaries.refresh(store(), contract_id, _content(), uk_today())
    except StorageUnavailable:  # the review is safe; the summary is made again when the contract is next read
        current_app.logger.exception("Could not refresh the summary of contract %s", contract_id)
    if review.outcome == "queried":
        _email_the_query(contract, period, review.note)
    return redirect(url_for(".contract", contract_id=contract_id, reviewed=review.outcome), 303)


def _email_the_query(contract, period, note):
    """The officer's question to each of the supplier's contacts, through the outbox (delivered even if the mail
    server is down now). The note also shows beside the return on the supplier's pages."""
    site = _content().site
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    subject = f"{site.council.name} has a question about your return for {contract.title}"
    body = render_template(
        "council/contract_query_email.txt", contract=contract, period=period, note=note, site=site, link=base + "/supplier/"
    )
    for address in contract.supplier_contacts:
        try:
            outbox.post(store(), mailer.compose(site.council.contact_email, address, subject, body))
        except (mailer.NotAnAddress, StorageError):
            current_app.logger.exception("Could not email a query about contract %s to a contact", contract.reference)


@council_blueprint.get("/contracts/<contract_id>/evidence/<file_id>")
def contract_evidence_file(contract_id, file_id):
    """A file a sent return names, through a short-lived link, once the virus check has found it clean; audited."""
    if Contracts(store(), clock).get(contract_id) is None or not _FILE_ID.match(file_id):
        abort(404)
    if not any(file_id in ids for sent in sent_records(store(), contract_id) for ids in sent["evidence"].values()):
        abort(404)  # uploaded but never sent: not part of any return
    try:
        entry = store().read_json(f"{contract_prefix(contract_id)}evidence/records/{file_id}.json")
    except NotFound:
        abort(404)
    status = malware.scan_status(store(), entry["key"], current_app.config.get("PORTAL_MALWARE_SCANNER"))
    if not malware.downloadable(status):
        back = {"text": "Contract", "words": "the contract", "href": url_for(".contract", contract_id=contract_id)}
        return render_template(
            "council/cannot_download.html",
            entry=entry,
            message=SCAN_MESSAGES[status],
            back=back,
            title="You cannot download this file yet" if status == malware.PENDING else "You cannot download this file",
        ), 409
    try:
        link = store().download_url(
            entry["key"], entry["name"], LINK_SECONDS, entry.get("content_type") or "application/octet-stream"
        )
    except NotFound:
        abort(404)
    audited("downloaded-contract-evidence", contract_id, file=file_id, name=entry["name"], sha256=entry.get("sha256", ""))
    return redirect(link, 303)
