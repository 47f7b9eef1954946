"""Officers' view of the council's events: places taken and the waiting list, and who registered for each.

Events come from content/events/, as on the public site; registrations from storage (functions/registrations.py).
The download of an event's registrations is with the other downloads, in export_pages.py.
"""
from collections import Counter

from flask import current_app, render_template, request

from portal.events.export import STATUS_LABELS
from portal.events.pages import event_or_404

from ..registrations import Registrations
from . import submissions
from .web import audited, clock, council_blueprint, store

PAGE_SIZE = 50


def registrations() -> Registrations:
    return Registrations(store(), clock)


@council_blueprint.get("/events/")
def events():
    content, current = current_app.extensions["portal.content"], clock()
    found = registrations()
    groups = [(heading, [(event, found.tally(event)) for event in listed]) for heading, listed in
              (("Upcoming events", content.upcoming_events(current)), ("Past events", content.past_events(current)))]
    audited("viewed-events", "")
    return render_template("council/events.html", title="Events", groups=groups)


@council_blueprint.get("/events/<slug>/")
def event_registrations(slug):
    event = event_or_404(slug)
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    everyone = registrations().everyone(event)
    page = submissions.page_of(everyone, number, PAGE_SIZE)
    audited("viewed-event-registrations", event.slug, page=page.number)
    return render_template("council/event_registrations.html", title=f"Registrations: {event.title}", event=event,
                           page=page, counts=Counter(standing.status for _, standing, _ in everyone),
                           statuses=STATUS_LABELS)
