"""The council's read-only JSON API and its tokens, on both stores, as the council's own systems would use them."""

import json
from datetime import datetime, timezone

import pytest

from functions import handlers
from functions.storage import open_store

from .conftest import CONTENT
from .council_api_client import OFFICER, api_app, issue_token, put_officer
from .lambda_client import LambdaClient
from .submission_factory import put_evidence, put_submission


@pytest.fixture
def app(storage_url, built, store):
    put_officer(store)
    return api_app(storage_url, built)


@pytest.fixture
def assessment(app):
    return app.extensions["portal.content"].assessment("readiness")


@pytest.fixture
def api(app):
    """A test client whose every request carries a newly issued token."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(app)}"
    return client


def error_of(response, status):
    assert response.status_code == status and response.mimetype == "application/json", response.get_data(as_text=True)
    return response.get_json()["error"]["message"]


def test_issued_token_is_shown_once_and_only_its_hash_is_stored(app, store):
    result = app.test_cli_runner().invoke(args=["issue-api-token", OFFICER.upper()])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    stored = [key for key in store.keys("api-tokens/")]
    assert len(stored) == 1 and token not in stored[0]
    assert token.encode() not in store.read(stored[0])
    assert json.loads(store.read(stored[0]))["email"] == OFFICER.lower()
    assert app.test_client().get("/council/api/submissions", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_no_token_for_an_email_without_an_officer_or_a_disabled_one(app, store):
    result = app.test_cli_runner().invoke(args=["issue-api-token", "someone@example.com"])
    assert result.exit_code != 0 and "no council officer" in result.output
    put_officer(store, version=2, disabled=True)
    result = app.test_cli_runner().invoke(args=["issue-api-token", OFFICER])
    assert result.exit_code != 0
    assert store.keys("api-tokens/") == []


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Basic b2ZmaWNlcjpwYXNzd29yZA==",
        "Bearer svp_0123456789abcdef_" + "A" * 43,
        "Bearer ' OR 1=1 --",
        "Bearer " + "x" * 10000,
    ],
)
def test_requests_without_a_valid_token_are_refused_in_json(app, header):
    headers = {"Authorization": header} if header is not None else {}
    response = app.test_client().get("/council/api/submissions", headers=headers)
    assert error_of(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_tokens_and_disabled_officers_are_refused(app, store):
    token = issue_token(app)
    token_id = token.split("_")[1]
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/council/api/submissions", headers=headers).status_code == 200

    result = app.test_cli_runner().invoke(args=["revoke-api-token", token_id])
    assert result.exit_code == 0 and "Revoked" in result.output
    assert "revoked" in error_of(app.test_client().get("/council/api/submissions", headers=headers), 401)
    again = app.test_cli_runner().invoke(args=["revoke-api-token", token_id])
    assert again.exit_code == 0 and "already revoked" in again.output
    assert app.test_cli_runner().invoke(args=["revoke-api-token", "0123456789abcdef"]).exit_code != 0
    assert store.keys(f"api-tokens/{token_id}/") == [f"api-tokens/{token_id}/issued.json", f"api-tokens/{token_id}/revoked.json"]

    other = {"Authorization": f"Bearer {issue_token(app)}"}
    put_officer(store, version=2, disabled=True)
    assert error_of(app.test_client().get("/council/api/submissions", headers=other), 401)


def test_list_filters_by_date_and_pages_through_every_submission(api, store, assessment):
    made = [
        put_submission(store, assessment, submitted_at=datetime(2026, 10, day, 12, tzinfo=timezone.utc)) for day in range(1, 6)
    ]
    first = api.get("/council/api/submissions?per_page=2").get_json()
    assert first["total"] == 5 and [i["reference"] for i in first["items"]] == [m["reference"] for m in made[:2:-1]]
    seen, page = [], first
    while True:
        seen += [item["reference"] for item in page["items"]]
        if not page["next"]:
            break
        page = api.get(page["next"]).get_json()
    assert seen == [m["reference"] for m in reversed(made)]

    some = api.get("/council/api/submissions?submitted_from=2026-10-02&submitted_to=2026-10-03&assessment=readiness")
    assert {i["reference"] for i in some.get_json()["items"]} == {made[1]["reference"], made[2]["reference"]}
    item = some.get_json()["items"][0]
    assert item["url"].startswith(api.application.config["PORTAL_BASE_URL"])
    assert api.get(item["url"]).get_json()["reference"] == item["reference"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=101", "per_page"),
        ("submitted_from=2026-02-30", "submitted_from"),
        ("submitted_from=2026-10-05&submitted_to=2026-10-01", "submitted_to"),
        ("assessment=../../etc", "assessment"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(api, query, field):
    response = api.get(f"/council/api/submissions?{query}")
    assert error_of(response, 400)
    assert field in response.get_json()["error"]["fields"]


def test_fetch_gives_the_latest_version_with_its_evidence(api, store, assessment):
    record = put_submission(store, assessment, reference="SV-ABCD-EF23")
    evidence = [put_evidence(store, "SV-ABCD-EF23", "policy.pdf", b"%PDF-1.7")]
    amended = put_submission(store, assessment, reference="SV-ABCD-EF23", version=2, evidence=evidence)
    fetched = api.get("/council/api/submissions/readiness/SV-ABCD-EF23").get_json()
    assert fetched["answers"] == json.loads(json.dumps(amended["answers"]))
    assert fetched["evidence"][0]["sha256"] == evidence[0]["sha256"] and "key" not in fetched["evidence"][0]
    assert record["reference"] == fetched["reference"]
    for missing in [
        "/council/api/submissions/readiness/SV-ZZZZ-ZZZZ",
        "/council/api/submissions/nope/SV-ABCD-EF23",
        "/council/api/submissions/readiness/..%2F..%2Fapi-tokens",
        "/council/api/nowhere",
        "/council/api/submissions/readiness/SV%0AABCD",
        "/council/api/no%0Awhere",
    ]:  # newlines: found by fuzzing
        assert error_of(api.get(missing), 404)
    assert error_of(api.delete("/council/api/submissions"), 405)


def test_every_request_for_submissions_is_in_the_audit_log(api, store, assessment):
    put_submission(store, assessment, reference="SV-AUDI-TT23")
    api.get("/council/api/submissions?assessment=readiness")
    api.get("/council/api/submissions/readiness/SV-AUDI-TT23")
    records = [store.read_json(key) for key in store.keys("audit/")]
    actions = {(r["who"], r["action"], r["subject"]) for r in records}
    assert ("command line", "api-token.issue", records[0]["subject"]) in actions
    assert (OFFICER.lower(), "api.list-submissions", "submissions") in actions
    assert (OFFICER.lower(), "api.fetch-submission", "readiness/SV-AUDI-TT23") in actions
    assert all(set(r) == {"at", "who", "action", "subject", "ip", "details"} for r in records)


def test_openapi_document_is_served_without_a_token(app):
    document = app.test_client().get("/council/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/submissions", "/submissions/{assessment}/{reference}"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_lambda_entry_serves_the_api(built, tmp_path, monkeypatch):
    storage = str(tmp_path / "storage")
    for name, value in {
        "PORTAL_STORAGE": storage,
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_CONTENT": str(CONTENT),
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    store = open_store(storage)
    put_officer(store)
    put_submission(store, handlers._built("council_api")[0].extensions["portal.content"].assessment("readiness"))
    client = LambdaClient(handlers.council_api)
    assert client.get("/council/api/submissions").status_code == 401
    client.headers["Authorization"] = f"Bearer {issue_token(api_app(storage, built))}"
    response = client.get("/council/api/submissions")
    assert response.status_code == 200 and json.loads(response.get_data())["total"] == 1


def test_disabling_an_officer_revokes_their_tokens_for_good(built, storage_url, store, tmp_path):
    """issue-api-token, disable-officer, add-officer: the old token stays refused, and only a new one works."""
    from portal import create_app

    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        },
        functions=("council", "council_api"),
    )
    cli = app.test_cli_runner()
    assert cli.invoke(args=["add-officer", OFFICER]).exit_code == 0
    old = {"Authorization": f"Bearer {issue_token(app)}"}
    assert app.test_client().get("/council/api/submissions", headers=old).status_code == 200

    disabled = cli.invoke(args=["disable-officer", OFFICER])
    assert disabled.exit_code == 0 and "Revoked 1 API token" in disabled.output
    assert error_of(app.test_client().get("/council/api/submissions", headers=old), 401)
    assert cli.invoke(args=["add-officer", OFFICER]).exit_code == 0
    assert "revoked" in error_of(app.test_client().get("/council/api/submissions", headers=old), 401)
    new = {"Authorization": f"Bearer {issue_token(app)}"}
    assert app.test_client().get("/council/api/submissions", headers=new).status_code == 200


def test_a_token_issued_before_a_disable_stays_revoked_without_its_revocation_record(app, store):
    """An officer disabled before disabling revoked tokens (no revoked.json), then re-added: the token is refused."""
    from functions.council.officers import Officers

    headers = {"Authorization": f"Bearer {issue_token(app)}"}
    officers = Officers(store)
    officers.change(officers.find(OFFICER), disabled=True)
    officers.add(OFFICER)
    assert "revoked" in error_of(app.test_client().get("/council/api/submissions", headers=headers), 401)


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "FOO", "POST", "DELETE"])
@pytest.mark.parametrize("path", ["/council/api/submissions", "/council/api/openapi.json", "/council/api/nowhere"])
def test_every_method_and_address_under_the_api_is_answered_in_json(app, method, path):
    response = app.test_client().open(path, method=method)
    if path.endswith("nowhere"):
        assert error_of(response, 404)
    else:
        assert error_of(response, 405)
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}


def test_the_openapi_document_says_dates_must_be_in_order_and_the_api_refuses_them_otherwise(app, api):
    document = app.test_client().get("/council/api/openapi.json").get_json()
    [to] = [p for p in document["paths"]["/submissions"]["get"]["parameters"] if p["name"] == "submitted_to"]
    assert "must not be before submitted_from" in to["description"]
    response = api.get("/council/api/submissions?submitted_from=2026-11-02&submitted_to=2026-11-01")
    assert error_of(response, 400) and "submitted_to" in response.get_json()["error"]["fields"]
    assert api.get("/council/api/submissions?submitted_from=2026-11-01&submitted_to=2026-11-01").status_code == 200
