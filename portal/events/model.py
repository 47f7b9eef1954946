"""Early market engagement events, as plain objects: what content/events/ says, and when things happen.

Times are aware datetimes in Europe/London, so comparisons and calendar files stay right across clock changes.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup

from ..dates import LONDON, uk_day, uk_time

FORMATS = {"in-person": "In person", "online": "Online", "hybrid": "In person or online"}
# Sizes as the registration form offers them, and as exports show them.
ORGANISATION_SIZES = {
    "micro": "Micro (fewer than 10 staff)",
    "small": "Small (10 to 49 staff)",
    "medium": "Medium (50 to 249 staff)",
    "large": "Large (250 staff or more)",
    "vcse": "Voluntary, community or social enterprise (VCSE)",
}
# How long registrations are kept; the privacy notice and the bucket's lifecycle rule say the same.
REGISTRATION_RETENTION_DAYS = 365


@dataclass(frozen=True)
class Stage:
    """One step in a procurement's expected timeline, such as 'Tender published: May 2027'."""

    stage: str
    when: str


@dataclass(frozen=True)
class Procurement:
    name: str
    reference: str
    category: str
    estimated_value: int  # whole pounds
    timeline: list[Stage]

    @property
    def value_label(self) -> str:
        """The estimated value as GOV.UK writes money: £75,000, or £4.2 million."""
        if self.estimated_value >= 1_000_000:
            millions = f"{self.estimated_value / 1_000_000:.1f}".removesuffix(".0")
            return f"£{millions} million"
        return f"£{self.estimated_value:,}"


@dataclass(frozen=True)
class Venue:
    name: str
    address: str
    step_free_access: str
    access: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Online:
    platform: str
    how_to_join: str  # Markdown, sent only to people with a confirmed place; never on a public page
    access: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Update:
    """A published change to an event; each one makes calendars replace their copy."""

    at: datetime
    note: str


@dataclass(frozen=True)
class Answer:
    """A published answer to a question asked about the procurement. Who asked is never recorded."""

    question: str
    answer: Markup
    answered: object  # datetime.date


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    summary: str
    procurement: Procurement
    starts: datetime
    ends: datetime
    format: str
    capacity: int
    registration_closes: datetime
    what_to_prepare: list[str]
    published: datetime
    agenda: Markup
    venue: Venue | None = None
    online: Online | None = None
    updates: list[Update] = field(default_factory=list)
    questions_and_answers: list[Answer] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return FORMATS[self.format]

    @property
    def sequence(self) -> int:
        """iCalendar SEQUENCE: calendars replace an entry when this goes up."""
        return len(self.updates)

    @property
    def last_modified(self) -> datetime:
        return self.updates[-1].at if self.updates else self.published

    def has_ended(self, now: datetime) -> bool:
        return now >= self.ends

    def registration_open(self, now: datetime) -> bool:
        return now < self.registration_closes and now < self.starts

    def starts_on(self, day) -> bool:
        """Whether the event starts on `day`, a date in the UK."""
        return self.starts.astimezone(LONDON).date() == day


def starting_tomorrow(events: list[Event], now: datetime) -> list[Event]:
    """Events that start on the day after `now`, as the day is counted in the UK."""
    tomorrow = now.astimezone(LONDON).date() + timedelta(days=1)
    return [event for event in events if event.starts_on(tomorrow)]


def when(event: Event) -> str:
    """An event's date and times in one line: Wednesday 10 February 2027, 10am to 12:30pm."""
    if event.starts.astimezone(LONDON).date() == event.ends.astimezone(LONDON).date():
        return f"{uk_day(event.starts)}, {uk_time(event.starts)} to {uk_time(event.ends)}"
    return f"{uk_time(event.starts)} on {uk_day(event.starts)} to {uk_time(event.ends)} on {uk_day(event.ends)}"


def moment(value: datetime) -> str:
    """A single UK date and time: 5pm on Monday 8 February 2027."""
    return f"{uk_time(value)} on {uk_day(value)}"
