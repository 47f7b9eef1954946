"""Storage stops while a contact fills in a return: the try-again page keeps every figure they typed, and once
storage is back the same answers go through."""

import uuid
from datetime import datetime, timezone

from functions.contracts.records import Contracts
from functions.contracts.returns import Returns
from functions.storage import open_store

from .officer import ADMIN, Clock, council_app_with_officers, csrf
from .test_faults import BUCKET, IMPATIENT, storage_endpoint  # noqa: F401  (a moto server the test can stop)
from .test_supplier_returns import ANSWERS, CONTRACT, Q1, form_url, sign_in


def test_storage_down_gives_the_try_again_page_with_the_figures_still_in_the_form(built, storage_endpoint, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("AWS_ENDPOINT_URL", storage_endpoint.url)
    storage = f"s3://{BUCKET}/{uuid.uuid4().hex}"
    app = council_app_with_officers(
        built[1],
        storage,
        tmp_path / "outbox",
        Clock(datetime(2026, 11, 2, 12, tzinfo=timezone.utc)),
        "https://portal.example",
        **IMPATIENT,
    )
    contract_id = Contracts(open_store(storage)).create(CONTRACT, ADMIN)
    ann = sign_in(app, tmp_path / "outbox", "ann@roadworks.example")
    token = csrf(ann.client.get(form_url(contract_id)).get_data(as_text=True))

    storage_endpoint.stop()
    for action in ("continue", "save"):
        refused = ann.client.post(form_url(contract_id), data={**ANSWERS, "action": action, "csrf_token": token})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 503 and "We could not save your return" in page and "try again in a few minutes" in page
        assert 'value="12.5"' in page and 'value="EX1, EX4"' in page and "Payroll for the quarter</textarea>" in page
        assert 'value="Ann Smith"' in page and "<title>Error:" in page
    elsewhere = ann.client.get(f"/supplier/contracts/{contract_id}/")
    assert elsewhere.status_code == 503 and "Nothing you sent before has been lost" in elsewhere.get_data(as_text=True)

    storage_endpoint.start()
    answered = ann.client.post(form_url(contract_id), data={**ANSWERS, "csrf_token": token})
    assert answered.status_code == 303
    assert Returns(open_store(storage)).draft(contract_id, Q1.id)["form"]["lines-WB06-quantity"] == "12.5"
