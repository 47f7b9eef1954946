"""The durable outbox: every email is stored before it is sent, retried while the mail server is down, sent once.

The mail server is a real SMTP server on loopback (aiosmtpd), stopped and started; storage is the file store and
moto's S3 server.
"""

import socket
import threading
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller

from functions.mail import mailer

from functions.mail import outbox
from functions.storage import open_store

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        import email

        return sorted(email.message_from_bytes(content)["Subject"] for _, content in self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """A mail server's address, and start()/stop() for it; it begins stopped."""
    inbox, port, running = Inbox(), free_port(), {}

    def start():
        running["controller"] = Controller(inbox, hostname="127.0.0.1", port=port)
        running["controller"].start()

    def stop():
        running.pop("controller").stop()

    yield {"setting": f"smtp://127.0.0.1:{port}", "inbox": inbox, "start": start, "stop": stop}
    if running:
        stop()


def message(n: int):
    return mailer.compose("council@example.gov.uk", f"person{n}@example.com", f"Message {n}", f"Hello {n}")


def test_a_message_sent_while_the_mail_server_is_up_arrives_at_once_and_leaves_nothing_pending(store, smtp):
    smtp["start"]()
    outbox.post(store, message(1), setting=smtp["setting"], now=T0)
    assert smtp["inbox"].subjects() == ["Message 1"]
    assert outbox.pending(store) == []
    assert outbox.deliver_due(store, smtp["setting"], T0 + timedelta(hours=1)).sent == 0
    assert len(smtp["inbox"].received) == 1


def test_messages_posted_while_the_mail_server_is_down_arrive_once_when_it_is_back(store, smtp):
    for n in (1, 2, 3):
        outbox.post(store, message(n), setting=smtp["setting"], now=T0)
    assert len(outbox.pending(store)) == 3

    # Still down a minute later: each failed again, and waits longer.
    assert outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=1)).failed == 3
    assert outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=2)).waiting == 3

    smtp["start"]()
    result = outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=3))
    assert (result.sent, result.failed) == (3, 0)
    assert smtp["inbox"].subjects() == ["Message 1", "Message 2", "Message 3"]
    assert sorted(rcpts for rcpts, _ in smtp["inbox"].received) == [
        ["person1@example.com"],
        ["person2@example.com"],
        ["person3@example.com"],
    ]
    for later in (4, 60, 600):
        outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=later))
    assert len(smtp["inbox"].received) == 3
    assert outbox.pending(store) == []


def test_the_wait_between_tries_doubles_up_to_an_hour():
    assert [outbox.retry_after(n) for n in (1, 2, 3, 6, 7, 20)] == [timedelta(minutes=m) for m in (1, 2, 4, 32, 60, 60)]


def test_a_message_is_not_tried_again_before_its_wait_is_over(store, smtp):
    outbox.post(store, message(1), setting=smtp["setting"], now=T0)  # attempt 1 fails: next at T0 + 1 min
    smtp["start"]()
    assert outbox.deliver_due(store, smtp["setting"], T0 + timedelta(seconds=59)).waiting == 1
    assert smtp["inbox"].received == []
    assert outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=1)).sent == 1


