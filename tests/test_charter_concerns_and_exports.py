"""Concerns about signatories (issue 20, item 5: from the register, rate-limited, reaching officers and never the public
page), and the council's downloads and API (item 6: CSV and XLSX of signatories and updates; the register as JSON)."""

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from functions.charter.signatories import Signatories
from functions.storage import open_store

from .charter_people import OWN_PAGE, approve, charter_app, emails_to, link_in, sign_up_and_confirm, signatory_signed_in, text_of
from .council_api_client import api_app, issue_token, put_officer
from .officer import ADMIN, VIEWER, Clock, csrf, follow, signed_in

COUNCIL = "socialvalue@exampleshire.gov.uk"


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app(built, storage_url, outbox):
    return charter_app(built[1], storage_url, outbox)


@pytest.fixture
def signatory(app, outbox):
    client = app.test_client()
    sign_up_and_confirm(client, outbox, 1, statement='=HYPERLINK("http://evil")', publish=["statement"])
    [record] = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).everyone()
    approve(app, outbox, record["id"])
    own = link_in(emails_to(outbox, "pat1@example.com")[-1], OWN_PAGE)
    client = signatory_signed_in(app, outbox, "pat1@example.com").client
    page = client.get(own).get_data(as_text=True)
    client.post(
        own + "update", data={"csrf_token": csrf(page), "update-local-jobs": "Hired locally", "update-carbon": "-Cut 10%"}
    )
    return record["id"]


def concerns(app) -> list[dict]:
    return Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).concerns()


def test_a_concern_reaches_officers_by_email_and_on_a_council_page(app, outbox, signatory):
    client = app.test_client()
    response = client.post(
        f"/charter/concern/{signatory}", data={"concern": "They pay below the living wage.", "contact": "worried@example.com"}
    )
    assert response.status_code == 303 and client.get(response.headers["Location"]).status_code == 200
    [told] = [m for m in emails_to(outbox, COUNCIL) if "concern" in m["Subject"]]
    assert "/council/charter/concerns/" in text_of(told) and "living wage" not in text_of(told)
    page = signed_in(app, VIEWER, outbox).client.get("/council/charter/concerns/").get_data(as_text=True)
    assert "They pay below the living wage." in page and "worried@example.com" in page


def test_a_concern_needs_words_and_a_real_address_if_one_is_given(app, signatory):
    response = app.test_client().post(f"/charter/concern/{signatory}", data={"concern": " ", "contact": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter your concern" in html and 'href="#concern"' in html
    assert "Enter an email address in the correct format" in html and 'value="nope"' in html
    assert concerns(app) == []


def test_concerns_are_rate_limited_and_refused_from_other_sites(app, signatory):
    client = app.test_client()
    assert (
        client.post(f"/charter/concern/{signatory}", data={"concern": "x"}, headers={"Sec-Fetch-Site": "cross-site"}).status_code
        == 403
    )
    statuses = [client.post(f"/charter/concern/{signatory}", data={"concern": f"Concern {n}"}).status_code for n in range(11)]
    assert statuses == [303] * 10 + [429] and len(concerns(app)) == 10


def test_there_is_no_concern_about_someone_not_on_the_register(app, outbox):
    sign_up_and_confirm(app.test_client(), outbox, 2)
    [pending] = Signatories(open_store(app.config["PORTAL_STORAGE"]), Clock()).everyone()
    for signatory_id in (pending["id"], "0" * 16, "not-an-id"):
        assert app.test_client().post(f"/charter/concern/{signatory_id}", data={"concern": "x"}).status_code == 404


@pytest.mark.parametrize("storage_url", ["file"], indirect=True)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(["concern", "contact", "other"]), st.text(max_size=2500), max_size=3))
def test_whatever_is_posted_as_a_concern_gets_a_page_and_nothing_half_stored(app, signatory, form):
    before = len(concerns(app))
    response = app.test_client().post(
        f"/charter/concern/{signatory}", data=form, environ_base={"REMOTE_ADDR": f"10.0.{len(form)}.{before % 250}"}
    )
    assert response.status_code in (303, 400, 429)
    assert len(concerns(app)) == before + (response.status_code == 303)


def test_officers_download_signatories_and_updates_with_formulas_neutralised(app, outbox, signatory):
    officer = signed_in(app, ADMIN, outbox)
    data = follow(
        officer, officer.post("/council/charter/downloads/signatories?format=csv", form_page="/council/charter/downloads")
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Organisation" and rows[1][0] == "Green Firm 1 Ltd" and rows[1][9] == "pat1@example.com"
    assert rows[1][11].startswith("'=HYPERLINK")
    data = follow(officer, officer.post("/council/charter/downloads/updates?format=xlsx", form_page="/council/charter/downloads"))
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Organisation", "Given on", "Commitment", "Progress", "Report"]
    assert ["Green Firm 1 Ltd", "Create opportunities for local people", "Hired locally"] == [
        values[1][0],
        values[1][2],
        values[1][3],
    ]
    assert values[2][3] == "'-Cut 10%" or sheet.cell(3, 4).data_type == "s"
    audit_page = officer.client.get("/council/audit/").get_data(as_text=True)
    assert "Downloaded charter signatories" in audit_page and "Downloaded charter updates" in audit_page


def test_the_api_lists_the_public_register_without_contact_details(built, storage_url, app, signatory):
    store = open_store(storage_url)
    put_officer(store)
    api = api_app(storage_url, built)
    token = issue_token(api)
    response = api.test_client().get("/council/api/charter/register", headers={"Authorization": f"Bearer {token}"})
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 1
    [item] = body["items"]
    assert item["organisation"] == "Green Firm 1 Ltd" and item["latest_update"]["progress"]["local-jobs"] == "Hired locally"
    assert item["signed_by"] is None and "@" not in str(body)
    assert api.test_client().get("/council/api/charter/register").status_code == 401
    spec = api.test_client().get("/council/api/openapi.json").get_json()
    assert "/charter/register" in spec["paths"] and "CharterSignatory" in spec["components"]["schemas"]
    assert re.search(r"api\.charter-register", str([store.read_json(k) for k in store.keys("audit/")]))
