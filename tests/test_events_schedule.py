"""What the event schedule does besides reminders: places that more capacity frees go to those waiting, and a change
to an event is emailed once; `flask --app portal send-reminders` does it all and is safe to run twice."""

import email
import re
from datetime import timedelta
from email import policy

import pytest

from functions.mail import outbox
from functions.events.registrations import Registrations
from functions.storage import open_store

from .calendars import read_everywhere
from .event_factory import SAMPLE_NOW, content_with_events, details, make_app, upcoming_event
from .test_outbox import smtp  # noqa: F401  (the fixture: a real SMTP server on loopback, stopped and started)

SLUG = "popular"


def emails(outbox_folder) -> list:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(outbox_folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def app_with(tmp_path, built, storage, capacity=2, updates="", **settings):
    """The app as it is after a deploy of content with this capacity and these updates, on the same storage."""
    text = upcoming_event(SLUG, capacity=capacity, now=SAMPLE_NOW)[SLUG]
    if updates:
        text = text.replace("---\n1. Welcome", f"{updates}---\n1. Welcome")
    root = tmp_path / f"deploy-{capacity}-{len(updates)}"
    root.mkdir(exist_ok=True)
    content = content_with_events(root, {SLUG: text})
    return make_app(content, built[1], storage, tmp_path / "outbox", clock=lambda: SAMPLE_NOW, **settings)


def registered(app, storage, people):
    registrations = Registrations(open_store(storage), clock=lambda: SAMPLE_NOW - timedelta(days=1))
    event = app.extensions["portal.content"].event(SLUG)
    for n in people:
        registrations.register(event, details(n))
    return registrations


def run_schedule(app):
    from functions.events.reminders import run_schedule as run

    with app.test_request_context(base_url="http://localhost"):
        return run(reminders=False)["checked"]


def standings(registrations):
    return [(r.details["email"], s.status, s.place or s.position) for r, s, _ in registrations.everyone(SLUG)]


def test_raising_the_capacity_promotes_those_waiting_in_order_at_the_next_check(built, storage_url, tmp_path):
    before = app_with(tmp_path, built, storage_url, capacity=2)
    registrations = registered(before, storage_url, range(1, 6))  # 2 places, 3 waiting
    after = app_with(tmp_path, built, storage_url, capacity=4)  # the council adds 2 places in content

    assert run_schedule(after)["promoted"] == 2
    assert standings(registrations) == [
        ("person1@example.com", "confirmed", 1),
        ("person2@example.com", "confirmed", 2),
        ("person3@example.com", "confirmed", 3),
        ("person4@example.com", "confirmed", 4),
        ("person5@example.com", "waiting", 1),
    ]
    offers = [m["To"] for m in emails(tmp_path / "outbox") if m["Subject"].startswith("A place has come up")]
    assert offers == ["person3@example.com", "person4@example.com"]
    assert run_schedule(after)["promoted"] == 0  # nothing twice


def test_the_check_runs_every_15_minutes_in_the_reminders_function():
    import yaml

    from .test_infra import TEMPLATE, _CloudFormationLoader

    template = yaml.load(TEMPLATE.read_text(), Loader=_CloudFormationLoader)
    schedules = template["Resources"]["EventRemindersFunction"]["Properties"]["Events"]
    assert {e["Properties"]["ScheduleExpression"] for e in schedules.values()} == {"rate(15 minutes)", "cron(0 9 * * ? *)"}


UPDATE = "updates:\n  - at: {at}\n    note: We moved the event to Committee Room 2.\n"


def test_a_change_to_an_event_is_emailed_once_to_everyone_with_a_place_or_waiting(built, storage_url, tmp_path):
    before = app_with(tmp_path, built, storage_url, capacity=1)
    registrations = registered(before, storage_url, (1, 2, 3))  # 1 place, 2 waiting
    with before.app_context():
        first = registrations.get(before.extensions["portal.content"].event(SLUG), registrations.everyone(SLUG)[0][0].id)
    registrations.cancel(before.extensions["portal.content"].event(SLUG), registrations.everyone(SLUG)[2][0])
    sent_before = len(emails(tmp_path / "outbox"))
    changed_at = (SAMPLE_NOW - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    after = app_with(tmp_path, built, storage_url, capacity=1, updates=UPDATE.format(at=changed_at))

    assert run_schedule(after)["told_of_changes"] == 2
    told = emails(tmp_path / "outbox")[sent_before:]
    assert sorted(m["To"] for m in told) == ["person1@example.com", "person2@example.com"]  # not the cancelled one
    for message in told:
        assert "We moved the event to Committee Room 2." in message.get_body(("plain",)).get_content()
    [with_place] = [m for m in told if m["To"] == first.details["email"]]
    [attachment] = [p for p in with_place.iter_attachments() if p.get_content_type() == "text/calendar"]
    [entry] = read_everywhere(attachment.get_payload(decode=True))
    assert entry["sequence"] == 1  # the new entry replaces the old in the calendar
    assert run_schedule(after)["told_of_changes"] == 0  # once
    assert len(emails(tmp_path / "outbox")) == sent_before + 2


def test_nobody_who_registered_after_a_change_is_told_of_it(built, storage_url, tmp_path):
    changed_at = (SAMPLE_NOW - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    app = app_with(tmp_path, built, storage_url, updates=UPDATE.format(at=changed_at))
    registered(app, storage_url, (1,))  # a day before SAMPLE_NOW: after the change
    assert run_schedule(app)["told_of_changes"] == 0


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
def test_send_reminders_command_is_documented_and_safe_to_run_twice(built, storage_url, tmp_path):
    before = app_with(tmp_path, built, storage_url, capacity=1)
    registered(before, storage_url, (1, 2))
    after = app_with(tmp_path, built, storage_url, capacity=2)
    runner = after.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0 and "Places given to people waiting: 1" in first.output
    again = runner.invoke(args=["send-reminders"])
    assert again.exit_code == 0 and "Places given to people waiting: 0" in again.output
    assert [m["To"] for m in emails(tmp_path / "outbox") if m["Subject"].startswith("A place")] == ["person2@example.com"]
    from portal.config import PROJECT_ROOT

    assert "flask --app portal send-reminders" in (PROJECT_ROOT / "README.md").read_text()


@pytest.mark.parametrize("storage_url", ["file", "s3"], indirect=True)
def test_a_promotion_made_while_the_mail_server_is_down_arrives_once_when_it_is_back(built, storage_url, tmp_path, smtp):  # noqa: F811
    before = app_with(tmp_path, built, storage_url, capacity=1)
    registered(before, storage_url, (1, 2))
    after = app_with(tmp_path, built, storage_url, capacity=2, PORTAL_EMAIL=smtp["setting"])  # the server is down

    assert run_schedule(after)["promoted"] == 1
    assert smtp["inbox"].received == []
    smtp["start"]()
    store = open_store(storage_url)
    with after.app_context():
        assert outbox.deliver_due(store, smtp["setting"], SAMPLE_NOW + timedelta(minutes=5)).sent == 1
        assert outbox.deliver_due(store, smtp["setting"], SAMPLE_NOW + timedelta(hours=5)).sent == 0
    [(recipients, content)] = smtp["inbox"].received
    message = email.message_from_bytes(content, policy=policy.default)
    assert recipients == ["person2@example.com"] and message["Subject"].startswith("A place has come up")
    assert re.search(r"/events/popular/register/[A-Za-z0-9_-]{20,}/", message.get_body(("plain",)).get_content())
