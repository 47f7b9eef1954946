"""A supplier contact reports on their contract: the schedule, the return form, save and return, check answers,
send (write-once), corrections and the council's query, through the function's pages on both stores."""

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from functions.contracts import summaries
from functions.contracts.records import Contracts
from functions.contracts.returns import Returns
from functions.storage import open_store
from functions.signin.contacts import SupplierContacts

from portal.contracts import Commitment, Contract, Review, commitment_periods

from .officer import ADMIN, Clock, OfficerBrowser, council_app_with_officers, csrf, emails_to

ANN, BOB = "ann@roadworks.example", "bob@roadworks.example"
# Two local measures reported quarterly: a per-period commitment, and one for the whole contract with a profile.
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-014",
    "Roadworks Ltd",
    Decimal(1_250_000),
    date(2026, 4, 1),
    date(2027, 3, 31),
    "officer@exampleshire.gov.uk",
    (ANN,),
    (
        Commitment("LE01", Decimal("4.5"), "per_period", "quarterly", "Local hires"),
        Commitment(
            "WB06",
            Decimal(100),
            "whole_contract",
            "quarterly",
            "Volunteering",
            (Decimal(10), Decimal(20), Decimal(30), Decimal(40)),
        ),
    ),
)
Q1, Q2, Q3, Q4 = commitment_periods(CONTRACT, CONTRACT.commitments[0], 30)
LINK = re.compile(r"https?://\S+?(/supplier/sign-in/[A-Za-z0-9_-]+)")
ANSWERS = {
    "lines-LE01-quantity": "5",
    "lines-LE01-method": "Payroll for the quarter",
    "lines-LE01-postcode_districts": "EX1, EX4",
    "lines-LE01-attributable": "yes",
    "lines-LE01-narrative": "Two apprentices",
    "lines-WB06-quantity": "12.5",
    "lines-WB06-method": "Volunteering log",
    "lines-WB06-postcode_districts": "EX2",
    "lines-WB06-attributable": "yes",
    "declared_by_name": "Ann Smith",
    "declared_by_role": "Contract Director",
}


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 2, 12, tzinfo=timezone.utc))  # Q1 and Q2 have ended; Q3 runs to December


@pytest.fixture
def app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "https://portal.example")


@pytest.fixture
def store(app, storage_url):
    return open_store(storage_url)


@pytest.fixture
def contract_id(store):
    from dataclasses import replace

    return Contracts(store).create(replace(CONTRACT, supplier_contacts=(ANN, BOB)), ADMIN)


def sign_in(app, outbox, address=ANN) -> OfficerBrowser:
    """A contact signed in by the emailed link, as a person would be."""
    contact = OfficerBrowser(app.test_client(), outbox)
    assert contact.post("/supplier/sign-in", {"email": address}).status_code == 303
    link = LINK.search(emails_to(outbox, address)[-1].get_content()).group(1)
    assert contact.post(link).status_code == 303
    return contact


@pytest.fixture
def ann(app, tmp_path, contract_id):
    return sign_in(app, tmp_path / "outbox")


def form_url(contract_id, period=Q1):
    return f"/supplier/contracts/{contract_id}/returns/{period.id}/"


def send_return(contact, contract_id, answers=None, period=Q1):
    """Fill in the form, continue to check answers, and send; the response to Send."""
    answered = contact.post(form_url(contract_id, period), {**ANSWERS, **(answers or {})})
    assert answered.status_code == 303, answered.get_data(as_text=True)[:2000]
    check = urlsplit(answered.headers["Location"])
    check_url = f"{check.path}?{check.query}"
    draft = re.search(r'name="draft" value="(\d+)"', contact.client.get(check_url).get_data(as_text=True)).group(1)
    return contact.post(check.path, {"draft": draft}, form_page=check_url)


def page(contact, url) -> str:
    response = contact.client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_contact_sees_their_contract_and_where_each_return_stands(ann, contract_id):
    home = page(ann, "/supplier/")
    assert f'href="/supplier/contracts/{contract_id}/"' in home and "Highways maintenance" in home
    schedule = page(ann, f"/supplier/contracts/{contract_id}/")
    rows = re.findall(
        r'<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header">([0-9][^<]+)</th>.*?govuk-tag[^>]*>\s*([^<]+?)\s*<',
        schedule,
        re.S,
    )
    assert ("1 April 2026 to 30 June 2026", "Overdue") in rows and ("1 October 2026 to 31 December 2026", "Not yet due") in rows
    assert f'href="{form_url(contract_id)}"' in schedule and form_url(contract_id, Q3) not in schedule


