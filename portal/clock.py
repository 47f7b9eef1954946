"""The one clock: what time it is for the site, the functions and their commands.

Inside an app, PORTAL_CLOCK in its config (a function returning an aware datetime) replaces the real time, so a
test can move the clock; elsewhere, and by default, it is the system's time in UTC.
"""

from datetime import date, datetime, timezone

from .dates import LONDON

__all__ = ["now", "uk_today"]


def now() -> datetime:
    """The time now, aware, in UTC unless a test's clock says otherwise."""
    from flask import current_app, has_app_context  # here, so the clock costs nothing where no app runs

    clock = current_app.config.get("PORTAL_CLOCK") if has_app_context() else None
    return clock() if clock else datetime.now(timezone.utc)


def uk_today() -> date:
    """Today's date in the UK, which is not the server's day from 11pm or midnight."""
    return now().astimezone(LONDON).date()
