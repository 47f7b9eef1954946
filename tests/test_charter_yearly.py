"""The Charter's yearly update (issue 20, item 4): on each anniversary the signatory is asked, by a private link, for a
short update per commitment; missing two in a row (content's setting) lapses them, officers are told once, and they
leave the register until they update; a signatory can leave from their link. The round is safe to run twice."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from functions.charter.reminders import run_for_app
from functions.charter.signatories import Signatories
from functions.storage import open_store
from portal.charter import yearly
from portal.content import load_content

from .charter_people import OWN_PAGE, approve, charter_app, emails_to, link_in, sign_up_and_confirm, signatory_signed_in, text_of
from .conftest import CONTENT
from .officer import Clock, csrf

SETTINGS = load_content(CONTENT).charter.yearly_update  # 2 missed before lapsing, 60 days to answer


def test_an_anniversary_is_missed_only_once_its_time_to_answer_has_passed():
    joined = date(2026, 3, 1)
    assert yearly.standing(joined, [], date(2027, 2, 28), SETTINGS) == yearly.Standing(0, 0, 0, False)
    assert yearly.standing(joined, [], date(2027, 3, 1), SETTINGS).update_due
    assert yearly.standing(joined, [], date(2027, 5, 1), SETTINGS).missed == 1
    assert not yearly.standing(joined, [], date(2028, 4, 30), SETTINGS).lapsed  # the second's 60 days not yet over
    assert yearly.standing(joined, [], date(2028, 5, 1), SETTINGS).lapsed
    back = yearly.standing(joined, [date(2028, 6, 1)], date(2028, 6, 1), SETTINGS)
    assert not back.lapsed and not back.update_due


def test_a_29_february_joiner_has_an_anniversary_every_year():
    assert yearly.anniversary(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert yearly.anniversaries_reached(date(2028, 2, 29), date(2029, 2, 28)) == 1


@given(
    joined=st.dates(date(2000, 1, 1), date(2090, 1, 1)),
    days=st.integers(0, 3650),
    updates=st.lists(st.integers(0, 3650), max_size=5),
)
def test_an_update_given_today_always_ends_a_lapse(joined, days, updates):
    today = joined + timedelta(days=days)
    given_on = sorted(joined + timedelta(days=d) for d in updates)
    before = yearly.standing(joined, given_on, today, SETTINGS)
    after = yearly.standing(joined, given_on + [today], today, SETTINGS)
    assert before.missed >= after.missed == 0 and not after.lapsed and not after.update_due
    assert before.lapsed == (before.missed >= SETTINGS.missed_before_lapsing)


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(built, storage_url, outbox, clock):
    return charter_app(built[1], storage_url, outbox, clock)


@pytest.fixture
def signatory(app, outbox):
    sign_up_and_confirm(app.test_client(), outbox)
    [record] = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).everyone()
    approve(app, outbox, record["id"])
    return record["id"]


def run(app) -> dict:
    with app.test_request_context(base_url="http://localhost"):
        return run_for_app()


def register(app) -> list[str]:
    with app.app_context():
        from portal.clock import uk_today

        found = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock())
        return [s.organisation for s in found.register(uk_today(), app.extensions["portal.content"].charter)]


def officer_emails(outbox) -> list:
    return emails_to(outbox, "socialvalue@exampleshire.gov.uk")


def test_the_anniversary_brings_one_request_however_often_the_round_runs(app, outbox, clock, signatory):
    assert run(app)["asked"] == 0
    clock.advance(days=366)
    assert run(app)["asked"] == 1 and run(app) == {"asked": 0, "lapsed": 0, "already": 1, "failed": 0}
    message = emails_to(outbox, "pat0@example.com")[-1]
    assert "yearly update" in message["Subject"] and OWN_PAGE.search(text_of(message))


def test_two_missed_updates_lapse_them_tell_officers_once_and_an_update_brings_them_back(app, outbox, clock, signatory):
    client = app.test_client()
    assert register(app) == ["Green Firm 0 Ltd"]
    clock.advance(days=366)
    run(app)
    clock.advance(days=366 + 61)
    result = run(app)
    assert result["lapsed"] == 1 and run(app)["lapsed"] == 0
    [told] = [m for m in officer_emails(outbox) if "lapsed" in m["Subject"]]
    assert "Green Firm 0 Ltd" in text_of(told) and f"/council/charter/{signatory}/" in text_of(told)
    assert register(app) == []
    own = link_in(emails_to(outbox, "pat0@example.com")[-1], OWN_PAGE)
    client = signatory_signed_in(app, outbox, "pat0@example.com").client
    page = client.get(own).get_data(as_text=True)
    assert "Lapsed: give an update" in page
    empty = client.post(own + "update", data={"csrf_token": csrf(page)})
    assert empty.status_code == 400 and "Enter your progress on ‘Create opportunities for local people’" in empty.get_data(
        as_text=True
    )
    assert register(app) == []
    response = client.post(
        own + "update",
        data={
            "csrf_token": csrf(page),
            "update-local-jobs": "Two apprentices",
            "update-carbon": "Measured our footprint",
            "report": "example.com/report",
        },
    )
    assert response.status_code == 303
    assert register(app) == ["Green Firm 0 Ltd"]


def test_a_signatory_signs_in_and_can_leave(app, outbox, signatory):
    own = link_in(emails_to(outbox, "pat0@example.com")[-1], OWN_PAGE)
    client = signatory_signed_in(app, outbox, "pat0@example.com").client
    assert f'href="{own}"' in client.get("/supplier/").get_data(as_text=True)  # from their supplier home page
    page = client.get(own + "leave").get_data(as_text=True)
    left = client.post(own + "leave", data={"csrf_token": csrf(page)})
    assert left.status_code == 200 and "You have left the Charter" in left.get_data(as_text=True)
    assert register(app) == []
    assert "You have left" in emails_to(outbox, "pat0@example.com")[-1]["Subject"]
    assert client.get(own).status_code == 302  # their grant is withdrawn: no more signed-in pages
    history = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).history(signatory)
    assert [(v["status"], v["by"]) for v in history][-1] == ("left", "pat0@example.com")


def test_only_the_signatorys_own_address_reaches_their_pages(app, outbox, signatory):
    assert app.test_client().get(f"/supplier/charter/{signatory}/").status_code == 302  # to sign in
    sign_up_and_confirm(app.test_client(), outbox, 9)
    found = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock())
    other = next(r["id"] for r in found.everyone() if r["details"]["email"] == "pat9@example.com")
    approve(app, outbox, other)
    client = signatory_signed_in(app, outbox, "pat9@example.com").client
    assert client.get(f"/supplier/charter/{signatory}/").status_code == 404
    assert client.get(f"/supplier/charter/{other}/").status_code == 200


def test_the_command_runs_the_round(app, clock, signatory):
    clock.advance(days=366)
    result = app.test_cli_runner().invoke(args=["charter-reminders"])
    assert result.exit_code == 0 and "asked: 1" in result.output
    assert re.search(r"already: 0", result.output)


@pytest.fixture
def signed(app, outbox, signatory):
    return signatory_signed_in(app, outbox, "pat0@example.com")


UPDATE_FIELDS = ["update-local-jobs", "update-carbon", "update-fair-pay", "report", "csrf_token"]


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(UPDATE_FIELDS), st.text(max_size=1200), max_size=5))
def test_whatever_is_posted_as_an_update_gets_a_page_and_nothing_half_stored(app, outbox, signatory, signed, form):
    client = signed.client
    own = f"/supplier/charter/{signatory}/"
    found = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock())
    before = len(found.updates(signatory))
    token = csrf(client.get(own).get_data(as_text=True))
    response = client.post(own + "update", data={**form, "csrf_token": token})
    assert response.status_code in (303, 400)
    assert len(found.updates(signatory)) == before + (response.status_code == 303)
    if response.status_code == 400:
        assert "There is a problem" in response.get_data(as_text=True)
