"""Calendar files: valid iCalendar, the same instants in every client across clock changes, and stable UIDs.

Every file is also read with Mozilla's ical.js and with vobject (tests/calendars.py), which must agree.
"""

from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from build import build

from .calendars import read_everywhere
from .event_factory import PAST_HYBRID, UPCOMING_IN_PERSON, UPCOMING_ONLINE, content_with_events, event_markdown

UTC = timezone.utc
# The UK's clocks go forward at 1am on 28 March 2027 and back at 2am on 31 October 2027.
AROUND_CLOCK_CHANGES = {
    "before-spring": ("2027-03-27 10:00", 10),  # GMT: 10am is 10:00 UTC
    "after-spring": ("2027-03-29 10:00", 9),  # BST: 10am is 09:00 UTC
    "before-autumn": ("2027-10-30 10:00", 9),
    "after-autumn": ("2027-11-01 10:00", 10),
}


def parse(data: bytes) -> Calendar:
    """Parse strictly: icalendar records what it could not read in each component's errors."""
    calendar = Calendar.from_ical(data)
    assert [component.errors for component in calendar.walk() if component.errors] == []
    return calendar


@pytest.fixture(scope="module")
def clock_change_site(tmp_path_factory):
    """A site built with one event on each side of both 2027 clock changes."""
    root = tmp_path_factory.mktemp("clock-changes")
    events = {
        slug: event_markdown(f"Event {slug}", start, start.replace("10:00", "12:00"), "2027-01-10 17:00")
        for slug, (start, _) in AROUND_CLOCK_CHANGES.items()
    }
    content = content_with_events(root, events)
    build(content, root / "site", root / "assets")
    return root / "site"


def test_the_feed_is_valid_icalendar_with_every_event_in_utc(site_dir):
    data = (site_dir / "events" / "feed.ics").read_bytes()
    calendar = parse(data)
    events = calendar.events
    assert {e["UID"] for e in events} == {
        f"{slug}@socialvalue.exampleshire.gov.uk" for slug in (UPCOMING_IN_PERSON, UPCOMING_ONLINE, PAST_HYBRID)
    }
    for event in events:
        assert event["DTSTART"].to_ical().endswith(b"Z") and event["DTEND"].to_ical().endswith(b"Z")
        assert "DTSTAMP" in event and "SEQUENCE" in event and "LAST-MODIFIED" in event
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
    assert {e["uid"] for e in read_everywhere(data)} == {str(e["UID"]) for e in events}


def test_every_calendar_file_reads_the_same_in_ical_js_and_vobject(site_dir):
    for path in (site_dir / "events").glob("*.ics"):
        assert read_everywhere(path.read_bytes()), path.name


@pytest.mark.parametrize("slug", list(AROUND_CLOCK_CHANGES))
def test_an_event_on_each_side_of_a_clock_change_starts_at_the_same_instant_in_every_client(clock_change_site, slug):
    data = (clock_change_site / "events" / f"{slug}.ics").read_bytes()
    [event] = parse(data).events
    utc_hour = AROUND_CLOCK_CHANGES[slug][1]
    assert event.start.astimezone(UTC).hour == utc_hour
    [read] = read_everywhere(data)  # ical.js (Thunderbird) and vobject agree with icalendar
    day = AROUND_CLOCK_CHANGES[slug][0][:10]
    assert read["start"] == f"{day}T{utc_hour:02d}:00:00.000Z" and read["end"] == f"{day}T{utc_hour + 2:02d}:00:00.000Z"


def test_each_event_has_its_own_calendar_file_with_the_same_uid(site_dir):
    feed = {str(e["UID"]): e for e in parse((site_dir / "events" / "feed.ics").read_bytes()).events}
    for slug in (UPCOMING_IN_PERSON, UPCOMING_ONLINE, PAST_HYBRID):
        [event] = parse((site_dir / "events" / f"{slug}.ics").read_bytes()).events
        assert event["UID"] in feed
        assert event.start == feed[event["UID"]].start


def test_an_update_raises_the_sequence_and_keeps_the_uid(tmp_path):
    first = event_markdown("Moving event", "2027-05-10 10:00", "2027-05-10 12:00", "2027-05-09 12:00")
    updated = event_markdown(
        "Moving event",
        "2027-05-11 10:00",
        "2027-05-11 12:00",
        "2027-05-10 12:00",
        updates="updates:\n  - at: 2026-12-01 09:30\n    note: We moved the event to 11 May.\n",
    )
    calendars = []
    for version, text in (("before", first), ("after", updated)):
        content = content_with_events(tmp_path / version, {"moving": text})
        build(content, tmp_path / version / "site", tmp_path / "assets")
        [event] = parse((tmp_path / version / "site" / "events" / "moving.ics").read_bytes()).events
        calendars.append(event)
    before, after = calendars
    assert before["UID"] == after["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"].dt == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_rebuilding_gives_the_same_calendar_bytes(site_dir, tmp_path):
    from .conftest import CONTENT

    build(CONTENT, tmp_path / "site", tmp_path / "assets")
    assert (tmp_path / "site" / "events" / "feed.ics").read_bytes() == (site_dir / "events" / "feed.ics").read_bytes()


def test_public_calendars_never_carry_the_joining_details(site_dir):
    for path in (site_dir / "events").glob("*.ics"):
        assert b"teams.example.com" not in path.read_bytes(), path.name


def test_calendar_files_are_in_the_sitemap(site_dir):
    sitemap = (site_dir / "sitemap.xml").read_text()
    assert "https://socialvalue.exampleshire.gov.uk/events/feed.ics" in sitemap
    assert f"https://socialvalue.exampleshire.gov.uk/events/{UPCOMING_ONLINE}.ics" in sitemap
