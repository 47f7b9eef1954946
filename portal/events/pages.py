"""The events pages of the static site: the index, a page per event, and their calendar files."""

from datetime import datetime

from flask import Blueprint, abort, current_app, render_template

from ..clock import now
from ..reading.markdown import render
from . import model
from .calendar import calendar_file
from .form import RegistrationForm, render_params

events_blueprint = Blueprint("events", __name__)
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _content():
    return current_app.extensions["portal.content"]


def event_or_404(slug: str) -> model.Event:
    return _content().event(slug) or abort(404)


def event_pages(content):
    """The events pages, as (endpoint, values) for portal.site.site_urls; the index is there even with no events."""
    yield "events.index", {}
    for event in content.events:
        yield "events.event", {"slug": event.slug}


def calendar_files(content):
    """The calendar files, frozen beside the pages; the feed is there even with no events, so subscriptions keep working."""
    yield "events.feed", {}
    for event in content.events:
        yield "events.event_calendar", {"slug": event.slug}


@events_blueprint.app_template_filter("event_when")
def event_when(event: model.Event) -> str:
    return model.when(event)


@events_blueprint.app_template_filter("moment")
def moment(value: datetime) -> str:
    return model.moment(value)


@events_blueprint.app_template_filter("markdown")
def markdown(text: str):
    return render(text)


@events_blueprint.route("/events/")
def index():
    current = now()
    return render_template(
        "events/index.html", upcoming=_content().upcoming_events(current), past=_content().past_events(current), now=current
    )


def render_event(event: model.Event, form: RegistrationForm, status: int = 200, problem: str | None = None):
    """The event page: static when frozen, and rendered again by the register function to show errors."""
    current = now()
    return render_template(
        "events/event.html",
        event=event,
        form=form,
        params=render_params(event),
        now=current,
        open=event.registration_open(current),
        ended=event.has_ended(current),
        problem=problem,
        error_title=bool(form.errors or problem),
    ), status


@events_blueprint.route("/events/<slug>/")
def event(slug):
    return render_event(event_or_404(slug), RegistrationForm(formdata=None))


def _calendar(events, name, calendar_id):
    site = _content().site
    body = calendar_file(events, current_app.config["PORTAL_BASE_URL"], site.council.name, name, calendar_id)
    return body, {"Content-Type": CALENDAR_TYPE}


@events_blueprint.route("/events/<slug>.ics")
def event_calendar(slug):
    found = event_or_404(slug)
    return _calendar([found], found.title, found.slug)


@events_blueprint.route("/events/feed.ics")
def feed():
    return _calendar(_content().events, f"{_content().site.council.name} events", "events")
