"""The events pages as a reader meets them: found from the home page, upcoming first, answers kept, forms that close."""

from datetime import timedelta

import pytest
from flask import url_for

from portal import create_app

from .conftest import CONTENT
from .event_factory import PAST_HYBRID, SAMPLE_NOW, UPCOMING_IN_PERSON, UPCOMING_ONLINE
from .test_site import crawl, links_on


@pytest.fixture(scope="module")
def sample_app(built):
    """The sample content as it reads on 23 November 2026."""
    return create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_CLOCK": lambda: SAMPLE_NOW})


@pytest.fixture
def sample_client(sample_app):
    return sample_app.test_client()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_every_event_page_is_reachable_by_links_from_the_home_page(sample_app, sample_client):
    with sample_app.test_request_context():
        events = {url_for("events.index"), url_for("events.feed")} | {
            url_for(endpoint, slug=slug)
            for slug in (UPCOMING_IN_PERSON, UPCOMING_ONLINE, PAST_HYBRID)
            for endpoint in ("events.event", "events.event_calendar")
        }
    assert events <= crawl(sample_client)


def test_home_guidance_and_early_market_engagement_link_to_events(sample_client):
    for address in ("/", "/guidance/", "/guidance/early-market-engagement/"):
        html = text_of(sample_client.get(address))
        main = html[html.index("<main") : html.index("</main>")]  # not just the navigation
        assert "/events/" in links_on(main), address
    navigation = text_of(sample_client.get("/"))
    assert '<a class="govuk-service-navigation__link" href="/events/"' in navigation


def test_index_lists_upcoming_events_first_then_past_ones_with_their_answers(sample_client):
    html = text_of(sample_client.get("/events/"))
    upcoming, past = html.index("Upcoming events"), html.index("Past events")
    assert upcoming < html.index(f"/events/{UPCOMING_IN_PERSON}/") < html.index(f"/events/{UPCOMING_ONLINE}/") < past
    assert past < html.index(f"/events/{PAST_HYBRID}/")
    assert "3 questions answered" in html
    assert "Register by 5pm on Monday 8 February 2027" in html


def test_event_page_shows_procurement_facts_access_agenda_and_the_form(sample_client):
    html = text_of(sample_client.get(f"/events/{UPCOMING_IN_PERSON}/"))
    for fact in (
        "EXC-2027-004",
        "Parks and open spaces",
        "£3.6 million",
        "Tender published: May 2027",
        "Step-free access:",
        "A hearing loop covers the whole chamber.",
        "Round-table discussions",
        "Bring questions about how we might split the contract into lots.",
    ):
        assert fact in html, fact
    assert 'class="govuk-summary-list"' in html
    assert f'action="/events/{UPCOMING_IN_PERSON}/register"' in html
    assert 'name="csrf_token"' not in html  # a static page cannot hold one
    assert "Wednesday 10 February 2027, 10am to 12:30pm" in html


def test_online_event_page_keeps_the_joining_details_private(sample_client):
    html = text_of(sample_client.get(f"/events/{UPCOMING_ONLINE}/"))
    assert "Microsoft Teams" in html and "Live captions" in html
    assert "teams.example.com" not in html and "Passcode" not in html
    assert "Access needs (optional)" in html  # no food at an online event


def test_past_event_shows_answers_without_who_asked_and_takes_no_registrations(sample_client):
    html = text_of(sample_client.get(f"/events/{PAST_HYBRID}/"))
    assert "This event has finished" in html
    assert "Will the framework have lots that a firm with fewer than 10 staff can bid for?" in html
    assert "Answered 28 October 2026" in html
    assert "We never say who asked" in html
    assert "Registration has closed" in html
    assert "<form" not in html


def test_after_the_closing_time_the_form_says_registration_has_closed(built):
    event = create_app({"PORTAL_CONTENT": CONTENT}).extensions["portal.content"].event(UPCOMING_IN_PERSON)
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_CLOCK": lambda: event.registration_closes + timedelta(minutes=1),
        }
    )
    html = text_of(app.test_client().get(f"/events/{UPCOMING_IN_PERSON}/"))
    assert "Registration has closed" in html and "<form" not in html
    assert "This event has finished" not in html


def test_the_built_site_has_every_event_page_and_calendar(site_dir):
    for path in (
        "events/index.html",
        f"events/{UPCOMING_IN_PERSON}/index.html",
        f"events/{PAST_HYBRID}/index.html",
        "events/feed.ics",
        f"events/{UPCOMING_ONLINE}.ics",
    ):
        assert (site_dir / path).is_file(), path


def test_unknown_events_are_not_found(sample_client):
    for address in ("/events/nothing/", "/events/nothing.ics", "/events/nothing/register/abc/"):
        assert sample_client.get(address).status_code == 404, address
