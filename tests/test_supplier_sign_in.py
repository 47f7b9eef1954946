"""Suppliers sign in by emailed single-use link (DESIGN.md decision 13): only an address an officer has named (a
contract's contact, a Charter signatory) gets a link; withdrawing it ends its session and its links at once."""

import re
from urllib.parse import urlsplit

import pytest

from functions.storage import open_store
from functions.signin.contacts import SupplierContacts
from tests.officer import OfficerBrowser, council_app_with_officers, emails_to

CONTACT = "Jo.Bloggs@Acme.example"
LINK = re.compile(r"https?://\S+?(/supplier/sign-in/[A-Za-z0-9_-]+)")


@pytest.fixture
def app(built, storage_url, tmp_path, clock):
    app = council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "https://portal.example")
    SupplierContacts(open_store(storage_url)).grant(
        CONTACT, "contract", "c-1", "Grounds maintenance 2027", "admin@exampleshire.gov.uk"
    )
    return app


@pytest.fixture
def supplier(app, tmp_path):
    return OfficerBrowser(app.test_client(), tmp_path / "outbox")  # the same form-posting browser, on other pages


def contacts(storage_url) -> SupplierContacts:
    return SupplierContacts(open_store(storage_url))


def link_to(outbox, address) -> str:
    return LINK.search(emails_to(outbox, address)[-1].get_content()).group(1)


def sign_in(supplier, address=CONTACT):
    asked = supplier.post("/supplier/sign-in", {"email": address})
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/supplier/sign-in/check-your-email")
    return supplier.post(link_to(supplier.outbox, address.lower()))


def test_a_named_contact_signs_in_by_link_and_sees_their_contract(supplier):
    response = sign_in(supplier)
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == "/supplier/"
    page = supplier.client.get("/supplier/").get_data(as_text=True)
    assert "Signed in as jo.bloggs@acme.example" in page and "Grounds maintenance 2027" in page


def test_a_stranger_sees_the_same_page_and_gets_no_email(supplier):
    known = supplier.post("/supplier/sign-in", {"email": CONTACT})
    unknown = supplier.post("/supplier/sign-in", {"email": "stranger@example.com"})
    assert known.status_code == unknown.status_code == 303 and known.headers["Location"] == unknown.headers["Location"]
    assert emails_to(supplier.outbox, "stranger@example.com") == []
    assert len(emails_to(supplier.outbox, CONTACT.lower())) == 1


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your email address"),
        ("jo@", "Enter an email address in the correct format"),
        ("a@b.com,c@d.com", "Enter an email address in the correct format"),
        ("x" * 5000, "Enter an email address"),
    ],
)
def test_a_bad_address_gets_a_message_and_a_400(supplier, typed, message):
    response = supplier.post("/supplier/sign-in", {"email": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "There is a problem" in page


def test_pages_need_sign_in(supplier):
    response = supplier.client.get("/supplier/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/supplier/sign-in"


def test_a_link_works_once(supplier):
    asked = supplier.post("/supplier/sign-in", {"email": CONTACT})
    assert asked.status_code == 303
    path = link_to(supplier.outbox, CONTACT.lower())
    assert supplier.post(path).status_code == 303
    used = supplier.client.get(path)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_withdrawing_a_contact_ends_their_session_and_their_links_at_once(supplier, storage_url):
    sign_in(supplier)
    supplier.post("/supplier/sign-in", {"email": CONTACT})  # a second link, not yet used
    unused = link_to(supplier.outbox, CONTACT.lower())
    assert contacts(storage_url).withdraw(CONTACT, "contract", "c-1", "admin@exampleshire.gov.uk", "Left the company")
    after = supplier.client.get("/supplier/")
    assert after.status_code == 302 and urlsplit(after.headers["Location"]).path == "/supplier/sign-in"
    assert supplier.post(unused).status_code == 404
    assert not contacts(storage_url).may_sign_in(CONTACT)


def test_signing_out_ends_the_session_on_the_server(supplier):
    sign_in(supplier)
    assert supplier.post("/supplier/sign-out", form_page="/supplier/").status_code == 303
    assert supplier.client.get("/supplier/").status_code == 302


def test_a_grant_given_again_after_withdrawal_stands(app, storage_url):
    book = contacts(storage_url)
    book.grant(CONTACT, "contract", "c-2", "Cleaning", "admin@exampleshire.gov.uk")
    book.withdraw(CONTACT, "contract", "c-2", "admin@exampleshire.gov.uk", "Wrong person")
    assert [g.subject for g in book.grants(CONTACT)] == ["c-1"]
    book.grant(CONTACT, "contract", "c-2", "Cleaning", "admin@exampleshire.gov.uk")
    assert sorted(g.subject for g in book.grants(CONTACT)) == ["c-1", "c-2"]
    assert [g.active for g in book.grants(CONTACT, standing_only=False)] == [True, True]