def test_a_return_is_checked_then_sent_and_its_confirmation_can_be_kept(ann, contract_id, store, app):
    sent = send_return(ann, contract_id)
    assert sent.status_code == 303
    confirmation = page(ann, sent.headers["Location"])
    assert "Return sent" in confirmation and f"EXC-2026-014 / {Q1.id} / version 1" in confirmation
    assert (
        "Payroll for the quarter" in confirmation
        and "EX1, EX4" in confirmation
        and "Ann Smith, Contract Director" in confirmation
    )
    record = Returns(store).latest(contract_id, Q1.id)
    assert record["by"] == ANN and str(record["return"].line("WB06").quantity) == "12.5"
    assert "Sent" in page(ann, f"/supplier/contracts/{contract_id}/")
    with app.app_context():  # the council's lists read the summary, which the sending refreshed
        kept = summaries.summary(store, contract_id, app.extensions["portal.content"], Q3.start)
    assert kept["returns_sent"] == 1


def test_the_check_page_shows_the_answers_with_change_links(ann, contract_id):
    answered = ann.post(form_url(contract_id), ANSWERS)
    check = page(ann, answered.headers["Location"])
    assert "Check your return" in check and "12.5 hours" in check
    assert f'href="{form_url(contract_id)}#lines-LE01-quantity"' in check and "Send your return" in check


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"lines-LE01-quantity": ""}, "lines-LE01-quantity", "Enter the quantity delivered for LE01"),
        ({"lines-LE01-quantity": "5000"}, "lines-LE01-quantity", "between 0 and 1,000"),
        ({"lines-WB06-postcode_districts": "SW1"}, "lines-WB06-postcode_districts", "SW1 is not in Exampleshire"),
        ({"lines-LE01-attributable": ""}, "lines-LE01-attributable", "Confirm that the figure for LE01 counts"),
        ({"declared_by_name": ""}, "declared_by_name", "Enter the name of the person making the declaration"),
    ],
)
def test_a_wrong_answer_gets_a_message_by_its_field_keeps_every_answer_and_stores_nothing(
    ann, contract_id, store, change, field, message
):
    response = ann.post(form_url(contract_id), {**ANSWERS, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html and message in html
    assert f'href="#{field}"' in html and "<title>Error:" in html
    assert 'value="Payroll for the quarter"' in html or "Payroll for the quarter</textarea>" in html
    assert 'value="Ann Smith"' in html or not ANSWERS.get("declared_by_name") or field == "declared_by_name"
    assert store.keys(f"contracts/{contract_id}/returns/") == []


def test_save_and_come_back_later_keeps_the_answers_as_typed(ann, app, tmp_path, contract_id):
    saved = ann.post(form_url(contract_id), {"lines-LE01-quantity": "4.x", "declared_by_name": "Ann", "action": "save"})
    assert saved.status_code == 303 and urlsplit(saved.headers["Location"]).path == f"/supplier/contracts/{contract_id}/"
    schedule = page(ann, saved.headers["Location"])
    assert "has been saved" in schedule and "Draft saved, not sent" in schedule
    assert re.search(r">Continue<span class=\"govuk-visually-hidden\"> the return for 1 April 2026", schedule)
    bob = sign_in(app, tmp_path / "outbox", BOB)  # another contact, another computer, carries on
    form = page(bob, form_url(contract_id))
    assert 'value="4.x"' in form and 'value="Ann"' in form


def test_a_return_posted_after_the_session_ran_out_is_kept_for_signing_in_again(ann, app, tmp_path, contract_id, clock):
    form_page = ann.client.get(form_url(contract_id)).get_data(as_text=True)
    clock.advance(minutes=31)  # idle past the session's limit while typing
    late = ann.client.post(form_url(contract_id), data={**ANSWERS, "lines-LE01-quantity": "4.x", "csrf_token": csrf(form_page)})
    assert late.status_code == 302
    sign_in_page = urlsplit(late.headers["Location"])
    assert sign_in_page.path == "/supplier/sign-in" and "kept=1" in sign_in_page.query
    assert "We kept the return you were working on as a draft" in page(ann, f"{sign_in_page.path}?{sign_in_page.query}")
    again = sign_in(app, tmp_path / "outbox")
    form = page(again, form_url(contract_id))
    assert 'value="4.x"' in form and 'value="Ann Smith"' in form  # what was typed, wrong answer and all
    assert Returns(open_store(app.config["PORTAL_STORAGE"])).versions_sent(contract_id, Q1.id) == 0  # kept, not sent


def test_a_post_after_the_session_ran_out_keeps_nothing_for_a_contact_no_longer_on_the_contract(
    ann, app, contract_id, clock, store
):
    from dataclasses import replace

    form_page = ann.client.get(form_url(contract_id)).get_data(as_text=True)
    clock.advance(minutes=31)
    Contracts(store).vary(contract_id, replace(CONTRACT, supplier_contacts=(BOB,)), ADMIN, "Ann left")
    late = ann.client.post(form_url(contract_id), data={**ANSWERS, "csrf_token": csrf(form_page)})
    assert late.status_code == 302 and "kept=1" not in late.headers["Location"]
    assert Returns(store).draft(contract_id, Q1.id) is None


@pytest.mark.parametrize("based_on", ["9" * 5000, "٣", "-1", "1000000"])
def test_a_form_that_says_any_count_of_versions_is_read_as_the_count_sent(ann, contract_id, based_on):
    answered = ann.post(form_url(contract_id), {**ANSWERS, "based_on": based_on})
    assert answered.status_code == 303  # to check answers: the form is read as sent when nothing was sent yet


def test_the_councils_query_is_shown_and_answered_by_a_correction_with_its_reason(ann, contract_id, store):
    send_return(ann, contract_id)
    Contracts(store).review(contract_id, Review(Q1.id, 1, "queried", "Which apprentices were local?"), ADMIN)
    schedule = page(ann, f"/supplier/contracts/{contract_id}/")
    assert "Queried" in schedule and "Which apprentices were local?" in schedule
    correcting = page(ann, form_url(contract_id))
    assert "Correct your return" in correcting and "The council's query:</strong> Which apprentices were local?" in correcting
    assert "Which apprentices were local?" in page(ann, f"/supplier/contracts/{contract_id}/returns/{Q1.id}/sent/1/")
    form = page(ann, form_url(contract_id))
    assert "Correct your return" in form and 'value="Payroll for the quarter"' not in form  # a textarea holds it
    assert "Payroll for the quarter</textarea>" in form
    unexplained = ann.post(form_url(contract_id), {**ANSWERS, "based_on": "1", "lines-LE01-quantity": "4"})
    assert unexplained.status_code == 400 and "Enter why you are correcting this return" in unexplained.get_data(as_text=True)
    corrected = send_return(
        ann, contract_id, {"based_on": "1", "lines-LE01-quantity": "4", "correction_reason": "One lives in Devon"}
    )
    assert corrected.status_code == 303 and corrected.headers["Location"].endswith(f"/returns/{Q1.id}/sent/2/")
    versions = Returns(store).sent(contract_id)[Q1.id]
    assert [(v.version, str(v.line("LE01").quantity), v.correction_reason) for v in versions] == [
        (1, "5", None),
        (2, "4", "One lives in Devon"),
    ]
    assert "Sent" in page(ann, f"/supplier/contracts/{contract_id}/")  # the correction waits for review


def test_two_contacts_sending_the_same_period_at_once_make_one_version_and_the_second_is_told(
    ann, app, tmp_path, contract_id, store
):
    bob = sign_in(app, tmp_path / "outbox", BOB)
    checks = []
    for contact, quantity in ((ann, "5"), (bob, "6")):
        answered = contact.post(form_url(contract_id), {**ANSWERS, "lines-LE01-quantity": quantity})
        checks.append(answered.headers["Location"])
    sends = []
    for contact, check in zip((ann, bob), checks):
        draft = re.search(r'name="draft" value="(\d+)"', page(contact, check)).group(1)
        sends.append(contact.post(urlsplit(check).path, {"draft": draft}, form_page=check))
    assert sends[0].status_code == 303
    assert sends[1].status_code == 409 and "Someone else has sent this return" in sends[1].get_data(as_text=True)
    assert ANN in sends[1].get_data(as_text=True)
    [only] = Returns(store).sent(contract_id)[Q1.id]
    assert str(only.line("LE01").quantity) == "5"


def test_pressing_send_twice_sends_once_and_shows_the_confirmation(ann, contract_id, store):
    answered = ann.post(form_url(contract_id), ANSWERS)
    check = answered.headers["Location"]
    draft = re.search(r'name="draft" value="(\d+)"', page(ann, check)).group(1)
    first = ann.post(urlsplit(check).path, {"draft": draft}, form_page=check)
    again = ann.post(urlsplit(check).path, {"draft": draft}, form_page=check)
    assert first.status_code == again.status_code == 303 and first.headers["Location"] == again.headers["Location"]
    assert len(Returns(store).sent(contract_id)[Q1.id]) == 1


def test_a_withdrawn_contact_stops_at_once_and_nothing_they_post_is_kept(ann, contract_id, store):
    token_page = form_url(contract_id)
    ann.client.get(token_page)
    SupplierContacts(store).withdraw(ANN, "contract", contract_id, ADMIN, "Left the company")
    response = ann.post(token_page, ANSWERS, form_page="/supplier/sign-in")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/supplier/sign-in"
    assert store.keys(f"contracts/{contract_id}/returns/") == []
    assert ann.client.get(f"/supplier/contracts/{contract_id}/").status_code == 302


def test_a_contract_the_contact_is_not_on_is_not_found(ann, store, contract_id):
    from dataclasses import replace

    other = Contracts(store).create(replace(CONTRACT, title="Other", supplier_contacts=("someone@else.example",)), ADMIN)
    for url in (
        f"/supplier/contracts/{other}/",
        form_url(other),
        f"/supplier/contracts/{other}/returns/{Q1.id}/sent/1/",
        f"/supplier/contracts/{contract_id}/returns/2026-01-01--2026-03-31/",
        form_url(contract_id, Q3),
        "/supplier/contracts/..%2f..%2fofficers/",
    ):
        assert ann.client.get(url).status_code == 404, url
