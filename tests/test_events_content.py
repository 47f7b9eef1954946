"""content/events/: the sample events load, and every kind of mistake names the file, the line and the problem."""

from datetime import date, datetime, timezone

import pytest

from build import build
from portal.content import ContentError, load_content
from portal.dates import uk_time as clock_time
from portal.events.model import LONDON, starting_tomorrow, when

from .content_edits import edit, problems
from .conftest import CONTENT
from .event_factory import PAST_HYBRID, SAMPLE_NOW, UPCOMING_IN_PERSON, UPCOMING_ONLINE, event_markdown


@pytest.fixture
def event_file(content_copy):
    return content_copy / "events" / f"{UPCOMING_IN_PERSON}.md"


def test_sample_events_are_two_upcoming_and_one_past_with_answers():
    content = load_content(CONTENT)
    assert [e.slug for e in content.upcoming_events(SAMPLE_NOW)] == [UPCOMING_IN_PERSON, UPCOMING_ONLINE]
    assert [e.slug for e in content.past_events(SAMPLE_NOW)] == [PAST_HYBRID]
    in_person, online, past = content.event(UPCOMING_IN_PERSON), content.event(UPCOMING_ONLINE), content.event(PAST_HYBRID)
    assert in_person.format == "in-person" and in_person.venue.step_free_access and in_person.online is None
    assert online.format == "online" and online.venue is None and online.online.how_to_join
    assert past.format == "hybrid" and len(past.questions_and_answers) == 3
    assert all(e.registration_open(SAMPLE_NOW) for e in (in_person, online)) and not past.registration_open(SAMPLE_NOW)


def test_times_are_uk_wall_clock_times_on_either_side_of_a_clock_change():
    content = load_content(CONTENT)
    winter = content.event(UPCOMING_IN_PERSON)
    summer = content.event(PAST_HYBRID)
    assert winter.starts.tzinfo is LONDON and winter.starts.utcoffset().total_seconds() == 0
    assert summer.starts.utcoffset().total_seconds() == 3600  # October 2026, before the clocks went back
    assert summer.starts.astimezone(timezone.utc).hour == 9


def test_times_read_as_govuk_writes_them():
    assert [clock_time(datetime(2027, 2, 10, h, m, tzinfo=LONDON)) for h, m in ((10, 0), (12, 0), (0, 0), (14, 30))] == [
        "10am",
        "midday",
        "midnight",
        "2:30pm",
    ]
    assert when(load_content(CONTENT).event(UPCOMING_IN_PERSON)) == "Wednesday 10 February 2027, 10am to 12:30pm"


def test_tomorrow_is_counted_in_uk_days():
    event = load_content(CONTENT).event(UPCOMING_IN_PERSON)  # 10am on 10 February 2027
    assert starting_tomorrow([event], datetime(2027, 2, 9, 23, 59, tzinfo=LONDON)) == [event]
    assert starting_tomorrow([event], datetime(2027, 2, 10, 0, 1, tzinfo=LONDON)) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("capacity: 40", "capacity: [40", "not valid YAML"),
        ("capacity: 40", "capacity: forty", "line 30: 'capacity': give a whole number of places, like 40"),
        ("capacity: 40", "capacity: 0", "line 30: 'capacity': give a number of places from 1 to 9999"),
        (
            "starts: 2027-02-10 10:00",
            "starts: 10/02/2027 10am",
            "line 18: 'starts': give a UK date and time, like '2027-03-25 10:00'",
        ),
        ("starts: 2027-02-10 10:00", "starts: 2027-02-10", "line 18: 'starts': add the time as well"),
        (
            "starts: 2027-02-10 10:00",
            "starts: 2027-02-30 10:00",
            "line 18: 'starts': '2027-02-30 10:00' is not a real date and time",
        ),
        (
            "starts: 2027-02-10 10:00",
            "starts: 2027-02-10 10:00:00+01:00",
            "line 18: 'starts': write the time as a clock in the UK shows it",
        ),
        ("ends: 2027-02-10 12:30", "ends: 2027-02-10 09:00", "line 19: 'ends': the event must end after it starts"),
        (
            "registration_closes: 2027-02-08 17:00",
            "registration_closes: 2027-02-11 17:00",
            "line 31: 'registration_closes': registration must close before the event starts",
        ),
        ("format: in-person", "format: webinar", "line 20: 'format': use one of: in-person, online, hybrid"),
        ("format: in-person", "format: online", "line 21: 'venue': remove 'venue', or change 'format'"),
        ("format: in-person", "format: hybrid", "'online': a hybrid event needs 'online'"),
        (
            "  estimated_value: 3600000",
            "  estimated_value: £3.6m",
            "line 8: 'procurement.estimated_value': give a whole number of pounds",
        ),
        ("  reference: EXC-2027-004\n", "", "'procurement.reference': Missing data for required field"),
        ("capacity: 40", "capacity: 40\nspeakers: 3", "line 31: 'speakers': Unknown field"),
    ],
)
def test_a_mistake_in_an_event_names_the_file_line_and_problem(event_file, content_copy, old, new, expected):
    edit(event_file, old, new)
    message = problems(content_copy)
    assert f"content/events/{UPCOMING_IN_PERSON}.md" in message
    assert expected in message, message