def test_senders_running_at_once_deliver_each_message_once(store, smtp):
    for n in range(5):
        outbox.post(store, message(n), send_now=False, setting=smtp["setting"], now=T0)
    smtp["start"]()
    senders = [threading.Thread(target=outbox.deliver_due, args=(store, smtp["setting"], T0)) for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert smtp["inbox"].subjects() == [f"Message {n}" for n in range(5)]
    # Tidying up after delivery may have failed under the load (moto's version listing sometimes does); the next
    # run tidies and sends nothing again.
    outbox.deliver_due(store, smtp["setting"], T0 + timedelta(minutes=1))
    assert outbox.pending(store) == []
    assert len(smtp["inbox"].received) == 5


def test_a_sender_that_died_mid_attempt_is_followed_after_its_claim_expires(store, smtp):
    message_id = outbox.post(store, message(1), send_now=False, setting=smtp["setting"], now=T0)
    store.create_json(f"outbox/attempts/{message_id}/1.json", {"claimed_at": T0.isoformat()})  # and then it died
    smtp["start"]()
    assert outbox.deliver_due(store, smtp["setting"], T0 + outbox.CLAIM_EXPIRES - timedelta(seconds=1)).waiting == 1
    assert outbox.deliver_due(store, smtp["setting"], T0 + outbox.CLAIM_EXPIRES).sent == 1
    assert len(smtp["inbox"].received) == 1


def test_a_delivered_message_leaves_no_copy_of_its_text_in_storage(store, smtp):
    smtp["start"]()
    message_id = outbox.post(store, message(1), setting=smtp["setting"], now=T0)
    assert store.keys("outbox/") == [f"outbox/sent/{message_id}.json"]
    assert b"Hello 1" not in store.read(f"outbox/sent/{message_id}.json")


def test_send_email_command_delivers_what_is_due(built, tmp_path, smtp):
    from portal import create_app

    storage = tmp_path / "storage"
    outbox.post(
        open_store(str(storage)), message(7), setting=smtp["setting"], now=datetime.now(timezone.utc) - timedelta(hours=1)
    )
    smtp["start"]()
    app = create_app(
        {"TESTING": True, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": str(storage), "PORTAL_EMAIL": smtp["setting"]}
    )
    output = app.test_cli_runner().invoke(args=["send-email"]).output
    assert "Sent 1, failed 0" in output and "0 still to send" in output
    assert smtp["inbox"].subjects() == ["Message 7"]


def test_the_lambda_entry_delivers_what_is_due(built, tmp_path, monkeypatch, smtp):
    from functions import handlers

    outbox.post(
        open_store(str(tmp_path / "storage")),
        message(8),
        setting=smtp["setting"],
        now=datetime.now(timezone.utc) - timedelta(hours=1),
    )
    smtp["start"]()
    for name, value in {
        "PORTAL_STORAGE": str(tmp_path / "storage"),
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_EMAIL": smtp["setting"],
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    assert handlers.email_sender({"source": "aws.scheduler"}, None) == {"sent": 1, "failed": 0, "waiting": 0}
    assert smtp["inbox"].subjects() == ["Message 8"]


def test_the_local_server_delivers_what_could_not_be_sent_at_once(built, tmp_path, smtp):
    """make run's process runs a sender thread (PORTAL_SEND_EMAIL_EVERY), so a message waits only for the server."""
    import time

    from portal import create_app

    store = open_store(str(tmp_path / "storage"))
    outbox.post(store, message(9), setting=smtp["setting"], now=datetime.now(timezone.utc) - timedelta(hours=1))
    smtp["start"]()
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(tmp_path / "storage"),
            "PORTAL_EMAIL": smtp["setting"],
            "PORTAL_SEND_EMAIL_EVERY": 0.05,
        }
    )
    try:
        deadline = time.monotonic() + 30
        while outbox.pending(store) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.extensions["portal.email_sender"].set()
    assert smtp["inbox"].subjects() == ["Message 9"]


def test_a_sender_that_claims_a_message_just_delivered_by_another_sends_nothing(tmp_path, smtp):
    """Another sender delivered it, and tidied its claims away, between this one's look and its claim."""
    from functions.storage import FileStore

    class RacedStore(FileStore):
        def create_json(self, key, value, metadata=None):
            if key.startswith("outbox/attempts/") and key.endswith("/1.json"):
                message_id = key.split("/")[2]
                super().create_json(f"outbox/sent/{message_id}.json", {"sent_at": T0.isoformat(), "attempts": 1})
            return super().create_json(key, value, metadata)

    store = RacedStore(tmp_path / "storage")
    outbox.post(store, message(1), send_now=False, setting=smtp["setting"], now=T0)
    smtp["start"]()
    assert outbox.deliver_due(store, smtp["setting"], T0).sent == 0
    assert smtp["inbox"].received == [] and outbox.pending(store) == []


def test_an_address_no_mail_system_takes_is_refused_before_anything_is_stored(tmp_path):
    with pytest.raises(mailer.NotAnAddress):
        mailer.compose("council@example.gov.uk", "a..b@example.com", "Hello", "Hello")


def test_ses_refusing_a_message_is_a_failure_to_try_again_not_an_error_page(s3_env):
    """moto's SES refuses mail from an identity nobody verified, as SES does: the outbox keeps the message."""
    with pytest.raises(mailer.EmailFailed):
        mailer.send("ses:", message(1))


def test_the_outbox_folder_keeps_the_order_emails_were_sent_in_even_when_a_test_fixes_the_clock(built, tmp_path):
    from email import message_from_bytes

    from portal import create_app

    fixed = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)
    app = create_app({"TESTING": True, "PORTAL_ASSETS": built[1], "PORTAL_CLOCK": lambda: fixed})
    with app.app_context():
        for n in range(20):
            mailer.send(f"outbox:{tmp_path / 'sent'}", message(n))
    subjects = [message_from_bytes(path.read_bytes())["Subject"] for path in sorted((tmp_path / "sent").glob("*.eml"))]
    assert subjects == [f"Message {n}" for n in range(20)]
