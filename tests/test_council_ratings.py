"""KPI ratings on a contract: the band the figures give, an officer's override with a reason (kept, audited, and
holding only while the figures stay as they were), the KPI data for a Contract Performance Notice as CSV and XLSX,
and marking the contract for the public report."""

import csv
import io
import re
from datetime import datetime, timezone
from html import unescape

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.contracts.overrides import published_ids
from functions.council import audit
from tests.contract_factory import contract, record, review, send
from tests.officer import ADMIN, VIEWER, Clock, council_app_with_officers, csrf, follow, signed_in

Q1, Q2 = "2026-04-01--2026-06-30", "2026-07-01--2026-09-30"


@pytest.fixture
def clock():
    return Clock(datetime(2026, 12, 5, 10, tzinfo=timezone.utc))


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


@pytest.fixture
def admin(council_app, tmp_path):
    return signed_in(council_app, ADMIN, tmp_path / "outbox")


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


@pytest.fixture
def contract_id(council_app, store):
    """LE01, 4.5 a quarter: Q1 accepted with 4 verified, Q2 sent and awaiting review, Q3 and Q4 not yet due."""
    made = record(council_app, store, contract(commitments=(("LE01", "4.5", "quarterly"),)))
    send(council_app, store, made, Q1, {"LE01": "5"})
    review(council_app, store, made, Q1, "accepted", {"LE01": "4"})
    send(council_app, store, made, Q2, {"LE01": "4.5"})
    return made


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_the_rating_the_figures_give_with_its_reason(viewer, contract_id):
    page = text(viewer.client.get(f"/council/contracts/{contract_id}/ratings"))
    assert (
        "Rating Requires improvement 4 verified of 4.5 committed (88%) over 1 settled period. "
        "1 return awaiting review is not counted yet."
    ) in page
    assert "The contract's rating Requires improvement The lowest rating of its 1 KPI: LE01 is requires improvement." in page
    assert "Change the rating" not in page and "Publish it" not in page  # viewers read only
    assert (
        viewer.post(
            f"/council/contracts/{contract_id}/ratings/LE01",
            {"band": "good", "reason": "x"},
            form_page=f"/council/contracts/{contract_id}/ratings",
        ).status_code
        == 403
    )
    assert viewer.client.get("/council/contracts/000000000000/ratings").status_code == 404
    assert viewer.client.get("/council/contracts/../ratings").status_code == 404


def test_an_officer_overrides_a_rating_with_a_reason_until_the_figures_change(council_app, admin, contract_id, store):
    url = f"/council/contracts/{contract_id}/ratings"
    refused = admin.post(f"{url}/LE01", {"band": "approaching_target", "reason": ""}, form_page=url)
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem Enter why you are changing the rating" in page
    assert re.search(r'value="approaching_target"\s+checked', refused.get_data(as_text=True))  # answers kept
    assert "Officers' ratings" not in text(admin.client.get(url))  # nothing stored
    saved = admin.post(f"{url}/LE01", {"band": "approaching_target", "reason": "Two apprentices started in July"}, form_page=url)
    assert saved.status_code == 303
    page = text(admin.client.get(saved.headers["Location"]))
    assert "The rating of LE01 has been saved." in page
    assert "Rating Approaching target Set by an officer: Two apprentices started in July" in page
    assert "Calculated from the figures Requires improvement: 4 verified of 4.5 committed" in page
    assert f"{ADMIN} set Approaching target (the figures gave Requires improvement): Two apprentices started in July" in page
    [entry] = [r for r in audit.read(store, audit.keys_newest_first(store)) if r["action"] == "overrode-kpi-rating"]
    assert entry["subject"] == contract_id and entry["details"]["band"] == "approaching_target"
    # Q2 accepted in full: the figures now give another band, so the officer's no longer holds
    review(council_app, store, contract_id, Q2, "accepted", {"LE01": "4.5"})
    page = text(admin.client.get(url))
    # LE01 counts FTE jobs, a level: the latest settled period's figures stand
    assert "Rating Good 4.5 verified of 4.5 committed (100%) over 2 settled periods." in page
    assert "No longer applies: the figures have changed since it was set." in page
    assert admin.post(f"{url}/XX99", {"band": "good", "reason": "x"}, form_page=url).status_code == 404


