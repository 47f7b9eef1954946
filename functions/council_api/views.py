"""The council's read-only JSON API: list and fetch submissions, with a per-officer API token.

Its OpenAPI 3 document is generated from the marshmallow schemas (functions/council_api/schemas.py) by
functions/council_api/spec.py, and served at /council/api/openapi.json.
"""

import json
import math

from flask import Blueprint, current_app, g, jsonify, request, url_for
from marshmallow import ValidationError, validate
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import PathConverter

from ..council.api_tokens import ApiTokens, TokenRefused
from .schemas import REFERENCE, CharterRegister, Error, ListQuery, Submission, SubmissionPage
from ..charter.signatories import Signatories
from . import contract_answers
from .contract_schemas import Contract, ContractListQuery, ContractPage, ReturnList
from ..council.audit import record as audit
from ..viewer import client_ip
from ..exports.submissions import SubmissionFilter, find_submissions
from ..storage import NotFound as NotStored
from ..storage import Store, StorageError, StorageUnavailable, app_store

council_api_blueprint = Blueprint("council_api", __name__, url_prefix="/council/api")


class _AnyPath(PathConverter):
    """A path that may hold any character: werkzeug's own stops matching at a newline (%0A), and such an address
    would then get the site's HTML 404 page rather than the API's JSON."""

    regex = "(?s:[^/].*?)"


@council_api_blueprint.record_once
def _add_converter(state):
    # Before the routes below are added: a rule needs its converter when it is bound to the URL map.
    state.app.url_map.converters["anypath"] = _AnyPath


@council_api_blueprint.before_app_request
def _router_refusals_in_json():
    """A method no rule takes (TRACE, CONNECT, anything) is refused by the router before any API view is chosen, so
    the site's HTML page would answer; under the API it is answered here in JSON, with its Allow header."""
    refused = request.routing_exception
    if not isinstance(refused, HTTPException) or not request.path.startswith(council_api_blueprint.url_prefix + "/"):
        return None
    if isinstance(refused, MethodNotAllowed):
        allowed = _allowed_methods()
        refused = MethodNotAllowed(allowed) if allowed else NotFound("There is nothing at this address in the council API")
    return http_error(refused)


# Storage, tokens and the audit log.


def _store() -> Store:
    return app_store()


def _officer() -> str:
    try:
        g.api_officer = ApiTokens(_store()).officer_for(request.headers.get("Authorization"))
    except TokenRefused as refused:
        raise _Refused(str(refused)) from None
    return g.api_officer


def _audit_refusal(status: int, message: str) -> None:
    """Every answer but a 200 goes on the record too (a 503 cannot: storage is what failed), under the token's
    officer when it was good, else "anonymous"."""
    try:
        audit(
            _store(),
            g.get("api_officer") or "anonymous",
            "api.refused",
            request.path[:300],
            client_ip(),
            {"status": status, "method": request.method, "message": message},
        )
    except StorageError:
        current_app.logger.exception("Could not record a refused API request")


class _Refused(HTTPException):
    code = 401
    description = "Send a valid API token"


# Errors are JSON, with a message a developer can act on.


def _error(status: int, message: str, **extra):
    response = jsonify(Error().dump({"error": {"status": status, "message": message, **extra}}))
    response.status_code = status
    return response


@council_api_blueprint.errorhandler(HTTPException)
def http_error(error):
    _audit_refusal(error.code, str(error.description))
    response = _error(error.code, str(error.description))
    if isinstance(error, _Refused):
        response.headers["WWW-Authenticate"] = 'Bearer realm="council-api"'
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.valid_methods or [])
    return response


@council_api_blueprint.errorhandler(ValidationError)
def invalid(error):
    messages = {
        name: " ".join(problems) if isinstance(problems, list) else str(problems)
        for name, problems in error.normalized_messages().items()
    }
    _audit_refusal(400, "; ".join(f"{name}: {problem}" for name, problem in sorted(messages.items()))[:1000])
    return _error(400, "Correct the parameters and try again", fields=messages)


@council_api_blueprint.errorhandler(StorageUnavailable)
def storage_unavailable(error):
    return _error(503, "Storage cannot be reached just now. Try again in a few minutes.")


@council_api_blueprint.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# The routes.


@council_api_blueprint.get("/submissions")
def list_submissions():
    """List submissions, newest first, a page at a time."""
    who = _officer()
    query = ListQuery().load(request.args.to_dict())
    found = find_submissions(
        _store(),
        current_app.extensions["portal.content"].assessments,
        SubmissionFilter(query.get("assessment"), query.get("submitted_from"), query.get("submitted_to")),
    )
    page, per_page = query["page"], query["per_page"]
    shown = found[(page - 1) * per_page : page * per_page]
    more = page < math.ceil(len(found) / per_page)
    arguments = {k: v for k, v in request.args.items() if k != "page"}
    audit(
        _store(),
        who,
        "api.list-submissions",
        "submissions",
        client_ip(),
        {"filter": arguments, "page": page, "count": len(shown)},
    )
    return jsonify(
        SubmissionPage().dump(
            {
                "items": [_summary(s.record) for s in shown],
                "page": page,
                "per_page": per_page,
                "total": len(found),
                "next": _address(url_for(".list_submissions", **arguments, page=page + 1)) if more else None,
            }
        )
    )


