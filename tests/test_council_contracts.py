"""Officers record contracts with their commitments (typed, or imported from a spreadsheet), vary them with a
reason, read each contract's schedule and figures, and review the returns suppliers send."""

import re
from datetime import datetime, timezone
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.contracts import summaries
from functions.contracts.records import Contracts, contract_prefix, serialise_return
from functions.council import audit
from functions.storage import StorageUnavailable, open_store, versions
from portal.contracts import Return, ReturnLine
from decimal import Decimal
from tests.officer import ADMIN, VIEWER, Clock, council_app_with_officers, emails_to, follow, signed_in

START = {"start-day": "1", "start-month": "4", "start-year": "2026", "end-day": "31", "end-month": "3", "end-year": "2027"}
CONTRACT = {
    "title": "Highways maintenance",
    "reference": "EXC-2026-014",
    "notice_id": "012345-2025",
    "supplier_name": "Roadworks Ltd",
    "ppon": "",
    "value": "1,250,000",
    **START,
    "contract_manager": ADMIN,
    "supplier_contacts": "ann@roadworks.example\nbob@roadworks.example",
    "commitments-0-measure": "LE01",
    "commitments-0-quantity": "4.5",
    "commitments-0-basis": "per_period",
    "commitments-0-frequency": "",
    "commitments-0-delivery_note": "Local apprentices",
    "commitments-1-measure": "WB06",
    "commitments-1-quantity": "100",
    "commitments-1-basis": "per_period",
    "commitments-1-frequency": "",
    "commitments-1-delivery_note": "Staff volunteering days",
}
Q1 = "2026-04-01--2026-06-30"


@pytest.fixture
def clock():
    return Clock(datetime(2026, 12, 5, 10, tzinfo=timezone.utc))


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


@pytest.fixture
def store(storage_url):
    return open_store(storage_url)


@pytest.fixture
def admin(council_app, tmp_path):
    return signed_in(council_app, ADMIN, tmp_path / "outbox")


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


def text(response) -> str:
    """The page's words, as a person reads them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def record(admin, **changes) -> str:
    response = admin.post("/council/contracts/new", {**CONTRACT, **changes})
    assert response.status_code == 303, text(response)[:2000]
    return re.search(r"/council/contracts/([0-9a-f]{12})/", response.headers["Location"]).group(1)


def send_return(store, contract_id, version=1, le01="5", wb06="30", period=Q1, evidence=None):
    """A return as the supplier's pages send it (the layout in the contracts storage note): set-up, not under test."""
    sent = Return(
        period,
        (
            ReturnLine("LE01", Decimal(le01), "Payroll", "", ("EX1",)),
            ReturnLine("WB06", Decimal(wb06), "Timesheets", "", ("EX2",)),
        ),
        "Ann Smith",
        "Director",
        version,
        None if version == 1 else "Counted twice",
    )
    versions.append(
        store,
        f"{contract_prefix(contract_id)}returns/{period}/sent/",
        {
            "return": serialise_return(sent),
            "evidence": evidence or {},
            "by": "ann@roadworks.example",
            "at": "2026-07-02T10:00:00+00:00",
        },
    )


def test_an_admin_records_a_contract_and_everyone_sees_its_schedule_and_commitments(admin, viewer, store):
    contract_id = record(admin)
    page = text(admin.client.get(f"/council/contracts/{contract_id}/?saved=1"))
    assert "The contract has been saved (version 1)" in page
    assert "Highways maintenance" in page and "Roadworks Ltd" in page and "£1,250,000" in page
    assert "1 April 2026 to 30 June 2026 30 July 2026 Overdue" in page  # the first quarter's return, due 30 days on
    assert "1 October 2026 to 31 December 2026 30 January 2027 Not yet due" in page
    assert (
        "LE01: " in page and "WB06: " in page and "Committed, whole contract 4.5" in page
    )  # FTE jobs are a level: the latest period stands
    assert (
        page.count("<svg") == 0
        and admin.client.get(f"/council/contracts/{contract_id}/").get_data(as_text=True).count("<svg xmlns") == 2
    )
    assert Contracts(store).may_report("bob@roadworks.example", contract_id)
    listing = text(viewer.client.get("/council/contracts/"))
    assert "1 contract" in listing and "Highways maintenance" in listing and "2 overdue" in listing
    assert "Record a contract" not in listing
    assert viewer.client.get("/council/contracts/new").status_code == 403
    assert [r["action"] for r in audit.read(store, audit.keys_newest_first(store))[::-1] if r["subject"] == contract_id][:1] == [
        "recorded-contract"
    ]


