"""iCalendar files for events: one per event, a feed of them all, and a private copy with joining details.

Each event keeps one UID (<slug>@<site host>) for life, and its SEQUENCE and LAST-MODIFIED come from the
updates listed in content, so a calendar that already has the event replaces it rather than adding a second.

Times are written in UTC. A VTIMEZONE written as a list of dates was misread by some clients (Mozilla's ical.js, so
Thunderbird, put summer events an hour late); a time in UTC means the same instant to every client, which then
shows it in the reader's own zone.
"""

from datetime import timedelta, timezone
from urllib.parse import urlsplit

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


def _component(event: Event, base_url: str, joining: bool, cancelled: bool):
    from icalendar import Event as CalendarEvent  # here, not at import: every function's app imports this module

    page_url = f"{base_url.rstrip('/')}/events/{event.slug}/"
    changed = event.last_modified.astimezone(timezone.utc)
    return CalendarEvent.new(
        uid=event_uid(event, base_url),
        summary=event.title,
        start=event.starts.astimezone(timezone.utc),
        end=event.ends.astimezone(timezone.utc),
        description=_description(event, page_url, joining),
        location=_location(event),
        url=page_url,
        # DTSTAMP is when this copy was last changed, not when it was built, so rebuilding changes nothing.
        stamp=changed,
        created=event.published.astimezone(timezone.utc),
        last_modified=changed,
        # A cancelled copy outranks every copy sent before it, so calendars take it in place of theirs.
        sequence=event.sequence + (1 if cancelled else 0),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def calendar_file(
    events: list[Event],
    base_url: str,
    council: str,
    name: str,
    calendar_id: str,
    joining: bool = False,
    cancelled: bool = False,
    method: str = "PUBLISH",
    organizer: str | None = None,
) -> bytes:
    """A VCALENDAR called `name` of `events`, with times in UTC.

    `calendar_id` names the calendar itself ('events' for the feed); `joining` adds online joining details,
    only for a person with a confirmed place; `cancelled` marks the events cancelled for one person, with
    `method` CANCEL for the email that tells their calendar (RFC 5546 asks for an `organizer` there).
    """
    from icalendar import Calendar

    calendar = Calendar.new(
        prodid=f"-//{council}//Social value portal//EN",
        name=name,
        method=method,
        uid=f"{calendar_id}-calendar@{urlsplit(base_url).hostname}",
        refresh_interval=FEED_REFRESH,
    )
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires it
    for event in events:
        component = _component(event, base_url, joining, cancelled)
        if organizer:
            component.add("organizer", f"mailto:{organizer}", parameters={"CN": council})
        calendar.add_component(component)
    return calendar.to_ical()
