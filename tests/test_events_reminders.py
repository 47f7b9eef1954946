"""The daily reminder: only people with a place at tomorrow's events, each once, with a fixed clock."""

import email
from datetime import datetime, timedelta
from email import policy

import pytest

from functions.events.registrations import Registrations
from functions.storage import open_store
from portal.events.model import LONDON

from .test_outbox import free_port
from .event_factory import content_with_events, details, event_markdown, make_app

# An event at 9am on Sunday 31 October 2027, the day the clocks go back: "tomorrow" must be counted in UK days.
EVENT_STARTS = datetime(2027, 10, 31, 9, 0, tzinfo=LONDON)
DAY_BEFORE = datetime(2027, 10, 30, 8, 0, tzinfo=LONDON)


@pytest.fixture
def reminders_app(built, tmp_path):
    content = content_with_events(
        tmp_path,
        {
            "tomorrow": event_markdown(
                "Tomorrow's event", "2027-10-31 09:00", "2027-10-31 11:00", "2027-10-29 17:00", capacity=2, format="online"
            ),
            "next-week": event_markdown("Next week's event", "2027-11-06 09:00", "2027-11-06 11:00", "2027-11-05 17:00"),
        },
    )
    clock = {"now": DAY_BEFORE - timedelta(days=30)}
    app = make_app(content, built[1], str(tmp_path / "storage"), tmp_path / "outbox", clock=lambda: clock["now"])
    registrations = Registrations(open_store(str(tmp_path / "storage")), clock=lambda: clock["now"])
    content = app.extensions["portal.content"]
    for n in (1, 2, 3):  # 2 places: the third waits
        registrations.register(content.event("tomorrow"), details(n))
    registrations.register(content.event("next-week"), details(4))
    clock["now"] = DAY_BEFORE
    return app


def send(app, now=DAY_BEFORE):
    from functions.events.reminders import send_reminders

    with app.test_request_context(base_url="http://localhost"):
        return send_reminders(now)


def sent(tmp_path) -> list:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in (tmp_path / "outbox").glob("*.eml")
        if b"Reminder" in p.read_bytes()
    ]


def test_people_with_a_place_tomorrow_get_one_reminder_with_joining_details(reminders_app, tmp_path):
    result = send(reminders_app)
    assert (result.sent, result.failed) == (2, 0)
    reminders = sent(tmp_path)
    assert sorted(m["To"] for m in reminders) == ["person1@example.com", "person2@example.com"]
    body = reminders[0].get_body(("plain",)).get_content()
    assert "Sunday 31 October 2027, 9am to 11am" in body
    assert "teams.example.com/secret-meeting-link" in body
    assert "http://localhost/events/tomorrow/register/" in body


def test_running_again_sends_nothing_twice(reminders_app, tmp_path):
    send(reminders_app)
    again = send(reminders_app, DAY_BEFORE + timedelta(hours=10))
    assert (again.sent, again.already_sent) == (0, 2)
    assert len(sent(tmp_path)) == 2


def test_no_reminders_on_other_days(reminders_app, tmp_path):
    assert send(reminders_app, DAY_BEFORE - timedelta(days=1)).sent == 0
    assert send(reminders_app, EVENT_STARTS).sent == 0
    assert sent(tmp_path) == []


def test_reminders_made_while_the_mail_server_is_down_arrive_once_when_it_is_back(reminders_app, tmp_path):
    from functions.mail import outbox

    transport = reminders_app.config["PORTAL_EMAIL"]
    reminders_app.config["PORTAL_EMAIL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    try:
        assert send(reminders_app).sent == 2  # stored in the outbox, to be delivered when the server is back
    finally:
        reminders_app.config["PORTAL_EMAIL"] = transport
    assert sent(tmp_path) == []
    assert send(reminders_app).already_sent == 2
    store = open_store(str(tmp_path / "storage"))
    with reminders_app.app_context():
        assert outbox.deliver_due(store, now=DAY_BEFORE + timedelta(minutes=5)).sent == 2
        assert outbox.deliver_due(store, now=DAY_BEFORE + timedelta(hours=5)).sent == 0
    assert sorted(m["To"] for m in sent(tmp_path)) == ["person1@example.com", "person2@example.com"]


def test_the_lambda_entry_runs_the_reminders(built, tmp_path, monkeypatch):
    from functions import handlers
    from portal.events.model import LONDON as london

    tomorrow = (datetime.now(london) + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    content = content_with_events(
        tmp_path,
        {
            "soon": event_markdown(
                "Soon",
                f"{tomorrow:%Y-%m-%d %H:%M}",
                f"{tomorrow + timedelta(hours=1):%Y-%m-%d %H:%M}",
                f"{tomorrow - timedelta(days=2):%Y-%m-%d %H:%M}",
                published=f"{tomorrow - timedelta(days=40):%Y-%m-%d %H:%M}",
            )
        },
    )
    registrations = Registrations(open_store(str(tmp_path / "storage")), clock=lambda: tomorrow - timedelta(days=3))
    from portal.content import load_content

    registrations.register(load_content(content).event("soon"), details(1))
    for name, value in {
        "PORTAL_STORAGE": str(tmp_path / "storage"),
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_CONTENT": str(content),
        "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    every_quarter_hour = {"source": "aws.scheduler"}
    assert "reminders" not in handlers.event_reminders(every_quarter_hour, None)  # only places and changes
    morning = {"source": "aws.scheduler", "reminders": True}
    assert handlers.event_reminders(morning, None)["reminders"] == {"sent": 1, "already_sent": 0, "failed": 0}
    assert handlers.event_reminders(morning, None)["reminders"]["sent"] == 0
