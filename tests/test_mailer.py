"""functions/mailer.py's outbox: what `make run` and the tests send email to."""
import email
from email import policy

from functions.mailer import compose, send


def test_the_outbox_lists_messages_in_the_order_they_were_sent(tmp_path):
    for number in range(50):  # many within one second, as when two officers ask for a link at once
        send(f"outbox:{tmp_path}", compose("portal@exampleshire.gov.uk", "officer@exampleshire.gov.uk",
                                           f"Message {number}", "Hello"))
    subjects = [email.message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"]
                for f in sorted(tmp_path.glob("*.eml"))]
    assert subjects == [f"Message {number}" for number in range(50)]
    assert not list(tmp_path.glob(".*.partial"))
