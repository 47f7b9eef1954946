"""Registering for an event through the register function's HTTP interface, on the file store and on S3 (moto)."""

import email
import re
from email import policy

import pytest
from hypothesis import given, strategies as st
from icalendar import Calendar

from functions.storage import StorageUnavailable

from .event_factory import (
    PAST_HYBRID,
    SAMPLE_NOW,
    UPCOMING_IN_PERSON,
    UPCOMING_ONLINE,
    content_with_events,
    details,
    make_app,
    upcoming_event,
)
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


NONCE = re.compile(r' nonce="[^"]*"')
LINK = re.compile(r"http://localhost(/events/[a-z0-9-]+/register/[A-Za-z0-9_-]{20,}/)")


def private_page(outbox, address: str) -> str:
    """The private page in the newest email to `address`: the only place a private link is given."""
    for message in reversed(emails(outbox)):
        if message["To"] == address:
            return LINK.search(message.get_body(("plain",)).get_content()).group(1)
    raise AssertionError(f"no email to {address}")


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
def sample_app(built, storage_url, outbox):
    return make_app(CONTENT, built[1], storage_url, outbox, clock=lambda: SAMPLE_NOW)


@pytest.fixture
def person(sample_app):
    return Registrant(sample_app.test_client(), UPCOMING_IN_PERSON)


