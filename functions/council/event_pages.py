"""Officers' view of the council's events: places taken and the waiting list, and who registered for each.

Events come from content/events/, as on the public site; registrations from storage (functions/events/registrations.py).
An event taken out of the content keeps its registrations in storage until the retention rule deletes them, so
the list also names every event folder in storage that the content no longer has, and its page shows what is
stored (the slug stands in for the title). The download of an event's registrations is with the other
downloads, in export_pages.py.
"""

from collections import Counter

from flask import abort, current_app, render_template, request

from portal.reading.fields import SLUG
from ..exports.registrations import STATUS_LABELS
from portal.events.model import Event

from ..events.places import FOLDER, prefix
from ..events.registrations import Registrations, Tally, app_registrations
from . import submissions
from .web import audited, clock, council_blueprint, store

PAGE_SIZE = 50
UNREADABLE = (ValueError, TypeError, KeyError)  # stored objects this code cannot make sense of


def registrations() -> Registrations:
    return app_registrations()


def event_or_stored(slug: str) -> Event | None:
    """The event in the content, or None for one no longer there whose registrations are still stored; else 404."""
    event = current_app.extensions["portal.content"].event(slug)
    if event is None and not _has_registrations(slug):
        abort(404)
    return event


def _has_registrations(slug: str) -> bool:
    if not SLUG.regex.match(slug):
        return False
    try:
        return bool(store().keys(f"{prefix(slug)}registrations/"))
    except ValueError:
        return False  # too long a name for a key: nothing can be stored under it


def everyone_at(slug: str, event: Event | None) -> list:
    """Registrations.everyone for the page and its download; 404 for a removed event whose objects cannot be read."""
    try:
        return registrations().everyone(slug)
    except UNREADABLE:
        if event is not None:
            raise
        abort(404)  # the list offers no link to it, and says why


def no_longer_in_content(found: Registrations) -> list[tuple[str, Tally | None]]:
    """(slug, tally) for each event folder in storage with registrations but no event in the content.

    One delimited listing names the folders; a tally of None means what is stored could not be read."""
    content, listed = current_app.extensions["portal.content"], []
    for slug in store().folders(FOLDER):
        if content.event(slug) is not None or not SLUG.regex.match(slug):
            continue  # a name no event can have is not an event's folder
        try:
            tally = found.tally(slug)
        except UNREADABLE:
            tally = None
        if tally is None or tally.confirmed + tally.waiting + tally.cancelled:
            listed.append((slug, tally))
    return listed


@council_blueprint.get("/events/")
def events():
    content, current = current_app.extensions["portal.content"], clock()
    found = registrations()
    groups = [
        (heading, [(event, found.tally(event.slug)) for event in listed])
        for heading, listed in (
            ("Upcoming events", content.upcoming_events(current)),
            ("Past events", content.past_events(current)),
        )
    ]
    audited("viewed-events", "")
    return render_template("council/events.html", title="Events", groups=groups, removed=no_longer_in_content(found))


@council_blueprint.get("/events/<slug>/")
def event_registrations(slug):
    event = event_or_stored(slug)
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    everyone = everyone_at(slug, event)
    page = submissions.page_of(everyone, number, PAGE_SIZE)
    audited("viewed-event-registrations", slug, page=page.number)
    return render_template(
        "council/event_registrations.html",
        title=f"Registrations: {event.title if event else slug}",
        event=event,
        slug=slug,
        page=page,
        counts=Counter(standing.status for _, standing, _ in everyone),
        statuses=STATUS_LABELS,
    )
