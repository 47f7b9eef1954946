"""Registering for an event through the register function's HTTP interface, on the file store and on S3 (moto)."""
import email
import re
from email import policy
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from functions.storage import StorageUnavailable, open_store

from .event_factory import (PAST_HYBRID, SAMPLE_NOW, UPCOMING_IN_PERSON, UPCOMING_ONLINE, content_with_events, details,
                            make_app, upcoming_event)
from .conftest import CONTENT
from .supplier import CSRF


class Registrant:
    """Someone using the static event page's form, then their private link, with the Flask test client."""

    def __init__(self, client, slug):
        self.client, self.slug = client, slug

    def register(self, **fields):
        return self.client.post(f"/events/{self.slug}/register", data=fields)

    def page(self, response) -> str:
        return self.client.get(response.headers["Location"]).get_data(as_text=True)

    def cancel(self, private_page: str):
        form = self.client.get(private_page.rstrip("/") + "/cancel").get_data(as_text=True)
        match = CSRF.search(form)
        return self.client.post(private_page.rstrip("/") + "/cancel", data={"csrf_token": match.group(1) or match.group(2)})


def private_page(response) -> str:
    return urlsplit(response.headers["Location"]).path


def emails(outbox) -> list:
    """The emails sent, oldest first (outbox file names are random within a second)."""
    sent = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sent]


def calendar_attachment(message) -> Calendar:
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return Calendar.from_ical(attachment.get_payload(decode=True))


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def store(storage_url):
    return open_store(storage_url)


@pytest.fixture
def sample_app(built, storage_url, outbox):
    return make_app(CONTENT, built[1], storage_url, outbox, clock=lambda: SAMPLE_NOW)


@pytest.fixture
def person(sample_app):
    return Registrant(sample_app.test_client(), UPCOMING_IN_PERSON)


@pytest.fixture
def one_place(built, storage_url, outbox, tmp_path):
    """An event with a single place, a month after SAMPLE_NOW."""
    content = content_with_events(tmp_path, upcoming_event("one-place", capacity=1, now=SAMPLE_NOW))
    return make_app(content, built[1], storage_url, outbox, clock=lambda: SAMPLE_NOW)


def test_registering_confirms_a_place_and_emails_the_private_link_and_calendar(person, outbox, store):
    response = person.register(**details(1, needs="A hearing loop, please", questions="Will there be lots?"))
    assert response.status_code == 303
    html = person.page(response)
    assert "Registration complete" in html
    link = f"http://localhost{private_page(response)}"
    assert link in html and "We have emailed it to you at person1@example.com" in html
    assert "A hearing loop, please" in html and "Will there be lots?" in html
    [message] = emails(outbox)
    assert message["To"] == "person1@example.com" and message["Subject"].startswith("Your place at")
    assert link in message.get_body(("plain",)).get_content()
    [event] = calendar_attachment(message).events
    assert event["UID"] == f"{UPCOMING_IN_PERSON}@localhost"
    assert len(store.keys(f"events/{UPCOMING_IN_PERSON}/places/")) == 1


def test_an_online_place_comes_with_the_joining_details(sample_app, outbox):
    person = Registrant(sample_app.test_client(), UPCOMING_ONLINE)
    response = person.register(**details(2))
    assert "teams.example.com/l/meetup-join" in person.page(response)
    [message] = emails(outbox)
    assert "Passcode: Meals27" in message.get_body(("plain",)).get_content()
    assert "Meals27" in str(calendar_attachment(message).events[0]["DESCRIPTION"])
    personal = person.client.get(private_page(response) + "calendar.ics")
    assert personal.status_code == 200 and b"Meals27" in personal.data