def _address(path: str) -> str:
    """A full address on the portal's own domain: behind CloudFront the request's Host is the API's, not ours."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + path


def _summary(record: dict) -> dict:
    return {
        **record,
        "evidence_files": len(record.get("evidence") or []),
        "url": _address(url_for(".fetch_submission", assessment_id=record["assessment"], reference=record["reference"])),
    }


@council_api_blueprint.get("/submissions/<assessment_id>/<path:reference>")
def fetch_submission(assessment_id, reference):
    """One submission, as last amended, with its answers and the details of its evidence files."""
    who = _officer()
    content = current_app.extensions["portal.content"]
    versions = []
    if content.assessment(assessment_id) and validate.Regexp(REFERENCE).regex.match(reference):
        versions = _store().keys(f"submissions/{assessment_id}/{reference}/")
    if not versions:
        raise NotFound("There is no submission with that questionnaire and reference")
    try:
        record = _store().read_json(versions[-1])
    except NotStored:
        raise NotFound("There is no submission with that questionnaire and reference") from None
    audit(_store(), who, "api.fetch-submission", f"{assessment_id}/{reference}", client_ip())
    return jsonify(Submission().dump({**record, "evidence": record.get("evidence") or []}))


@council_api_blueprint.get("/charter/register")
def charter_register():
    """The Charter's public register: what the frozen register shows, as of today."""
    from dataclasses import asdict

    from portal.clock import now, uk_today

    who = _officer()
    listed = Signatories(_store(), now).register(uk_today(), current_app.extensions["portal.content"].charter)
    items = [{**asdict(s), "signed_by": dict(zip(("name", "role"), s.signed_by)) if s.signed_by else None} for s in listed]
    audit(_store(), who, "api.charter-register", "charter", client_ip(), {"count": len(items)})
    return jsonify(CharterRegister().dump({"items": items, "total": len(items)}))


@council_api_blueprint.get("/contracts")
def list_contracts():
    """List contracts after the award, by title, a page at a time (from their kept summaries)."""
    who = _officer()
    query = ContractListQuery().load(request.args.to_dict())
    found = contract_answers.entries_by_title(_store())
    page, per_page = query["page"], query["per_page"]
    shown = found[(page - 1) * per_page : page * per_page]
    more = page < math.ceil(len(found) / per_page)
    arguments = {k: v for k, v in request.args.items() if k != "page"}
    audit(_store(), who, "api.list-contracts", "contracts", client_ip(), {"page": page, "count": len(shown)})
    return jsonify(
        ContractPage().dump(
            {
                "items": [
                    contract_answers.listed(s, _address(url_for(".fetch_contract", contract_id=s["contract_id"]))) for s in shown
                ],
                "page": page,
                "per_page": per_page,
                "total": len(found),
                "next": _address(url_for(".list_contracts", **arguments, page=page + 1)) if more else None,
            }
        )
    )


@council_api_blueprint.get("/contracts/<anypath:contract_id>/returns")
def list_contract_returns(contract_id):
    """Every version of every return sent for a contract, each with the officer's last decision on it."""
    who = _officer()
    answer = contract_answers.returns(_store(), contract_id)
    if answer is None:
        raise NotFound("There is no contract with that id")
    audit(_store(), who, "api.fetch-contract-returns", contract_id, client_ip())
    return jsonify(ReturnList().dump({"items": answer}))


@council_api_blueprint.get("/contracts/<anypath:contract_id>")
def fetch_contract(contract_id):
    """One contract as it stands, its commitments with committed, claimed and verified per period, its schedule."""
    who = _officer()
    answer = contract_answers.contract(
        _store(),
        contract_id,
        current_app.extensions["portal.content"],
        _address(url_for(".list_contract_returns", contract_id=contract_id)),
    )
    if answer is None:
        raise NotFound("There is no contract with that id")
    audit(_store(), who, "api.fetch-contract", contract_id, client_ip())
    return jsonify(Contract().dump(answer))


@council_api_blueprint.get("/openapi.json")
def openapi():
    """This API's OpenAPI 3 document."""
    from .spec import openapi_document

    return current_app.response_class(json.dumps(openapi_document(), indent=2), mimetype="application/json")


def _allowed_methods() -> list[str]:
    """The methods a real route (not the catch-all) takes at this address: the API only reads."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    return [
        m
        for m in ("GET", "HEAD")
        if adapter.test(request.path, method=m)
        and adapter.match(request.path, method=m)[0] != f"{council_api_blueprint.name}.nothing_here"
    ]


@council_api_blueprint.route("/<anypath:anything>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def nothing_here(anything):
    """Unknown addresses and methods under the API answer in JSON too, not with the site's HTML pages."""
    allowed = _allowed_methods()
    if allowed and request.method not in allowed:
        raise MethodNotAllowed(allowed)
    raise NotFound("There is nothing at this address in the council API")