@pytest.mark.parametrize(
    "time, expected",
    [
        ("2027-03-28 01:30", "01:30 on 28 March 2027 does not exist in the UK, because the clocks go forward then"),
        ("2027-10-31 01:30", "01:30 on 31 October 2027 happens twice in the UK, because the clocks go back then"),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused(event_file, content_copy, time, expected):
    edit(event_file, "starts: 2027-02-10 10:00", f"starts: {time}")
    edit(event_file, "ends: 2027-02-10 12:30", "ends: 2027-11-10 12:30")
    edit(event_file, "registration_closes: 2027-02-08 17:00", "registration_closes: 2027-01-08 17:00")
    assert f"line 18: 'starts': {expected}" in problems(content_copy)


def test_an_event_without_an_agenda_is_refused(event_file, content_copy):
    text = event_file.read_text()
    event_file.write_text(text[: text.index("---", 4) + 4])
    assert f"content/events/{UPCOMING_IN_PERSON}.md, line 37: add the agenda in Markdown below this closing '---'" in problems(
        content_copy
    )


def test_a_badly_named_event_file_is_refused(event_file, content_copy):
    event_file.rename(event_file.with_name("Grounds Day.md"))
    assert "name the file with lowercase letters, numbers and hyphens only" in problems(content_copy)


def test_answers_never_say_who_asked(content_copy):
    qa = content_copy / "events" / PAST_HYBRID / "qa.yaml"
    edit(qa, "  - question: Can subcontractors", "  - asked_by: Jo Bloggs, Acme Ltd\n    question: Can subcontractors")
    message = problems(content_copy)
    assert f"content/events/{PAST_HYBRID}/qa.yaml" in message
    assert "'questions.1.asked_by': do not publish who asked a question; remove this" in message


def test_a_mistake_in_answers_names_the_line(content_copy):
    qa = content_copy / "events" / PAST_HYBRID / "qa.yaml"
    edit(qa, "answered: 2026-10-28", "answered: last week")
    assert f"content/events/{PAST_HYBRID}/qa.yaml, line 17: 'questions.2.answered': give a date, like '2026-10-20'" in problems(
        content_copy
    )


def test_answers_for_an_event_that_does_not_exist_are_refused(content_copy):
    (content_copy / "events" / PAST_HYBRID).rename(content_copy / "events" / "highways-day")
    assert "content/events/highways-day: there is no event called 'highways-day'" in problems(content_copy)


def test_updates_must_be_in_order_and_after_publishing(content_copy):
    updates = "updates:\n  - at: 2026-10-20 09:00\n    note: Later.\n  - at: 2026-10-10 09:00\n    note: Earlier.\n"
    (content_copy / "events" / "ordered.md").write_text(
        event_markdown(
            "Ordered", "2027-01-10 10:00", "2027-01-10 12:00", "2027-01-09 12:00", published="2026-10-01 09:00", updates=updates
        )
    )
    assert "content/events/ordered.md, line 24: 'updates': list updates oldest first" in problems(content_copy)


def test_the_build_stops_on_an_event_mistake(event_file, content_copy, tmp_path):
    edit(event_file, "capacity: 40", "capacity: forty")
    with pytest.raises(ContentError) as raised:
        build(content_copy, tmp_path / "site", tmp_path / "assets")
    assert f"content/events/{UPCOMING_IN_PERSON}.md, line 30: 'capacity'" in str(raised.value)


def test_answer_dates_are_dates():
    answers = load_content(CONTENT).event(PAST_HYBRID).questions_and_answers
    assert [a.answered for a in answers] == [date(2026, 10, 21), date(2026, 10, 21), date(2026, 10, 28)]
