"""Officers see each event's places and waiting list, who registered, and download the list as CSV or XLSX, audited."""

import csv
import io
import re
from dataclasses import replace
from datetime import datetime

import pytest
from openpyxl import load_workbook

from functions.council import audit
from functions.events.registrations import Registrations
from functions.storage import StorageUnavailable, open_store
from tests.event_factory import SAMPLE_NOW, content_with_events, details, upcoming_event
from tests.officer import VIEWER, Clock, council_app_with_officers, follow, signed_in

HOSTILE_NAME = '=HYPERLINK("http://evil.example","Click")'
HUGE = "A" * 40_000
EVENT, EMPTY, REMOVED = "meet-the-buyer", "nobody-yet", "old-market-day"


@pytest.fixture
def clock():
    return Clock(SAMPLE_NOW)


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    content = content_with_events(
        tmp_path, {**upcoming_event(EVENT, capacity=2, now=SAMPLE_NOW), **upcoming_event(EMPTY, days=40, now=SAMPLE_NOW)}
    )
    return council_app_with_officers(
        built[1], storage_url, tmp_path / "outbox", clock, "http://localhost", PORTAL_CONTENT=content
    )


@pytest.fixture
def register(council_app, storage_url):
    registrations = Registrations(open_store(storage_url), clock=lambda: SAMPLE_NOW)
    event = council_app.extensions["portal.content"].event(EVENT)
    return lambda n, **changes: registrations.register(event, details(n, **changes))


@pytest.fixture
def filled(council_app, storage_url, register):
    """Two places: Ann and a formula-minded Bob have them, Cat waits, Dan cancelled."""
    registrations = Registrations(open_store(storage_url), clock=lambda: SAMPLE_NOW)
    register(1, name="Ann Ólafsdóttir", organisation="Ann & Co <Ltd>", needs="Wheelchair space")
    register(2, name=HOSTILE_NAME, organisation="+44 Ltd", needs="@SUM(A1)", questions=HUGE)
    dan = register(4, name="Dan")
    registrations.cancel(council_app.extensions["portal.content"].event(EVENT), dan.registration)
    register(3, name="Cat\x07Bell")  # a control character the form refuses, stored some other way
    return council_app


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


def table_rows(html: str) -> list[list[str]]:
    """Each row of the page's tables as its cells' text."""
    rows = []
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells])
    return [row for row in rows if row and row[0] not in ("Event", "Name")]


def actions(store) -> list[dict]:
    return audit.read(store, audit.keys_newest_first(store))


def test_events_are_linked_from_the_council_pages_and_list_places_and_waiting(filled, viewer, storage_url):
    submissions = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert '<a class="govuk-service-navigation__link" href="/council/events/"' in submissions
    response = viewer.client.get("/council/events/")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = table_rows(response.get_data(as_text=True))
    assert [(row[0], row[2], row[3]) for row in rows] == [
        (f"Test event {EVENT}", "2 of 2", "1"),
        (f"Test event {EMPTY}", "0 of 40", "0"),
    ]
    assert "There are no past events." in response.get_data(as_text=True)
    assert [e["who"] for e in actions(open_store(storage_url)) if e["action"] == "viewed-events"] == [VIEWER]