def test_the_same_email_twice_updates_the_first_registration(person, outbox, store):
    first = person.register(**details(3))
    second = person.register(**details(3, name="Person Three", email="PERSON3@Example.com "))
    assert second.status_code == 303
    assert urlsplit(second.headers["Location"]).path == f"/events/{UPCOMING_IN_PERSON}/register/updated"
    updated_page = person.page(second)
    assert "we updated that registration instead of taking a second place" in updated_page
    assert not re.search(r"/register/[A-Za-z0-9_-]{32}/", updated_page)  # the link goes only to the owner of the address
    assert len(store.keys(f"events/{UPCOMING_IN_PERSON}/places/")) == 1
    versions = store.keys(f"events/{UPCOMING_IN_PERSON}/registrations/")
    assert [store.read_json(k)["details"]["name"] for k in versions] == ["Person 3", "Person Three"]
    assert "Person Three" in person.client.get(private_page(first)).get_data(as_text=True)
    assert [m["Subject"].split(" ")[0:2] for m in emails(outbox)] == [["Your", "place"], ["We", "have"]]


def test_cancelling_gives_the_place_to_the_first_person_waiting_and_emails_them(one_place, outbox, store):
    client = one_place.test_client()
    first, second, third = (Registrant(client, "one-place").register(**details(n)) for n in (1, 2, 3))
    assert "Registration complete" in client.get(first.headers["Location"]).get_data(as_text=True)
    assert "You are number 1 on the waiting list" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert "You are number 2 on the waiting list" in client.get(third.headers["Location"]).get_data(as_text=True)

    cancelled = Registrant(client, "one-place").cancel(private_page(first))
    assert cancelled.status_code == 303
    assert "We have cancelled your registration" in client.get(cancelled.headers["Location"]).get_data(as_text=True)
    assert "You have a place" in client.get(private_page(second)).get_data(as_text=True)
    assert "You are number 1 on the waiting list" in client.get(private_page(third)).get_data(as_text=True)
    offer = emails(outbox)[-1]
    assert offer["To"] == "person2@example.com" and offer["Subject"].startswith("A place has come up for you")
    assert calendar_attachment(offer).events
    # The place is the same place, given again: its second generation.
    assert store.keys("events/one-place/places/") == ["events/one-place/places/0001/0001.json", "events/one-place/places/0001/0002.json"]


def test_cancelling_twice_changes_nothing(one_place):
    client = one_place.test_client()
    response = Registrant(client, "one-place").register(**details(1))
    page = private_page(response)
    assert Registrant(client, "one-place").cancel(page).status_code == 303
    assert client.get(page + "cancel").status_code == 302  # already cancelled: back to the private page
    assert "You no longer have a place" in client.get(page).get_data(as_text=True)


def test_someone_who_cancelled_can_register_again(one_place, store):
    client = one_place.test_client()
    Registrant(client, "one-place").cancel(private_page(Registrant(client, "one-place").register(**details(1))))
    again = Registrant(client, "one-place").register(**details(1))
    assert "/register/updated" not in again.headers["Location"]
    assert "Registration complete" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(store.keys("events/one-place/emails/")) == 2


