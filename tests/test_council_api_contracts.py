"""The council API's contracts: listed, fetched with committed against claimed against verified, and their returns
with the officer's decisions, on both stores; each answer in the shape its OpenAPI document gives."""

from datetime import date
from decimal import Decimal

import pytest

from functions.contracts import summaries
from functions.contracts.records import Contracts
from functions.council import audit
from functions.council_api import contract_schemas
from functions.storage import open_store
from portal.contracts import Review

from .council_api_client import api_app, issue_token, put_officer
from .test_contracts_records import send
from .test_contracts_summary import CONTENT_LOADED, CONTRACT, Q1, RETURNS


@pytest.fixture
def store(storage_url):
    return open_store(storage_url)


@pytest.fixture
def app(storage_url, built, store):
    put_officer(store)
    return api_app(storage_url, built)


@pytest.fixture
def api(app):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(app)}"
    return client


@pytest.fixture
def contract_id(store):
    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, "admin@exampleshire.gov.uk")
    for sent in RETURNS[:3]:
        send(store, contract_id, sent)
    contracts.review(
        contract_id,
        Review(Q1.id, 1, "accepted", "", {"LE06": Decimal(4)}, {"LE06": "Payroll shows 4"}),
        "admin@exampleshire.gov.uk",
    )
    summaries.refresh(store, contract_id, CONTENT_LOADED, date(2026, 12, 5))
    return contract_id


def test_contracts_are_listed_a_page_at_a_time(api, store, contract_id):
    second = Contracts(store).create(CONTRACT, "admin@exampleshire.gov.uk")
    summaries.refresh(store, second, CONTENT_LOADED, date(2026, 12, 5))
    first_page = api.get("/council/api/contracts?per_page=1").get_json()
    assert contract_schemas.ContractPage().validate(first_page) == {}
    assert first_page["total"] == 2 and len(first_page["items"]) == 1 and first_page["next"].endswith("page=2")
    item = first_page["items"][0]
    assert item["title"] == "Highways maintenance" and item["value"] == "1250000" and item["commitments"] == 2
    assert item["url"].endswith(f"/council/api/contracts/{item['id']}")


def test_a_contract_gives_committed_claimed_and_verified_per_period(api, contract_id):
    answer = api.get(f"/council/api/contracts/{contract_id}").get_json()
    assert contract_schemas.Contract().validate(answer) == {}
    le01 = answer["commitments"][0]
    assert (le01["measure_code"], le01["unit"], le01["quantity"]) == ("LE06", "Apprenticeship weeks", "4.5")
    assert [(p["committed"], p["claimed"], p["verified"], p["status"]) for p in le01["periods"]] == [
        ("4.5", "5", "4", "accepted"),
        ("4.5", "4", None, "sent"),
        ("4.5", None, None, "not_yet_due"),
        ("4.5", None, None, "not_yet_due"),
    ]
    assert le01["combine"] == "add" and le01["verified_to_date"] == "4" and answer["schedule"][1]["status"] == "sent"
    assert answer["schedule"][0]["returns_url"].endswith(f"/contracts/{contract_id}/returns")


def test_a_contracts_returns_come_with_every_version_and_the_decision_on_each(api, store, contract_id):
    answer = api.get(f"/council/api/contracts/{contract_id}/returns").get_json()
    assert contract_schemas.ReturnList().validate(answer) == {}
    assert [(r["period_id"], r["version"]) for r in answer["items"]] == [
        (RETURNS[0].period_id, 1),
        (RETURNS[1].period_id, 1),
        (RETURNS[1].period_id, 2),
    ]
    first = answer["items"][0]
    assert first["review"]["outcome"] == "accepted" and first["review"]["verified"] == {"LE06": "4"}
    assert first["lines"][0] == {
        "measure_code": "LE06",
        "quantity": "5",
        "method": "hours",
        "narrative": "",
        "postcode_districts": ["EX1"],
        "attributable": True,
    }
    assert answer["items"][2]["correction_reason"] == "corrected" and answer["items"][2]["review"] is None
    actions = [r["action"] for r in audit.read(store, audit.keys_newest_first(store))]
    assert {"api.fetch-contract-returns"} <= set(actions)


@pytest.mark.parametrize(
    "path",
    [
        "/council/api/contracts/000000000000",
        "/council/api/contracts/nothing%0A",
        "/council/api/contracts/../officers",
        "/council/api/contracts/000000000000/returns",
    ],
)
def test_unknown_contracts_are_a_json_404(api, contract_id, path):
    response = api.get(path)
    assert response.status_code == 404 and response.mimetype == "application/json"


def test_bad_parameters_and_no_token_are_refused_in_json(app, api):
    response = api.get("/council/api/contracts?per_page=1000&colour=red")
    assert response.status_code == 400 and set(response.get_json()["error"]["fields"]) == {"per_page", "colour"}
    assert app.test_client().get("/council/api/contracts").status_code == 401


def test_the_openapi_document_describes_the_contract_api(app):
    document = app.test_client().get("/council/api/openapi.json").get_json()
    assert {"/contracts", "/contracts/{contract_id}", "/contracts/{contract_id}/returns"} <= set(document["paths"])
    assert {"Contract", "ContractPage", "ReturnList", "PeriodFigures"} <= set(document["components"]["schemas"])
