"""One clock and one way of writing UK dates and times, on every page, email and export."""

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from portal import create_app
from portal.clock import now, uk_today
from portal.dates import uk_date, uk_date_and_time, uk_day, uk_time

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "moment, written",
    [
        (datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc), "1 March 2027 at 9am"),
        (datetime(2027, 7, 1, 11, 0, tzinfo=timezone.utc), "1 July 2027 at midday"),  # BST: an hour ahead of UTC
        (datetime(2027, 7, 1, 13, 5, tzinfo=timezone.utc), "1 July 2027 at 2:05pm"),
        (datetime(2027, 12, 31, 23, 59, tzinfo=timezone.utc), "31 December 2027 at 11:59pm"),
        (datetime(2027, 6, 30, 23, 0, tzinfo=timezone.utc), "1 July 2027 at midnight"),  # the UK's day, not UTC's
    ],
)
def test_moments_are_written_in_uk_time_as_gov_uk_writes_them(moment, written):
    assert uk_date_and_time(moment) == written


def test_dates_have_no_leading_zero_and_the_day_name_when_asked():
    assert uk_date(date(2027, 2, 3)) == "3 February 2027"
    assert uk_day(date(2027, 2, 3)) == "Wednesday 3 February 2027"
    assert uk_time(datetime(2027, 2, 3, 0, 30, tzinfo=timezone.utc)) == "12:30am"


def test_no_code_or_template_writes_a_date_with_a_platform_only_format():
    """glibc's %-d is not on every system; portal/dates.py writes every date."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for pattern in ("portal/**/*", "functions/**/*")
        for path in ROOT.glob(pattern)
        if path.is_file() and path.suffix in (".py", ".html", ".txt", ".md")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"%-[a-zA-Z]", line)
    ]
    assert found == []


def test_no_code_reads_the_system_clock_but_the_clock():
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for pattern in ("portal/**/*.py", "functions/**/*.py")
        for path in ROOT.glob(pattern)
        if path.name != "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"datetime\.now\(|date\.today\(|datetime\.utcnow\(", line)
    ]
    assert found == []


def test_a_test_moves_the_clock_for_the_whole_app_through_its_config(built):
    moved = datetime(2030, 1, 1, 23, 30, tzinfo=timezone.utc)
    app = create_app({"TESTING": True, "PORTAL_ASSETS": built[1], "PORTAL_CLOCK": lambda: moved})
    with app.app_context():
        assert now() == moved and uk_today() == date(2030, 1, 1)
    assert now() != moved  # outside the app, the real time
