"""Schemathesis fuzzes the council API against its own OpenAPI document: whatever it sends, well formed or not,
no 5xx, and every answer is one the document promises. Bounded: 50 examples an operation in each mode, 550 in all."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from functions.storage import open_store

from .council_api_client import api_app, issue_token, put_officer
from .submission_factory import put_evidence, put_submission

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 50


@pytest.fixture(scope="module")
def fuzzed(built, tmp_path_factory):
    """The API on the file store, with an officer's token and a few submissions, one of them at a known address."""
    storage = str(tmp_path_factory.mktemp("fuzz") / "storage")
    store = open_store(storage)
    put_officer(store)
    app = api_app(storage, built)
    assessment = app.extensions["portal.content"].assessment("readiness")
    put_submission(
        store, assessment, reference="SV-ABCD-EF23", evidence=[put_evidence(store, "SV-ABCD-EF23", "policy.pdf", b"%PDF-1.7")]
    )
    for _ in range(3):
        put_submission(store, assessment)
    _put_contract(store, app)
    return app, issue_token(app)


def _put_contract(store, app):
    """A contract with a sent and reviewed return, through the records layer (set-up, not under test)."""
    from datetime import date

    from functions.contracts import summaries
    from functions.contracts.records import Contracts
    from .test_contracts_records import send
    from .test_contracts_summary import CONTRACT, RETURNS, REVIEWS

    contract_id = Contracts(store).create(CONTRACT, "admin@exampleshire.gov.uk")
    for sent in RETURNS:
        send(store, contract_id, sent)
    for review in REVIEWS:
        Contracts(store).review(contract_id, review, "admin@exampleshire.gov.uk")
    summaries.refresh(store, contract_id, app.extensions["portal.content"], date(2026, 12, 5))


# The pytest plugin's fixture loader does not work with this pytest, so each operation's strategy is run directly.
@pytest.mark.parametrize(
    "operation_id, mode",
    [
        ("listSubmissions", GenerationMode.POSITIVE),
        ("listSubmissions", GenerationMode.NEGATIVE),
        ("fetchSubmission", GenerationMode.POSITIVE),
        ("fetchSubmission", GenerationMode.NEGATIVE),
        ("openapi", GenerationMode.POSITIVE),  # it takes no parameters, so there is nothing to send wrong
        ("listContracts", GenerationMode.POSITIVE),
        ("listContracts", GenerationMode.NEGATIVE),
        ("fetchContract", GenerationMode.POSITIVE),
        ("fetchContract", GenerationMode.NEGATIVE),
        ("listContractReturns", GenerationMode.POSITIVE),
        ("listContractReturns", GenerationMode.NEGATIVE),
    ],
)
def test_the_api_keeps_its_documented_promises(fuzzed, operation_id, mode):
    app, token = fuzzed
    schema = schemathesis.openapi.from_wsgi("/council/api/openapi.json", app)
    operation = schema.find_operation_by_id(operation_id)
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    # Derandomized, as the other fuzzers: the same examples on every run, so CI cannot fail by chance.
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    def call(case):
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        calls.append(response.status_code)

    call()
    assert calls and all(status < 500 for status in calls)
