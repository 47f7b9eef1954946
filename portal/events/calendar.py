"""iCalendar files for events: one per event, a feed of them all, and a private copy with joining details.

Each event keeps one UID (<slug>@<site host>) for life, and its SEQUENCE and LAST-MODIFIED come from the
updates listed in content, so a calendar that already has the event replaces it rather than adding a second.
"""
from datetime import date, timedelta, timezone
from urllib.parse import urlsplit

from icalendar import Calendar, Event as CalendarEvent

from .model import Event

FEED_REFRESH = timedelta(hours=12)  # how often a subscribed calendar should look for changes


def event_uid(event: Event, base_url: str) -> str:
    """Stable for the life of the event: renaming the file would make calendars see a new event."""
    return f"{event.slug}@{urlsplit(base_url).hostname}"


def _location(event: Event) -> str:
    parts = []
    if event.venue:
        parts.append(f"{event.venue.name}, {event.venue.address}")
    if event.online:
        parts.append(f"Online ({event.online.platform})")
    return " or ".join(parts)


def _description(event: Event, page_url: str, joining: bool) -> str:
    lines = [event.summary, "", f"Procurement: {event.procurement.name} ({event.procurement.reference})", f"Details: {page_url}"]
    if event.online:
        if joining:
            lines += ["", f"How to join ({event.online.platform}):", event.online.how_to_join.strip()]
        else:
            lines += ["", "We email joining details to everyone with a confirmed place."]
    return "\n".join(lines)


def _component(event: Event, base_url: str, joining: bool) -> CalendarEvent:
    page_url = f"{base_url.rstrip('/')}/events/{event.slug}/"
    changed = event.last_modified.astimezone(timezone.utc)
    return CalendarEvent.new(
        uid=event_uid(event, base_url), summary=event.title, start=event.starts, end=event.ends,
        description=_description(event, page_url, joining), location=_location(event), url=page_url,
        # DTSTAMP is when this copy was last changed, not when it was built, so rebuilding changes nothing.
        stamp=changed, created=event.published.astimezone(timezone.utc), last_modified=changed,
        sequence=event.sequence, status="CONFIRMED",
    )


def calendar_file(events: list[Event], base_url: str, council: str, name: str, calendar_id: str, joining: bool = False) -> bytes:
    """A VCALENDAR called `name` of `events`, with a VTIMEZONE for Europe/London covering every one of them.

    `calendar_id` names the calendar itself ('events' for the feed); `joining` adds online joining details,
    only for a person with a confirmed place.
    """
    calendar = Calendar.new(
        prodid=f"-//{council}//Social value portal//EN", name=name, method="PUBLISH",
        uid=f"{calendar_id}-calendar@{urlsplit(base_url).hostname}", refresh_interval=FEED_REFRESH,
    )
    for event in events:
        calendar.add_component(_component(event, base_url, joining))
    if events:
        # Transitions from the first event's year to a year after the last, so every time is exact.
        first = min(e.starts for e in events).year
        last = max(e.ends for e in events).year
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 2, 1, 1))
    return calendar.to_ical()