def test_mistakes_are_explained_and_the_answers_kept(person, store):
    response = person.register(**details(4, email="person4 at example", size="", role="", questions="Is there parking?"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in html and "There is a problem" in html
    for message in ("Enter an email address in the correct format, like name@example.com",
                    "Select the size of your organisation", "Enter your role"):
        assert message in html
    assert 'value="Person 4"' in html and 'value="person4 at example"' in html and "Is there parking?" in html
    assert 'href="#size"' in html
    assert store.keys("events/") == []


def test_after_closing_time_the_function_takes_nothing(built, storage_url, outbox, store):
    from portal.content import load_content

    event = load_content(CONTENT).event(UPCOMING_IN_PERSON)
    app = make_app(CONTENT, built[1], storage_url, outbox, clock=lambda: event.registration_closes)
    response = Registrant(app.test_client(), UPCOMING_IN_PERSON).register(**details(5))
    assert response.status_code == 409
    assert "Registration for this event has closed" in response.get_data(as_text=True)
    assert store.keys("events/") == [] and not outbox.exists()


def test_a_past_event_takes_no_registrations(sample_app, store):
    response = Registrant(sample_app.test_client(), PAST_HYBRID).register(**details(6))
    assert response.status_code == 409
    assert store.keys("events/") == []


def test_another_site_cannot_register_a_visitor(person, store):
    response = person.client.post(f"/events/{UPCOMING_IN_PERSON}/register", data=details(7), headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert store.keys("events/") == []


def test_cancelling_needs_the_form_token(person):
    page = private_page(person.register(**details(8)))
    response = person.client.post(page + "cancel")
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)


def test_unknown_or_mangled_private_links_are_not_found(person):
    person.register(**details(9))
    base = f"/events/{UPCOMING_IN_PERSON}/register"
    for address in (f"{base}/not-a-token/", f"{base}/{'x' * 500}/", f"{base}/%00%ff/", f"{base}/abc/cancel",
                    f"{base}/abc/calendar.ics", "/events/nothing/register/abc/"):
        assert person.client.get(address).status_code == 404, address


def test_private_links_are_kept_only_as_hashes(person, store):
    token = private_page(person.register(**details(10))).rstrip("/").rsplit("/", 1)[1]
    for key in store.keys("events/"):
        assert token not in key and token.encode() not in store.read(key)


def test_registrations_are_never_cached(person):
    response = person.register(**details(11))
    assert response.headers["Cache-Control"] == "no-store"
    assert person.client.get(response.headers["Location"]).headers["Cache-Control"] == "no-store"


def test_registrations_record_when_they_will_be_deleted(person, store):
    person.register(**details(12))
    [key] = store.keys(f"events/{UPCOMING_IN_PERSON}/registrations/")
    assert store.read_json(key)["delete_after"] == "2027-11-23"  # REGISTRATION_RETENTION_DAYS after registering


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
def test_a_storage_outage_keeps_the_answers_on_screen(sample_app, person, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("disk offline")

    with sample_app.app_context():
        from functions.register import registrations
        monkeypatch.setattr(registrations().store, "create", unavailable)
    response = person.register(**details(13))
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "We could not save your registration" in html and 'value="Person 13"' in html


HOSTILE = [
    {"name": "x" * 50_000}, {"name": "Ann\x00Smith"}, {"organisation": "Acme\tLtd"}, {"email": "a@b.c" * 100},
    {"size": ["micro", "large"]}, {"size": "enormous"}, {"name": ["one", "two"]}, {"questions": "q" * 6000},
    {"needs": "\x1b[31m"}, {"email": "ann@example.com\x00"}, {"role": "<script>alert(1)</script>"},
    {"name": "=HYPERLINK(\"http://evil\")"}, {"questions": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
]


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)  # validation, not storage: one backend is enough
def test_hostile_input_gets_a_4xx_or_is_stored_safely_never_a_5xx(person, store):
    for n, change in enumerate(HOSTILE):
        response = person.register(**details(100 + n, **change))
        assert response.status_code in (303, 400), (change, response.status_code)
        if response.status_code == 400:
            assert "There is a problem" in response.get_data(as_text=True)
    big = person.client.post(f"/events/{UPCOMING_IN_PERSON}/register", data={"name": "x" * (2 * 1024 * 1024)})
    assert big.status_code == 413
    not_a_form = person.client.post(f"/events/{UPCOMING_IN_PERSON}/register", data=b"\xff\xfe{]", content_type="application/json")
    assert not_a_form.status_code == 400
    for key in store.keys(f"events/{UPCOMING_IN_PERSON}/registrations/"):
        assert "\x00" not in str(store.read_json(key))


def test_registering_through_the_lambda_entry(built, tmp_path, monkeypatch):
    from functions import handlers

    from .lambda_client import LambdaClient

    content = content_with_events(tmp_path, upcoming_event("by-lambda"))
    for name, value in {"PORTAL_STORAGE": str(tmp_path / "storage"), "PORTAL_ASSETS": str(built[1]),
                        "PORTAL_CONTENT": str(content), "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
                        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    client = LambdaClient(handlers.register)
    response = client.post("/events/by-lambda/register", details(1))
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Registration complete" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