def test_a_contract_with_mistakes_is_refused_with_every_message_and_the_answers_kept(admin, store):
    response = admin.post(
        "/council/contracts/new",
        {
            **CONTRACT,
            "value": "lots",
            "end-year": "2025",
            "commitments-1-measure": "LE01",
            "commitments-2-measure": "WB01",
            "commitments-2-quantity": "1",
        },
    )
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Contract value must be an amount of money" in page and "End date must be after the start date" in page
    assert "LE01 is already a commitment on this contract" in page
    assert "Enter how the supplier will deliver this commitment" in page
    assert 'value="Highways maintenance"' in response.get_data(as_text=True) and "Staff volunteering days" in page
    assert store.keys("contracts/") == []
    stranger = admin.post("/council/contracts/new", {**CONTRACT, "contract_manager": "someone@example.com"})
    assert stranger.status_code == 400 and "Enter the email address of a council officer" in text(stranger)
    assert store.keys("contracts/") == []


def test_a_whole_contract_commitment_asks_for_the_amount_in_each_period(admin, store):
    whole = {"commitments-1-basis": "whole_contract"}
    response = admin.post("/council/contracts/new", {**CONTRACT, **whole})
    assert response.status_code == 400 and "Enter the amount due in period 1, or 0" in text(response)
    assert "Period 4: 1 January 2027 to 31 March 2027" in text(response)
    profile = {f"commitments-1-profile-{n}": amount for n, amount in enumerate(["10", "20", "30", "30"], start=1)}
    response = admin.post("/council/contracts/new", {**CONTRACT, **whole, **profile})
    assert response.status_code == 400 and "must add up to the committed quantity (100); they add up to 90" in text(response)
    profile["commitments-1-profile-4"] = "40"
    contract_id = record(admin, **whole, **profile)
    assert Contracts(store).get(contract_id)[0].commitment("WB06").profile == (10, 20, 30, 40)


