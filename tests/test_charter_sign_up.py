"""Signing the Charter from its static page: the form, its messages, and the single-use confirmation link (issue 20,
item 1), on the file store and on S3 (moto)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from functions.charter.signatories import Signatories
from functions.storage import open_store

from .charter_people import charter_app, emails_to, link_in, sign_up_and_confirm, sign_up_form, text_of
from .officer import Clock, csrf

ERROR = re.compile(
    r'<p id="([a-z-]+)-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*(.*?)\s*</p>',
    re.S,
)


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app(built, storage_url, outbox):
    return charter_app(built[1], storage_url, outbox)


@pytest.fixture
def client(app):
    return app.test_client()


def stored(app) -> list[dict]:
    with app.app_context():
        return Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).everyone()


def messages(html: str) -> dict:
    return dict(ERROR.findall(html))


def test_the_charter_page_has_the_sign_up_form_with_the_commitments_from_content(client, app):
    html = client.get("/charter/").get_data(as_text=True)
    assert 'action="/charter/sign-up"' in html
    for commitment in app.extensions["portal.content"].charter.commitments:
        assert f'value="{commitment.id}"' in html
    assert "We never publish your email address" in html
    assert 'href="/charter/register/"' in html


def test_signing_up_emails_a_link_and_nothing_reaches_officers_until_it_is_used(client, app, outbox):
    response = client.post("/charter/sign-up", data=sign_up_form())
    assert response.status_code == 303 and response.headers["Location"].endswith("/charter/sign-up/check-your-email")
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)
    [record] = stored(app)
    assert record["status"] == "unconfirmed"
    assert record["details"]["website"] == "https://www.firm0.example.com"
    [message] = emails_to(outbox, "pat0@example.com")
    assert "Confirm your email address" in message["Subject"]
    assert "Green Firm" not in text_of(message)  # nothing the form's typist wrote goes to the address they typed


def test_the_confirmation_link_works_once_and_only_by_its_button(client, app, outbox):
    client.post("/charter/sign-up", data=sign_up_form())
    link = link_in(emails_to(outbox, "pat0@example.com")[-1])
    page = client.get(link)  # an email scanner following the link changes nothing
    assert page.status_code == 200 and stored(app)[0]["status"] == "unconfirmed"
    response = client.post(link, data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert response.status_code == 303 and "/charter/confirmed" in response.headers["Location"]
    assert stored(app)[0]["status"] == "pending"
    again = client.get(link)
    assert again.status_code == 404 and "has been used already" in again.get_data(as_text=True)
    assert client.post(link, data={"csrf_token": csrf(page.get_data(as_text=True))}).status_code == 404
    assert [r["status"] for r in stored(app)] == ["pending"]


def test_a_made_up_link_is_not_found(client):
    response = client.get("/charter/confirm/" + "x" * 32)
    assert response.status_code == 404 and "used or has expired" in response.get_data(as_text=True)


def test_a_link_expires_after_a_week(built, storage_url, outbox):
    clock = Clock()
    app = charter_app(built[1], storage_url, outbox, clock)
    client = app.test_client()
    client.post("/charter/sign-up", data=sign_up_form())
    clock.advance(days=8)
    assert client.get(link_in(emails_to(outbox, "pat0@example.com")[-1])).status_code == 404


def test_missing_answers_get_a_message_each_keep_the_rest_and_store_nothing(client, app):
    response = client.post(
        "/charter/sign-up",
        data=sign_up_form(
            organisation="", size="huge", email="not an address", commitments=["made-up"], website="javascript:alert(1)"
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert messages(html) == {
        "organisation": "Enter the name of your organisation",
        "size": "Select the size of your organisation",
        "website": "Enter a web address in the correct format, like https://www.example.co.uk",
        "email": "Enter an email address in the correct format, like name@example.com",
        "commitments": "Select at least one commitment",
    }
    assert "<title>Error: " in html and 'href="#organisation"' in html
    assert 'value="Pat Person 0"' in html and "We care about Exampleshire." in html  # answers kept
    assert stored(app) == []


def test_a_post_from_another_site_is_refused(client, app):
    response = client.post("/charter/sign-up", data=sign_up_form(), headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403 and stored(app) == []


def test_one_address_cannot_be_sent_email_after_email(client, app, outbox):
    for _ in range(3):
        assert client.post("/charter/sign-up", data=sign_up_form()).status_code == 303
    response = client.post("/charter/sign-up", data=sign_up_form())
    assert response.status_code == 429 and "too many" in response.get_data(as_text=True)
    assert len(emails_to(outbox, "pat0@example.com")) == 3


def test_the_confirmed_sign_up_waits_for_officers(client, app, outbox):
    sign_up_and_confirm(client, outbox)
    assert [r["status"] for r in stored(app)] == ["pending"]


FIELDS = ["organisation", "size", "sector", "website", "name", "role", "email", "commitments", "statement", "publish"]
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=600)


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(FIELDS), st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=3)), max_size=10))
def test_whatever_is_posted_gets_a_page_not_an_error_and_nothing_half_stored(client, app, form):
    before = len(stored(app))
    response = client.post("/charter/sign-up", data=form, headers={"X-Forwarded-For": "1"})
    assert response.status_code in (303, 400, 429), response.status_code
    after = stored(app)
    if response.status_code == 303:
        assert len(after) == before + 1 and after[0]["details"]["email"]
    else:
        assert len(after) == before
        if response.status_code == 400:
            assert "There is a problem" in response.get_data(as_text=True)
