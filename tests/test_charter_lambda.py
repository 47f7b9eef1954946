"""The Charter's Lambda entries, fed API Gateway HTTP API (payload v2) events: sign up and confirm through the
function's own app, and the scheduled round."""

import pytest

from functions import handlers
from functions.charter.signatories import Signatories
from functions.storage import open_store

from .charter_people import emails_to, link_in, sign_up_form
from .conftest import CONTENT
from .lambda_client import LambdaClient
from .officer import Clock, csrf


@pytest.fixture
def lambda_environment(built, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_STORAGE", str(tmp_path / "storage"))
    monkeypatch.setenv("PORTAL_ASSETS", str(built[1]))
    monkeypatch.setenv("PORTAL_CONTENT", str(CONTENT))
    monkeypatch.setenv("PORTAL_EMAIL", f"outbox:{tmp_path / 'outbox'}")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-test-key-that-is-long-enough-to-sign-cookies")
    monkeypatch.setattr(handlers, "_handlers", {})
    return tmp_path


def test_sign_up_and_confirm_through_the_lambda_entry(lambda_environment):
    client = LambdaClient(handlers.charter)
    response = client.post("/charter/sign-up", sign_up_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    path = link_in(emails_to(lambda_environment / "outbox", "pat0@example.com")[-1])
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert client.post(path, {"csrf_token": csrf(page.get_data(as_text=True))}).status_code == 303
    [record] = Signatories(open_store(str(lambda_environment / "storage")), Clock()).everyone()
    assert record["status"] == "pending"
    assert client.post("/charter/sign-up", {"organisation": ""}).status_code == 400


def test_the_scheduled_round_runs(lambda_environment):
    assert handlers.charter_reminders({}, None) == {"asked": 0, "lapsed": 0, "already": 0, "failed": 0}