def as_client(app, address: str):
    """A browser at its own network address: the rate limits count each one separately."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def one_place(built, storage_url, outbox, tmp_path):
    """An event with a single place, a month after SAMPLE_NOW."""
    content = content_with_events(tmp_path, upcoming_event("one-place", capacity=1, now=SAMPLE_NOW))
    return make_app(content, built[1], storage_url, outbox, clock=lambda: SAMPLE_NOW)


def test_registering_confirms_a_place_and_emails_the_private_link_and_calendar(person, outbox, store):
    response = person.register(**details(1, needs="A hearing loop, please", questions="Will there be lots?"))
    assert response.status_code == 303
    html = person.page(response)
    assert "Check your email" in html and "We have sent an email about your registration" in html
    assert not LINK.search(html)  # the link goes only to the address's owner
    [message] = emails(outbox)
    assert message["To"] == "person1@example.com" and message["Subject"].startswith("Your place at")
    page = private_page(outbox, "person1@example.com")
    private = person.client.get(page).get_data(as_text=True)
    assert "You have a place" in private
    assert "A hearing loop, please" in private and "Will there be lots?" in private
    [event] = calendar_attachment(message).events
    assert event["UID"] == f"{UPCOMING_IN_PERSON}@localhost"
    assert len(store.keys(f"events/{UPCOMING_IN_PERSON}/places/")) == 1


def test_an_online_place_comes_with_the_joining_details(sample_app, outbox):
    person = Registrant(sample_app.test_client(), UPCOMING_ONLINE)
    person.register(**details(2))
    page = private_page(outbox, "person2@example.com")
    assert "teams.example.com/l/meetup-join" in person.client.get(page).get_data(as_text=True)
    [message] = emails(outbox)
    assert "Passcode: Meals27" in message.get_body(("plain",)).get_content()
    assert "Meals27" in str(calendar_attachment(message).events[0]["DESCRIPTION"])
    personal = person.client.get(page + "calendar.ics")
    assert personal.status_code == 200 and b"Meals27" in personal.data


def _stored(store) -> dict:
    return {key: store.read(key) for key in store.keys("events/") if "/links/" not in key}


def test_a_stranger_using_someone_elses_address_learns_nothing_and_changes_nothing(sample_app, outbox, store):
    owner = Registrant(as_client(sample_app, "192.0.2.1"), UPCOMING_IN_PERSON)
    stranger = Registrant(as_client(sample_app, "198.51.100.7"), UPCOMING_IN_PERSON)
    first = owner.register(**details(3, needs="Wheelchair space"))
    before = _stored(store)
    for address in ("PERSON3@example.com", " Person3@Example.Com "):  # any case: the limit allows 3 an address
        again = stranger.register(**details(9, name="Mallory", email=address, needs=""))
        # The same page as for a new registration: nothing says the address was known.
        assert again.headers["Location"] == first.headers["Location"]
        assert NONCE.sub("", stranger.page(again)) == NONCE.sub("", owner.page(first))
    assert _stored(store) == before  # nothing stored changed
    # The owner gets their own private link by email, and it shows their own details.
    assert [m["To"] for m in emails(outbox)] == ["person3@example.com"] * 3
    assert all("Mallory" not in m.as_string() for m in emails(outbox))
    private = owner.client.get(private_page(outbox, "person3@example.com")).get_data(as_text=True)
    assert "Person 3" in private and "Wheelchair space" in private and "Mallory" not in private
    assert len(store.keys(f"events/{UPCOMING_IN_PERSON}/places/")) == 1


FREE_TEXT = {
    "name": "Your account is locked. Unlock it at https://evil.example",
    "organisation": "Evil Org evil.example",
    "role": "Visit evil.example now",
    "needs": "Call 0800 EVIL",
    "questions": "Reply to evil@evil.example",
}


def test_no_email_carries_what_was_typed_into_the_form(one_place, outbox):
    client = one_place.test_client()
    for n in (1, 2, 1):  # a place, the waiting list, and the same address again
        Registrant(client, "one-place").register(**details(n, **FREE_TEXT))
    Registrant(client, "one-place").cancel(private_page(outbox, "person1@example.com"))  # person 2 is promoted
    sent = emails(outbox)
    assert [m["Subject"].split(" ")[0:3] for m in sent] == [
        ["Your", "place", "at"],
        ["You", "are", "on"],
        ["You", "had", "already"],
        ["A", "place", "has"],
        ["You", "have", "cancelled"],
    ]
    for message in sent:
        raw = message.as_bytes().decode("ascii", "replace") + "".join(
            part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
        )
        for value in FREE_TEXT.values():
            assert value not in raw and "evil" not in raw.lower()


def test_registrations_are_limited_per_address_and_per_client(sample_app, outbox, store):
    from functions.events.pages import LIMIT_PER_ADDRESS, LIMIT_PER_CLIENT

    attacker = Registrant(as_client(sample_app, "203.0.113.9"), UPCOMING_IN_PERSON)
    statuses = [attacker.register(**details(1, email="victim@example.com")).status_code for _ in range(20)]
    assert statuses == [303] * LIMIT_PER_ADDRESS + [429] * (20 - LIMIT_PER_ADDRESS)
    assert len(emails(outbox)) == LIMIT_PER_ADDRESS
    refused = attacker.register(**details(1, email="victim@example.com", questions="Is there parking?"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "There is a problem" in html and "<title>Error: " in html
    assert "Wait 15 minutes, then try again" in html and "Is there parking?" in html  # answers kept

    crowd = Registrant(as_client(sample_app, "203.0.113.10"), UPCOMING_IN_PERSON)
    statuses = [crowd.register(**details(100 + n)).status_code for n in range(30)]
    assert statuses == [303] * LIMIT_PER_CLIENT + [429] * (30 - LIMIT_PER_CLIENT)
    # Another client is not held up by them.
    assert Registrant(as_client(sample_app, "203.0.113.11"), UPCOMING_IN_PERSON).register(**details(200)).status_code == 303


def test_cancelling_gives_the_place_to_the_first_person_waiting_and_emails_them(one_place, outbox, store):
    client = one_place.test_client()
    for n in (1, 2, 3):
        Registrant(client, "one-place").register(**details(n))
    first, second, third = (private_page(outbox, f"person{n}@example.com") for n in (1, 2, 3))
    assert "You have a place" in client.get(first).get_data(as_text=True)
    assert "You are number 1 on the waiting list" in client.get(second).get_data(as_text=True)
    assert "You are number 2 on the waiting list" in client.get(third).get_data(as_text=True)

    cancelled = Registrant(client, "one-place").cancel(first)
    assert cancelled.status_code == 303
    assert "We have cancelled your registration" in client.get(cancelled.headers["Location"]).get_data(as_text=True)
    assert "You have a place" in client.get(second).get_data(as_text=True)
    assert "You are number 1 on the waiting list" in client.get(third).get_data(as_text=True)
    [offer] = [m for m in emails(outbox) if m["Subject"].startswith("A place has come up for you")]
    assert offer["To"] == "person2@example.com"
    assert calendar_attachment(offer).events
    # The place is the same place, given again: its second generation.
    assert store.keys("events/one-place/places/") == [
        "events/one-place/places/0001/0001.json",
        "events/one-place/places/0001/0002.json",
    ]


def test_cancelling_twice_changes_nothing(one_place, outbox):
    client = one_place.test_client()
    Registrant(client, "one-place").register(**details(1))
    page = private_page(outbox, "person1@example.com")
    assert Registrant(client, "one-place").cancel(page).status_code == 303
    assert client.get(page + "cancel").status_code == 302  # already cancelled: back to the private page
    assert "You no longer have a place" in client.get(page).get_data(as_text=True)


def test_someone_who_cancelled_can_register_again(one_place, outbox, store):
    client = one_place.test_client()
    Registrant(client, "one-place").register(**details(1))
    Registrant(client, "one-place").cancel(private_page(outbox, "person1@example.com"))
    Registrant(client, "one-place").register(**details(1))
    assert emails(outbox)[-1]["Subject"].startswith("Your place at")
    assert "You have a place" in client.get(private_page(outbox, "person1@example.com")).get_data(as_text=True)
    assert len(store.keys("events/one-place/emails/")) == 2


def test_mistakes_are_explained_and_the_answers_kept(person, store):
    response = person.register(**details(4, email="person4 at example", size="", role="", questions="Is there parking?"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in html and "There is a problem" in html
    for message in (
        "Enter an email address in the correct format, like name@example.com",
        "Select the size of your organisation",
        "Enter your role",
    ):
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
    response = person.client.post(
        f"/events/{UPCOMING_IN_PERSON}/register", data=details(7), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert store.keys("events/") == []


def test_cancelling_needs_the_form_token(person, outbox):
    person.register(**details(8))
    page = private_page(outbox, "person8@example.com")
    response = person.client.post(page + "cancel")
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)


def test_unknown_or_mangled_private_links_are_not_found(person):
    person.register(**details(9))
    base = f"/events/{UPCOMING_IN_PERSON}/register"
    for address in (
        f"{base}/not-a-token/",
        f"{base}/{'x' * 500}/",
        f"{base}/%00%ff/",
        f"{base}/abc/cancel",
        f"{base}/abc/calendar.ics",
        "/events/nothing/register/abc/",
    ):
        assert person.client.get(address).status_code == 404, address


def test_private_links_are_kept_only_as_hashes(person, store, outbox):
    person.register(**details(10))
    token = private_page(outbox, "person10@example.com").rstrip("/").rsplit("/", 1)[1]
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
        from functions.events.pages import registrations

        monkeypatch.setattr(registrations().store, "create", unavailable)
    response = person.register(**details(13))
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "We could not save your registration" in html and 'value="Person 13"' in html


HOSTILE = [
    {"name": "x" * 50_000},
    {"name": "Ann\x00Smith"},
    {"organisation": "Acme\tLtd"},
    {"email": "a@b.c" * 100},
    {"size": ["micro", "large"]},
    {"size": "enormous"},
    {"name": ["one", "two"]},
    {"questions": "q" * 6000},
    {"needs": "\x1b[31m"},
    {"email": "ann@example.com\x00"},
    {"role": "<script>alert(1)</script>"},
    {"name": '=HYPERLINK("http://evil")'},
    {"questions": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
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
    for name, value in {
        "PORTAL_STORAGE": str(tmp_path / "storage"),
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_CONTENT": str(content),
        "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    client = LambdaClient(handlers.register)
    response = client.post("/events/by-lambda/register", details(1))
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Check your email" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


NOT_ONE_ADDRESS = [
    "a@b.com,c",
    "a,b@c.com",
    "<a@b.com>",
    "a@b..com",
    ".a@b.com",
    "a@-b.com",
    "a@b.com;c@d.com",
    "Ann <a@b.com>",
    "a@b.com c@d.com",
    "a@b.com\r\nBcc: c@d.com",
]


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
def test_an_address_that_is_not_exactly_one_address_is_refused_and_nothing_is_sent(person, outbox, store):
    for address in NOT_ONE_ADDRESS:
        response = person.register(**details(1, email=address))
        assert response.status_code == 400, address
        assert "Enter an email address in the correct format, like name@example.com" in response.get_data(as_text=True)
    assert store.keys(f"events/{UPCOMING_IN_PERSON}/") == [] and not outbox.exists()


@given(st.emails(), st.sampled_from([",", ";", " ", ", ", "\n", "<", ">"]), st.text(max_size=20))
def test_a_message_is_never_addressed_to_more_than_one_recipient(address, joiner, rest):
    from email.utils import getaddresses

    from functions.mail.mailer import compose

    try:
        message = compose("events@exampleshire.gov.uk", address + joiner + rest, "Subject", "Body")
    except ValueError:
        return
    assert len(getaddresses([message["To"]])) == 1


def calendar_bytes(message) -> tuple[bytes, str]:
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return attachment.get_payload(decode=True), attachment["Content-Type"]


def test_cancelling_tells_the_calendar_to_remove_the_event(person, outbox):
    from .calendars import read_everywhere

    person.register(**details(20))
    page = private_page(outbox, "person20@example.com")
    [added] = read_everywhere(calendar_bytes(emails(outbox)[0])[0])
    assert person.cancel(page).status_code == 303
    cancellation = emails(outbox)[-1]
    assert cancellation["To"] == "person20@example.com" and cancellation["Subject"].startswith("You have cancelled")
    data, content_type = calendar_bytes(cancellation)
    assert 'method="CANCEL"' in content_type and 'charset="utf-8"' in content_type
    [removed] = read_everywhere(data)
    assert removed["method"] == "CANCEL" and removed["uid"] == added["uid"]
    assert removed["sequence"] > added["sequence"] and removed["status"] == "CANCELLED"
    # The private calendar file now says so too.
    [private] = read_everywhere(person.client.get(page + "calendar.ics").data)
    assert private["status"] == "CANCELLED" and private["uid"] == added["uid"] and private["sequence"] > added["sequence"]


def test_event_emails_read_right_in_any_mail_client(sample_app, outbox):
    person = Registrant(sample_app.test_client(), UPCOMING_ONLINE)
    person.register(**details(30))
    person.cancel(private_page(outbox, "person30@example.com"))
    for message in emails(outbox):
        for header in ("Date", "Message-ID", "From", "To", "Subject"):
            assert message[header], header
        plain, html = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
        assert "](" not in plain and "](" not in html and "**" not in plain + html  # no Markdown as typed
        for part in message.iter_attachments():
            data, content_type = calendar_bytes(message)
            method = re.search(rb"\r\nMETHOD:(\w+)\r\n", data).group(1).decode()
            assert f'method="{method}"' in content_type and 'charset="utf-8"' in content_type
    confirmation = emails(outbox)[0]
    assert (
        "join the briefing (https://teams.example.com/l/meetup-join/exampleshire-school-meals)"
        in confirmation.get_body(("plain",)).get_content()
    )
    assert (
        '<a href="https://teams.example.com/l/meetup-join/exampleshire-school-meals">join the briefing</a>'
        in confirmation.get_body(("html",)).get_content()
    )