def test_kpi_data_for_a_contract_performance_notice(admin, contract_id):
    url = f"/council/contracts/{contract_id}/ratings"
    admin.post(f"{url}/LE01", {"band": "approaching_target", "reason": "=cmd|' /C calc'!A0"}, form_page=url)
    table = list(
        csv.reader(
            io.StringIO(
                follow(admin, admin.post(f"/council/contracts/{contract_id}/kpi-data?format=csv", form_page=url)).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    heading = table[0]
    row = dict(zip(heading, table[1]))
    assert len(table) == 2 and heading[:3] == ["Contract title", "Contract reference", "Contract notice identifier"]
    assert row["KPI name"] == "Local people employed on the contract" and row["Target for the period covered"] == "4.5"
    assert row["Delivered (claimed by the supplier)"] == "5" and row["Verified by the council"] == "4"
    assert row["Rating"] == "Approaching target"
    assert row["Reason for the rating"] == "Set by an officer: =cmd|' /C calc'!A0"
    assert row["Period covered from"] == "2026-04-01" and row["Period covered to"] == "2026-06-30"
    sheet = openpyxl.load_workbook(
        io.BytesIO(follow(admin, admin.post(f"/council/contracts/{contract_id}/kpi-data?format=xlsx", form_page=url)))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(heading) and dict(zip(rows[0], rows[1]))["Verified by the council"] == 4
    assert all(c.data_type == "s" for c in sheet[2] if isinstance(c.value, str))  # text never a formula
    assert admin.post(f"/council/contracts/{contract_id}/kpi-data?format=ods", form_page=url).status_code == 400


@pytest.mark.parametrize("reference", ["EX\u20132025", "EX \U0001f331 2025", "EX\r\n2025", "EX\ufffe\uffff"])
def test_kpi_data_downloads_whatever_the_contracts_reference_holds(council_app, admin, store, reference):
    """The reference names the download; object metadata holds ASCII only, and that was a 500."""
    made = record(council_app, store, contract(reference=reference))
    url = f"/council/contracts/{made}/ratings"
    table = follow(admin, admin.post(f"/council/contracts/{made}/kpi-data?format=csv", form_page=url)).decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(table)))["Contract reference"].startswith("EX")
    sheet = openpyxl.load_workbook(
        io.BytesIO(follow(admin, admin.post(f"/council/contracts/{made}/kpi-data?format=xlsx", form_page=url)))
    ).active
    assert str(sheet["B2"].value).startswith("EX")


def test_an_officer_marks_a_contract_for_the_public_report(admin, viewer, contract_id, store):
    url = f"/council/contracts/{contract_id}/ratings"
    assert "This contract is not in the public report" in text(admin.client.get(url))
    done = admin.post(f"/council/contracts/{contract_id}/publication", {"publish": "yes"}, form_page=url)
    assert done.status_code == 303 and published_ids(store) == [contract_id]
    assert "The contract is now in the public report." in text(admin.client.get(done.headers["Location"]))
    assert viewer.post(f"/council/contracts/{contract_id}/publication", {"publish": "no"}, form_page=url).status_code == 403
    admin.post(f"/council/contracts/{contract_id}/publication", {"publish": "no"}, form_page=url)
    assert published_ids(store) == []
    assert admin.post(f"/council/contracts/{contract_id}/publication", {"publish": "maybe"}, form_page=url).status_code == 400


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=st.dictionaries(
        st.sampled_from(["band", "reason", "publish"]),
        st.one_of(st.text(max_size=1200), st.sampled_from(["good", "other", "yes", "no"])),
        max_size=3,
    ),
    code=st.sampled_from(["LE01", "WB06", "le01", "X" * 40, "%00"]),
)
def test_hostile_posts_get_a_4xx_or_are_stored_never_a_5xx(admin, contract_id, form, code):
    url = f"/council/contracts/{contract_id}/ratings"
    token = csrf(admin.client.get(url).get_data(as_text=True))
    for target in (f"{url}/{code}", f"/council/contracts/{contract_id}/publication"):
        status = admin.client.post(target, data={**form, "csrf_token": token}).status_code
        assert status in (303, 400, 404)
