"""The email a supplier gets when it sends its self-assessment: through the durable outbox, with the PDF attached.

The mail server is a real SMTP server on loopback (aiosmtpd), stopped and started as in tests/test_outbox.py.
"""

import email
import email.policy
from datetime import datetime, timedelta, timezone

import pytest

from functions.mail import outbox
from functions.storage import open_store
from portal import create_app

from .conftest import CONTENT
from .supplier import Supplier
from .test_outbox import smtp  # noqa: F401  the fixture


@pytest.fixture
def sending(built, tmp_path, smtp):  # noqa: F811
    storage = str(tmp_path / "storage")
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_EMAIL": smtp["setting"],
        }
    )
    supplier = Supplier(app.test_client(), app.extensions["portal.content"].assessment("readiness"))
    supplier.start()
    supplier.complete_all({"contact_email": "Owner@Example.co.uk"})
    return app, supplier, open_store(storage), smtp


def received(smtp) -> list:  # noqa: F811
    return [email.message_from_bytes(content, policy=email.policy.default) for _, content in smtp["inbox"].received]


def test_an_email_outage_loses_nothing_and_the_email_holds_the_reference_readiness_plan_check_and_pdf(sending):
    app, supplier, store, smtp = sending  # noqa: F811
    assert supplier.submit(times=2)[0].status_code == 303  # the mail server is down; a double click sends once
    [record] = [store.read_json(k) for k in store.keys("submissions/")]
    assert len(outbox.pending(store)) == 1, "kept for the sender while the mail server is down"

    smtp["start"]()
    with app.app_context():
        later = datetime.now(timezone.utc) + timedelta(hours=1)
        assert outbox.deliver_due(store, now=later).sent == 1
    [message] = received(smtp)
    assert message["To"] == "Owner@example.co.uk" and record["reference"] in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert f"Reference number: {record['reference']}" in body
    assessment = supplier.assessment
    for theme in assessment.scored_sections:
        level = next(l.label for l in assessment.levels if l.id == record["readiness"][theme.id]["level"])
        assert f"- {theme.title}: {level}" in body
    assert "We checked your plan against" in body
    assert f"http://localhost{supplier.task_list}confirmation/" in body
    [pdf] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"self-assessment-{record['reference']}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    assert outbox.pending(store) == []


def test_sending_an_update_emails_again(sending):
    app, supplier, store, smtp = sending  # noqa: F811
    smtp["start"]()
    supplier.submit()
    supplier.post(f"{supplier.task_list}update", {}, form_page=f"{supplier.task_list}confirmation/")
    supplier.submit()
    assert len(received(smtp)) == 2 and len(store.keys("submissions/")) == 2