def test_commitments_import_from_a_spreadsheet_into_the_form_and_bad_rows_are_named(admin, store):
    def import_(data: bytes):
        page = admin.client.get("/council/contracts/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        from io import BytesIO

        return admin.client.post(
            "/council/contracts/new",
            data={
                **CONTRACT,
                "commitments-1-measure": "",
                "commitments-1-quantity": "",
                "commitments-1-delivery_note": "",
                "action": "import",
                "csrf_token": token,
                "spreadsheet": (BytesIO(data), "commitments.csv"),
            },
            content_type="multipart/form-data",
        )

    bad = import_(b"measure code,quantity,period\nZZ99,5,each period\nWB06,lots,each period\n")
    assert bad.status_code == 400
    assert "Row 2:" in text(bad) and "Row 3:" in text(bad) and store.keys("contracts/") == []
    assert re.search(r"LE01<br>Row 3: ", bad.get_data(as_text=True))  # one line each beside the field, not "&lt;br&gt;"
    assert "&lt;br&gt;" not in bad.get_data(as_text=True)
    good = import_(b"measure code,quantity,period\nWB06,10,1\nWB06,20,2\nWB06,30,3\nWB06,40,4\n")
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and "1 commitment imported from the spreadsheet" in text(good)
    assert 'name="commitments-1-profile-4" type="text" value="40"' in page or re.search(
        r'name="commitments-1-profile-4"[^>]*value="40"', page
    )
    assert 'value="whole_contract" checked' in page and store.keys("contracts/") == []


def _post_with_spreadsheet(admin, data: bytes, action="import", name="commitments.xlsx"):
    from io import BytesIO

    page = admin.client.get("/council/contracts/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    fields = {**CONTRACT, "action": action, "csrf_token": token, "spreadsheet": (BytesIO(data), name)}
    return admin.client.post("/council/contracts/new", data=fields, content_type="multipart/form-data")


@pytest.mark.parametrize("size", [1_000_001, 3 * 1024 * 1024])
def test_a_spreadsheet_too_large_is_named_with_the_answers_kept(admin, store, size):
    refused = _post_with_spreadsheet(admin, b"x" * size)
    assert refused.status_code == 400, text(refused)[:300]
    assert "The selected file must be smaller than 1MB" in text(refused)
    assert 'value="Highways maintenance"' in refused.get_data(as_text=True)  # the answers typed are still there
    assert store.keys("contracts/") == []


@pytest.mark.parametrize("name", ["commitments.pdf", "commitments.txt", "commitments", "commitments.csv.exe"])
def test_a_file_not_named_as_a_spreadsheet_is_told_to_be_one(admin, store, name):
    refused = _post_with_spreadsheet(admin, b"measure code,quantity,period\nLE01,2,each period\n" * 600, name=name)
    assert refused.status_code == 400 and "The selected file must be a CSV or XLSX" in text(refused)


def test_a_post_larger_than_the_form_takes_gets_the_too_large_page_and_stores_nothing(admin, store):
    refused = _post_with_spreadsheet(admin, b"x" * (4 * 1024 * 1024 + 1))
    assert refused.status_code == 413 and "What you sent is too large." in text(refused)
    assert store.keys("contracts/") == []


def test_a_form_without_a_file_still_takes_only_the_forms_limit(admin):
    assert admin.post("/council/notifications", {"notify_daily": "x" * (1024 * 1024 + 1)}).status_code == 413
    assert admin.post("/council/notifications", {"notify_daily": "x" * 1000}).status_code in (303, 400)


def test_a_variation_needs_a_reason_and_the_history_shows_every_version(admin, store):
    contract_id = record(admin)
    change = f"/council/contracts/{contract_id}/change"
    form = admin.client.get(change).get_data(as_text=True)
    assert 'value="Highways maintenance"' in form and "Local apprentices" in form
    varied = {**CONTRACT, "value": "1,300,000", "supplier_contacts": "ann@roadworks.example"}
    assert admin.post(change, varied).status_code == 400
    assert admin.post(change, {**varied, "reason": "Extra resurfacing; Bob left"}).status_code == 303
    history = text(admin.client.get(f"/council/contracts/{contract_id}/history"))
    assert "Version 2" in history and "Reason: Extra resurfacing; Bob left" in history
    assert "Value" in history and "Supplier contacts" in history and "Version 1" in history
    assert not Contracts(store).may_report("bob@roadworks.example", contract_id)


@pytest.mark.parametrize(
    "change, hidden",
    [
        ({"commitments-0-frequency": "annually"}, ["LE01 for 1 April 2026 to 30 June 2026"]),
        ({"start-day": "2"}, ["LE01 for 1 April 2026 to 30 June 2026", "WB06 for 1 April 2026 to 30 June 2026"]),
        ({"commitments-1-measure": "", "commitments-1-quantity": ""}, ["WB06 for 1 April 2026 to 30 June 2026"]),
        (  # ending in May cuts the first quarter short: another period
            {"end-day": "31", "end-month": "5", "end-year": "2026"},
            ["LE01 for 1 April 2026 to 30 June 2026", "WB06 for 1 April 2026 to 30 June 2026"],
        ),
    ],
)
def test_a_variation_that_would_hide_returns_already_sent_is_refused_and_stores_nothing(admin, store, change, hidden):
    """A trial moved a commitment from quarterly to annually: the sent and accepted return vanished from every page."""
    contract_id = record(admin)
    send_return(store, contract_id)
    answer = admin.post(f"/council/contracts/{contract_id}/change", {**CONTRACT, **change, "reason": "Simpler reporting"})
    page = text(answer)
    assert answer.status_code == 400 and "There is a problem" in page
    assert f"Returns already sent would no longer show: {'; '.join(hidden)}." in page, page[1200:2000]
    assert 'href="#commitments"' in answer.get_data(as_text=True)
    assert Contracts(store).get(contract_id)[1] == 1  # still the first version
    assert "Simpler reporting" in answer.get_data(as_text=True)  # the answers are kept


def test_a_variation_that_keeps_the_periods_reported_is_saved(admin, store):
    contract_id = record(admin)
    send_return(store, contract_id)
    later = {"commitments-0-quantity": "6", "end-year": "2028", "commitments-2-measure": "WB07"}
    later |= {"commitments-2-quantity": "3", "commitments-2-basis": "per_period", "commitments-2-frequency": "annually"}
    later |= {"commitments-2-delivery_note": "Mentoring"}
    answer = admin.post(f"/council/contracts/{contract_id}/change", {**CONTRACT, **later, "reason": "Extended a year"})
    assert answer.status_code == 303, text(answer)[:1500]
    assert "1 April 2026 to 30 June 2026" in text(admin.client.get(f"/council/contracts/{contract_id}/"))


def test_saving_a_form_opened_before_another_officers_variation_is_stopped_with_the_answers_kept(admin, store):
    """Officer A raises the quantity; officer B, with the page opened before, would quietly put it back."""
    contract_id = record(admin)
    change = f"/council/contracts/{contract_id}/change"
    opened = admin.client.get(change).get_data(as_text=True)
    assert 'name="based_on" value="1"' in opened
    assert admin.post(change, {**CONTRACT, "commitments-0-quantity": "20", "reason": "More", "based_on": "1"}).status_code == 303
    stale = admin.post(change, {**CONTRACT, "supplier_name": "Roadworks plc", "reason": "Renamed", "based_on": "1"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this contract" in page
    assert f"{ADMIN} saved version 2 on " in text(stale) and 'value="Roadworks plc"' in page
    assert Contracts(store).get(contract_id)[0].commitments[0].quantity == 20  # theirs stands
    assert 'name="based_on" value="2"' in page  # having looked, saving again goes ahead
    again = admin.post(change, {**CONTRACT, "commitments-0-quantity": "20", "reason": "Renamed", "based_on": "2"})
    assert again.status_code == 303 and Contracts(store).get(contract_id)[1] == 3
    added = admin.post(change, {**CONTRACT, "reason": "x", "based_on": "2", "action": "add"}).get_data(as_text=True)
    assert 'name="based_on" value="2"' in added  # adding a row keeps the version the form was opened on


def test_the_record_form_sent_twice_records_one_contract(admin, store):
    """A double click on "Save the contract" recorded two (a trial's fifty sends recorded fifty)."""
    form_id = re.search(
        r'name="form_id" value="([0-9a-f]{12})"', admin.client.get("/council/contracts/new").get_data(as_text=True)
    )
    posted = {**CONTRACT, "form_id": form_id.group(1)}
    first, again = admin.post("/council/contracts/new", posted), admin.post("/council/contracts/new", posted)
    assert first.status_code == again.status_code == 303 and first.headers["Location"] == again.headers["Location"]
    assert Contracts(store).ids() == [form_id.group(1)]
    other = admin.post("/council/contracts/new", {**posted, "title": "Street lighting"})  # a form that claims that id
    assert other.status_code == 303 and len(Contracts(store).ids()) == 2
    assert Contracts(store).get(form_id.group(1))[0].title == "Highways maintenance"


def test_a_review_sent_twice_is_recorded_and_emailed_once_and_one_made_meanwhile_is_not_overwritten(admin, store, tmp_path):
    """A double click on "Record the review" emailed every contact twice (a trial sent it fifty times: 100 emails)."""
    contract_id = record(admin)
    send_return(store, contract_id)
    review = f"/council/contracts/{contract_id}/returns/{Q1}/"
    assert 'name="reviews_seen" value="0"' in admin.client.get(review).get_data(as_text=True)
    query = {"outcome": "queried", "note": "Which postcodes?", "version": "1", "reviews_seen": "0"}
    first, again = admin.post(review, query), admin.post(review, query)
    assert first.status_code == again.status_code == 303 and first.headers["Location"] == again.headers["Location"]
    assert len(Contracts(store).reviews(contract_id)) == 1
    assert [len(emails_to(tmp_path / "outbox", c)) for c in ("ann@roadworks.example", "bob@roadworks.example")] == [1, 1]
    other = admin.post(review, {**query, "outcome": "rejected", "note": "Not this contract"})  # a page opened before
    assert other.status_code == 409 and "Another review of this return was recorded while you were reviewing" in text(other)
    assert 'value="Not this contract"' in other.get_data(as_text=True) or "Not this contract</textarea>" in other.get_data(
        as_text=True
    )
    assert [r.outcome for r in Contracts(store).reviews(contract_id)] == ["queried"]


def test_an_officer_queries_a_return_the_contacts_are_emailed_and_a_correction_is_accepted_with_a_verified_figure(
    admin, viewer, store, tmp_path
):
    contract_id = record(admin)
    send_return(store, contract_id)
    summaries.refresh(store, contract_id, admin.client.application.extensions["portal.content"], datetime(2026, 12, 5).date())
    assert "1 to review" in text(viewer.client.get("/council/contracts/"))
    review = f"/council/contracts/{contract_id}/returns/{Q1}/"
    page = text(viewer.client.get(review))
    assert "Claimed 5 Full-time equivalent (FTE) jobs" in page and "Record the review" not in page
    assert (
        viewer.post(review, {"outcome": "accepted", "version": "1"}, form_page=f"/council/contracts/{contract_id}/").status_code
        == 403
    )
    refused = admin.post(review, {"outcome": "queried", "note": "", "version": "1"})
    assert refused.status_code == 400 and "Enter a note saying what the supplier needs to do" in text(refused)
    asked = admin.post(review, {"outcome": "queried", "note": "Which postcodes were the jobs in?", "version": "1"})
    assert asked.status_code == 303
    for contact in ("ann@roadworks.example", "bob@roadworks.example"):
        [message] = emails_to(tmp_path / "outbox", contact)
        assert "Which postcodes were the jobs in?" in message.get_content()
    assert "Queried" in text(admin.client.get(f"/council/contracts/{contract_id}/"))

    send_return(store, contract_id, version=2, le01="4")
    stale = admin.post(review, {"outcome": "accepted", "version": "1"})
    assert stale.status_code == 409 and "sent a correction (version 2)" in text(stale)
    no_reason = admin.post(review, {"outcome": "accepted", "version": "2", "verified-LE01": "3.5"})
    assert no_reason.status_code == 400 and "Enter why the verified quantity for LE01 differs from the 4 claimed" in text(
        no_reason
    )
    assert 'value="3.5"' in no_reason.get_data(as_text=True)
    accepted = admin.post(
        review, {"outcome": "accepted", "version": "2", "verified-LE01": "3.5", "verified-LE01-reason": "Payroll shows 3.5 FTE"}
    )
    assert accepted.status_code == 303
    page = text(admin.client.get(f"/council/contracts/{contract_id}/"))
    assert "1 April 2026 to 30 June 2026 4.5 4 3.5 Accepted" in page  # committed, claimed, verified for LE01
    assert "Verified to date 3.5" in page
    actions = [r["action"] for r in audit.read(store, audit.keys_newest_first(store))[::-1] if r["subject"] == contract_id]
    assert actions.count("reviewed-contract-return") == 2


def test_storage_down_keeps_the_answers_in_the_form_and_stores_nothing(admin, store, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("down")

    monkeypatch.setattr(Contracts, "create", unavailable)
    response = admin.post("/council/contracts/new", CONTRACT)
    assert response.status_code == 503 and "The contract was not saved" in text(response)
    assert 'value="Highways maintenance"' in response.get_data(as_text=True) and "Staff volunteering days" in text(response)


def test_unknown_contracts_and_periods_are_not_found(admin):
    contract_id = record(admin)
    for path in (
        "/council/contracts/000000000000/",
        f"/council/contracts/{contract_id}/returns/{Q1}/",
        f"/council/contracts/{contract_id}/returns/2026-01-01--2026-02-01/",
        "/council/contracts/abc/history",
    ):
        assert admin.client.get(path).status_code == 404, path


hostile = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e9",
            "LE01",
            "whole_contract",
            "31",
            "\x00\x1b[31m",
            "queried",
            "accepted",
            "9" * 5000,
            "add",
            "import",
            "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
        ]
    ),
)
contract_fields = st.sampled_from(sorted(CONTRACT) + ["action", "commitments-0-profile-1", "commitments-7-measure"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(contract_fields, hostile, max_size=6))
def test_any_contract_post_is_saved_whole_or_refused_never_a_5xx(admin, store, changes):
    before = len(store.keys("contracts/"))
    response = admin.post("/council/contracts/new", {**CONTRACT, **changes})
    assert response.status_code in (200, 303, 400), text(response)[:500]
    after = len(store.keys("contracts/"))
    assert after == before + (1 if response.status_code == 303 else 0)  # one version, or nothing at all


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.dictionaries(
        st.sampled_from(
            ["outcome", "note", "version", "verified-LE01", "verified-LE01-reason", "verified-WB06", "verified-ZZ99"]
        ),
        hostile,
        max_size=5,
    )
)
def test_any_review_post_is_recorded_whole_or_refused_never_a_5xx(admin, store, changes):
    if not store.keys("contracts/"):
        send_return(store, record(admin))
    contract_id = Contracts(store).ids()[0]
    before = len(Contracts(store).reviews(contract_id))
    response = admin.post(f"/council/contracts/{contract_id}/returns/{Q1}/", {"version": "1", **changes})
    assert response.status_code in (303, 400, 409), text(response)[:500]
    assert len(Contracts(store).reviews(contract_id)) == before + (1 if response.status_code == 303 else 0)


def test_officers_download_the_evidence_a_return_names_and_nothing_else(admin, viewer, store):
    contract_id = record(admin)
    kept, unsent = "a" * 32, "b" * 32
    for file_id in (kept, unsent):  # as the supplier side keeps a file that passed its checks
        key = f"{contract_prefix(contract_id)}evidence/files/{file_id}"
        store.create(key, b"%PDF-1.7 payroll", content_type="application/pdf")
        store.create_json(
            f"{contract_prefix(contract_id)}evidence/records/{file_id}.json",
            {
                "id": file_id,
                "key": key,
                "name": f"payroll-{file_id[0]}.pdf",
                "size": 16,
                "sha256": "0" * 64,
                "content_type": "application/pdf",
                "uploaded_at": "2026-07-01T09:00:00+00:00",
                "by": "ann@roadworks.example",
            },
        )
    send_return(store, contract_id, evidence={"LE01": [kept]})
    page = text(viewer.client.get(f"/council/contracts/{contract_id}/returns/{Q1}/"))
    assert "Evidence for LE01 payroll-a.pdf" in page and "payroll-b.pdf" not in page
    assert follow(viewer, viewer.client.get(f"/council/contracts/{contract_id}/evidence/{kept}")) == b"%PDF-1.7 payroll"
    assert viewer.client.get(f"/council/contracts/{contract_id}/evidence/{unsent}").status_code == 404
    assert viewer.client.get(f"/council/contracts/{contract_id}/evidence/..%2Fx").status_code == 404
    actions = [r["action"] for r in audit.read(store, audit.keys_newest_first(store)) if r["subject"] == contract_id]
    assert "downloaded-contract-evidence" in actions


def test_storage_down_while_reviewing_keeps_the_review_in_the_form(admin, store, monkeypatch):
    contract_id = record(admin)
    send_return(store, contract_id)
    review = f"/council/contracts/{contract_id}/returns/{Q1}/"
    form = admin.client.get(review).get_data(as_text=True)

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("down")

    monkeypatch.setattr(Contracts, "review", unavailable)
    from tests.officer import csrf

    response = admin.client.post(
        review, data={"outcome": "queried", "note": "Which postcodes?", "version": "1", "csrf_token": csrf(form)}
    )
    assert response.status_code == 503 and "Your review was not saved" in text(response)
    assert "Which postcodes?" in text(response) and 'value="queried" checked' in response.get_data(as_text=True)
    assert store.keys(f"{contract_prefix(contract_id)}reviews/") == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(sorted(CONTRACT) + ["reason", "action"]), hostile, max_size=6))
def test_any_variation_post_is_a_new_version_or_refused_never_a_5xx(admin, store, changes):
    if not store.keys("contracts/"):
        record(admin)
    contract_id = Contracts(store).ids()[0]
    before = Contracts(store).get(contract_id)[1]
    response = admin.post(f"/council/contracts/{contract_id}/change", {**CONTRACT, "reason": "Extra work", **changes})
    assert response.status_code in (200, 303, 400), text(response)[:500]
    assert Contracts(store).get(contract_id)[1] == before + (1 if response.status_code == 303 else 0)


def test_rebuild_contract_summaries_makes_the_list_and_pages_again_from_the_records(council_app, admin, store):
    contract_id = record(admin)
    for key in store.keys("contract-summaries/") + store.keys("contract-index/"):
        store.delete(key)
    assert "0 contracts" in text(admin.client.get("/council/contracts/"))
    result = council_app.test_cli_runner().invoke(args=["rebuild-contract-summaries"])
    assert result.exit_code == 0 and "Rebuilt the summaries of 1 contract." in result.output
    assert "1 contract" in text(admin.client.get("/council/contracts/"))
    assert "Highways maintenance" in text(admin.client.get(f"/council/contracts/{contract_id}/"))
