"""UK dates and times as the portal writes them: "4 December 2026", "Friday 4 December 2026", "9:05am".

One place, so every page, email and export says a date the same way; and with no platform-only strftime codes
(glibc's day without a leading zero), so it works on every system. Pure Python: the core, the site and the functions all use it.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["LONDON", "uk_calendar_day", "uk_date", "uk_date_and_time", "uk_day", "uk_time"]

LONDON = ZoneInfo("Europe/London")


def _in_uk(value):
    """A moment as UK wall-clock time; a date, or a time with no zone, as it is."""
    return value.astimezone(LONDON) if isinstance(value, datetime) and value.tzinfo else value


def uk_calendar_day(moment: datetime | str) -> date:
    """The UK's day a moment (or its ISO text) falls on: from 11pm UTC in summer, tomorrow's, not UTC's."""
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return _in_uk(moment).date()


def uk_date(value: date | datetime) -> str:
    """4 December 2026"""
    value = _in_uk(value)
    return f"{value.day} {value:%B %Y}"


def uk_day(value: date | datetime) -> str:
    """Friday 4 December 2026"""
    return f"{_in_uk(value):%A} {uk_date(value)}"


def uk_time(value: datetime) -> str:
    """A time as GOV.UK writes it: 10am, 2:30pm, midday, midnight."""
    value = _in_uk(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def uk_date_and_time(value: datetime) -> str:
    """4 December 2026 at 9:05am"""
    return f"{uk_date(value)} at {uk_time(value)}"