def test_event_page_lists_who_registered_with_their_status(filled, viewer, storage_url):
    response = viewer.client.get(f"/council/events/{EVENT}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Ann &amp; Co &lt;Ltd&gt;" in html and "<Ltd>" not in html  # what people typed is escaped
    rows = table_rows(html)
    assert [row[:4] for row in rows] == [
        ["Ann Ólafsdóttir", "Ann &amp; Co &lt;Ltd&gt;", "person1@example.com", "Confirmed Place 1"],
        [HOSTILE_NAME.replace('"', "&#34;"), "+44 Ltd", "person2@example.com", "Confirmed Place 2"],
        ["Cat\x07Bell", "Firm 3 Ltd", "person3@example.com", "Waiting list Number 1 in the queue"],
        ["Dan", "Firm 4 Ltd", "person4@example.com", "Cancelled"],
    ]
    assert {row[4] for row in rows} == {"23 November 2026 at midday"}  # GOV.UK style, as every page writes times
    [viewed] = [e for e in actions(open_store(storage_url)) if e["action"] == "viewed-event-registrations"]
    assert viewed["who"] == VIEWER and viewed["subject"] == EVENT


def test_event_with_nobody_registered_says_so_and_offers_no_download(council_app, viewer):
    html = viewer.client.get(f"/council/events/{EMPTY}/").get_data(as_text=True)
    assert "Nobody has registered for this event yet." in html and "CSV</button>" not in html


def test_event_page_shows_fifty_registrations_a_page(council_app, register, viewer):
    for n in range(53):
        register(n)
    first = table_rows(viewer.client.get(f"/council/events/{EVENT}/").get_data(as_text=True))
    second_page = viewer.client.get(f"/council/events/{EVENT}/?page=2").get_data(as_text=True)
    assert len(first) == 50 and len(table_rows(second_page)) == 3
    assert "53 registrations, page 2 of 2" in second_page
    assert "Confirmed Place 1" in first[0][3] and "Number 1 in the queue" in first[2][3]
    assert len(table_rows(viewer.client.get(f"/council/events/{EVENT}/?page=nonsense").get_data(as_text=True))) == 50


def test_officer_downloads_registrations_as_csv_with_formulas_neutralised(filled, viewer, storage_url):
    page = f"/council/events/{EVENT}/"
    data = follow(viewer, viewer.post(f"/council/exports/events/{EVENT}?format=csv", form_page=page))
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads Ó correctly
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["Status"], r["Full name"]) for r in rows] == [
        ("Confirmed", "Ann Ólafsdóttir"),
        ("Confirmed", "'" + HOSTILE_NAME),
        ("Waiting list", "Cat\x07Bell"),
        ("Cancelled", "Dan"),
    ]
    bob = rows[1]
    assert bob["Organisation"] == "'+44 Ltd" and bob["Access or dietary needs"] == "'@SUM(A1)"
    assert bob["Questions asked in advance"] == HUGE  # nothing cut from the CSV
    assert rows[0]["Registered"] == "2026-11-23 12:00"
    [logged] = [e for e in actions(open_store(storage_url)) if e["action"] == "downloaded-event-registrations"]
    assert logged["who"] == VIEWER and logged["subject"] == EVENT
    assert logged["details"]["format"] == "csv" and logged["details"]["registrations"] == 4


def test_officer_downloads_registrations_as_a_typed_xlsx_without_formulas(filled, viewer, storage_url):
    data = follow(viewer, viewer.post(f"/council/exports/events/{EVENT}?format=xlsx", form_page=f"/council/events/{EVENT}/"))
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    people = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]
    assert [p["Full name"].value for p in people] == ["Ann Ólafsdóttir", "'" + HOSTILE_NAME, "CatBell", "Dan"]
    assert people[0]["Place"].value == 1 and people[0]["Registered"].value == datetime(2026, 11, 23, 12, 0)
    assert people[1]["Full name"].data_type == "s"
    assert people[1]["Questions asked in advance"].value.startswith("AAAA")  # a huge answer still opens
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [
        e["details"]["format"] for e in actions(open_store(storage_url)) if e["action"] == "downloaded-event-registrations"
    ] == ["xlsx"]


def test_unknown_event_or_format_is_refused_and_nothing_is_exported(filled, viewer, storage_url):
    page = f"/council/events/{EVENT}/"
    assert viewer.client.get("/council/events/no-such-event/").status_code == 404
    assert viewer.post("/council/exports/events/no-such-event?format=csv", form_page=page).status_code == 404
    assert viewer.post(f"/council/exports/events/{EVENT}?format=pdf", form_page=page).status_code == 400
    assert viewer.post(f"/council/exports/events/{EVENT}", form_page=page).status_code == 400
    store = open_store(storage_url)
    assert store.keys("exports/") == []
    assert "downloaded-event-registrations" not in [e["action"] for e in actions(store)]


def test_an_export_without_a_csrf_token_is_refused(filled, viewer):
    assert viewer.client.post(f"/council/exports/events/{EVENT}?format=csv").status_code == 400


def test_anonymous_requests_are_sent_to_sign_in(council_app):
    # The download's post is checked with every other council route in test_council_auth.py.
    client = council_app.test_client()
    for path in ("/council/events/", f"/council/events/{EVENT}/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/council/sign-in")


