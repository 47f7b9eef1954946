"""functions/mail/mailer.py's outbox: what `make run` and the tests send email to."""

import email
from email import policy

from hypothesis import given, strategies as st

from functions.mail.mailer import compose, send


def test_the_outbox_lists_messages_in_the_order_they_were_sent(tmp_path):
    for number in range(50):  # many within one second, as when two officers ask for a link at once
        send(
            f"outbox:{tmp_path}",
            compose("portal@exampleshire.gov.uk", "officer@exampleshire.gov.uk", f"Message {number}", "Hello"),
        )
    subjects = [
        email.message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in sorted(tmp_path.glob("*.eml"))
    ]
    assert subjects == [f"Message {number}" for number in range(50)]
    assert not list(tmp_path.glob(".*.partial"))


@given(
    st.lists(
        st.sampled_from(
            [
                "Briefing",
                "–",
                "catering",
                "École",
                "and",
                "a",
                "very",
                "long",
                "title",
                "—",
                "2027",
                "Exampleshire",
                "meet-the-buyer",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_subject_of_any_length_reads_back_exactly_as_it_was_written(words):
    subject = " ".join(words)
    sent = compose("events@exampleshire.gov.uk", "ann@example.com", subject, "Hello").as_bytes()
    assert all(len(line) <= 78 for line in sent.split(b"\n"))  # folded
    assert email.message_from_bytes(sent, policy=policy.default)["Subject"] == subject  # no doubled space


def test_every_message_is_dated_identified_and_has_plain_text_and_html_from_one_markdown_source():
    body = "Hello,\n\nJoin from your browser: [join the briefing](https://teams.example.com/l/x).\n\n- **When**: 2pm\n"
    sent = email.message_from_bytes(
        compose("events@exampleshire.gov.uk", "ann@example.com", "Your place", body, markdown=True).as_bytes(),
        policy=policy.default,
    )
    for header in ("Date", "Message-ID", "From", "To", "Subject"):
        assert sent[header], header
    assert sent["Date"].datetime.tzinfo is not None
    plain = sent.get_body(("plain",)).get_content()
    html = sent.get_body(("html",)).get_content()
    assert "join the briefing (https://teams.example.com/l/x)" in plain and "- When: 2pm" in plain
    assert '<a href="https://teams.example.com/l/x">join the briefing</a>' in html and "<strong>When</strong>" in html
    for part in (plain, html):
        assert "](" not in part and "**" not in part


def test_a_plain_text_message_is_sent_as_it_was_written_and_dated():
    sent = email.message_from_bytes(
        compose(
            "portal@exampleshire.gov.uk",
            "officer@exampleshire.gov.uk",
            "Sign in",
            "Use this link:\nhttps://x.example/a?b=1&c=2\n",
        ).as_bytes(),
        policy=policy.default,
    )
    assert sent.get_content() == "Use this link:\nhttps://x.example/a?b=1&c=2\n" and sent["Date"] and sent["Message-ID"]
