"""The self-assessment function's Lambda entry, fed API Gateway HTTP API (payload v2) events."""

import json

import pytest

from functions import handlers

from .conftest import CONTENT
from .lambda_client import LambdaClient
from .supplier import Supplier


@pytest.fixture
def lambda_supplier(built, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_STORAGE", str(tmp_path / "storage"))
    monkeypatch.setenv("PORTAL_ASSETS", str(built[1]))
    monkeypatch.setenv("PORTAL_CONTENT", str(CONTENT))
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-test-key-that-is-long-enough-to-sign-cookies")
    monkeypatch.setattr(handlers, "_handlers", {})
    from portal.content import load_content

    return Supplier(LambdaClient(handlers.assessment), load_content(CONTENT).assessment("readiness"))


def test_whole_journey_through_the_lambda_entry(lambda_supplier, tmp_path):
    lambda_supplier.start()
    lambda_supplier.complete_all()
    response = lambda_supplier.submit()
    assert response.status_code == 303
    confirmation = lambda_supplier.client.get(response.headers["Location"])
    assert "Self-assessment sent" in confirmation.get_data(as_text=True)
    [record] = list((tmp_path / "storage" / "submissions").rglob("*.json"))
    assert json.loads(record.read_text())["reference"] in confirmation.get_data(as_text=True)


def test_lambda_entry_sends_the_security_headers(lambda_supplier):
    task_list = lambda_supplier.start()
    response = lambda_supplier.client.get(task_list)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["Cache-Control"] == "no-store"


def test_evidence_retention_entry_deletes_a_gone_drafts_files(lambda_supplier, tmp_path):
    from functions.storage import FileStore

    store = FileStore(tmp_path / "storage")
    orphan = "evidence/readiness/" + "a" * 64 + "/" + "0" * 32
    store.create(orphan, b"%PDF- of a draft that has gone")
    assert handlers.evidence_retention({"source": "aws.scheduler"}, None) == {"deleted": 1}
    assert store.keys("evidence/") == []
