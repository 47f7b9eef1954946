"""Event content made up by tests, with times chosen by the test rather than by the sample content's dates."""

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from portal import create_app

from .conftest import CONTENT

# The sample content is written as if on this day: its first two events are still to come, the third is over.
SAMPLE_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
UPCOMING_IN_PERSON = "grounds-maintenance-meet-the-buyer"
UPCOMING_ONLINE = "school-meals-online-briefing"
PAST_HYBRID = "highways-minor-works-market-day"


def event_markdown(
    title: str,
    starts: str,
    ends: str,
    closes: str,
    capacity: int = 40,
    format: str = "in-person",
    published: str = "2026-11-01 09:00",
    updates: str = "",
    agenda: str = "1. Welcome\n2. Questions\n",
) -> str:
    """A valid event file; times are UK wall-clock strings, like '2027-10-30 10:00'."""
    venue = (
        """venue:
  name: Room 1, Civic Centre
  address: Market Street, Exampletown, EX1 1AA
  step_free_access: Step-free throughout.
"""
        if format in ("in-person", "hybrid")
        else ""
    )
    online = (
        """online:
  platform: Microsoft Teams
  how_to_join: "Join at https://teams.example.com/secret-meeting-link"
"""
        if format in ("online", "hybrid")
        else ""
    )
    return f"""---
title: {title}
summary: A test event.
procurement:
  name: Test services
  reference: EXC-TEST-1
  category: Testing
  estimated_value: 75000
  timeline:
    - stage: Tender published
      when: Later
starts: {starts}
ends: {ends}
format: {format}
{venue}{online}capacity: {capacity}
registration_closes: {closes}
what_to_prepare:
  - Questions.
published: {published}
{updates}---
{agenda}"""


def content_with_events(root: Path, events: dict[str, str], keep_samples: bool = False) -> Path:
    """A copy of the default content whose events are `events` (slug -> file text), in `root`/content."""
    content = Path(shutil.copytree(CONTENT, root / "content"))
    if not keep_samples:
        shutil.rmtree(content / "events")
        (content / "events").mkdir()
    for slug, text in events.items():
        (content / "events" / f"{slug}.md").write_text(text)
    return content


def local(moment: datetime) -> str:
    """A datetime as the UK wall-clock string content uses."""
    from portal.events.model import LONDON

    return f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M}"


def upcoming_event(
    slug: str = "soon", days: int = 30, capacity: int = 40, format: str = "in-person", now: datetime | None = None
) -> dict[str, str]:
    """An event `days` after `now` (the real time unless given), open for registration until the day before."""
    starts = (now or datetime.now(timezone.utc)).replace(second=0, microsecond=0) + timedelta(days=days)
    return {
        slug: event_markdown(
            f"Test event {slug}",
            local(starts),
            local(starts + timedelta(hours=2)),
            local(starts - timedelta(days=1)),
            capacity=capacity,
            format=format,
            published=local(starts - timedelta(days=days + 10)),
        )
    }


def make_app(content: Path, assets: Path, storage: str, outbox: Path, clock=None, **settings):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": content,
            "PORTAL_ASSETS": assets,
            "PORTAL_STORAGE": storage,
            "PORTAL_EMAIL": f"outbox:{outbox}",
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_CLOCK": clock,
            **settings,
        }
    )


def details(n: int = 0, **changes) -> dict:
    """What a person might type into the registration form."""
    return {
        "name": f"Person {n}",
        "organisation": f"Firm {n} Ltd",
        "email": f"person{n}@example.com",
        "size": "small",
        "role": "Director",
        "needs": "",
        "questions": "",
        **changes,
    }