@pytest.fixture
def removed(filled, storage_url):
    """Eve has the one place at an event since taken out of the content, Fay waits; odd folders lie beside it."""
    store = open_store(storage_url)
    registrations = Registrations(store, clock=lambda: SAMPLE_NOW)
    gone = replace(filled.extensions["portal.content"].event(EVENT), slug=REMOVED, capacity=1)
    registrations.register(gone, details(5, name="Eve"))
    registrations.register(gone, details(6, name=HOSTILE_NAME + " Fay"))
    store.create_json("events/Not A Slug/registrations/x/000001.json", {"details": {}})  # no event has that name
    store.create_json("events/only-links/links/abc.json", {"registration": "x"})  # nothing registered
    store.create_json("events/broken-event/registrations/x/000001.json", {"id": "x"})
    store.create_json("events/broken-event/places/not-a-number/0001.json", {"registration": "x"})
    return filled


def test_events_taken_out_of_the_content_are_listed_once_with_their_registrations(removed, viewer):
    response = viewer.client.get("/council/events/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert [row[:2] for row in table_rows(html)][-2:] == [
        ["broken-event", "Cannot be read: ask your digital team to check storage"],
        [REMOVED, "2"],
    ]
    assert html.count(f'href="/council/events/{EVENT}/"') == 1  # a current event is not listed again
    assert f'href="/council/events/{REMOVED}/"' in html and 'href="/council/events/broken-event/"' not in html
    assert "only-links" not in html and "Not A Slug" not in html


def test_current_events_alone_show_no_removed_section(filled, viewer):
    assert "Events taken off the website" not in viewer.client.get("/council/events/").get_data(as_text=True)


def test_registrations_of_a_removed_event_are_shown_as_stored(removed, viewer, storage_url):
    response = viewer.client.get(f"/council/events/{REMOVED}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert f'<h1 class="govuk-heading-l">{REMOVED}</h1>' in html and "no longer on the website" in html
    assert [row[:4] for row in table_rows(html)] == [
        ["Eve", "Firm 5 Ltd", "person5@example.com", "Confirmed Place 1"],
        [HOSTILE_NAME.replace('"', "&#34;") + " Fay", "Firm 6 Ltd", "person6@example.com", "Waiting list Number 1 in the queue"],
    ]
    [viewed] = [e for e in actions(open_store(storage_url)) if e["action"] == "viewed-event-registrations"]
    assert viewed["who"] == VIEWER and viewed["subject"] == REMOVED


def test_registrations_of_a_removed_event_download_as_csv_and_xlsx_audited(removed, viewer, storage_url):
    page = f"/council/events/{REMOVED}/"
    data = follow(viewer, viewer.post(f"/council/exports/events/{REMOVED}?format=csv", form_page=page))
    people = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(p["Status"], p["Full name"]) for p in people] == [
        ("Confirmed", "Eve"),
        ("Waiting list", "'" + HOSTILE_NAME + " Fay"),
    ]
    data = follow(viewer, viewer.post(f"/council/exports/events/{REMOVED}?format=xlsx", form_page=page))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == REMOVED
    assert [(row[0].value, row[6].value) for row in sheet.iter_rows(min_row=2)] == [
        ("Confirmed", "Eve"),
        ("Waiting list", "'" + HOSTILE_NAME + " Fay"),
    ]
    logged = [e for e in actions(open_store(storage_url)) if e["action"] == "downloaded-event-registrations"]
    assert [(e["who"], e["subject"], e["details"]["format"], e["details"]["registrations"]) for e in logged] == [
        (VIEWER, REMOVED, "xlsx", 2),
        (VIEWER, REMOVED, "csv", 2),
    ]


@pytest.mark.parametrize("slug", ["broken-event", "only-links", "never-here", "Not%20A%20Slug", "..", "a" * 2000])
def test_odd_stored_folders_are_not_found_and_nothing_is_exported(removed, viewer, storage_url, slug):
    page = f"/council/events/{REMOVED}/"
    assert viewer.client.get(f"/council/events/{slug}/").status_code == 404
    assert viewer.post(f"/council/exports/events/{slug}?format=csv", form_page=page).status_code == 404
    assert open_store(storage_url).keys("exports/") == []


def test_storage_outage_on_the_events_list_shows_the_unavailable_page(removed, viewer, storage_url, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("down")

    monkeypatch.setattr(type(open_store(storage_url)), "folders", unavailable)
    response = viewer.client.get("/council/events/")
    assert response.status_code == 503 and "Sorry, there is a problem with the service" in response.get_data(as_text=True)
