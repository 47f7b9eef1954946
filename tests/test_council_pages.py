"""Officers find submissions, read one, review it, and every step is in the audit log, which only admins can read."""

import csv
import io
import re
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit
from markupsafe import escape as html_escape
from datetime import timedelta

import boto3
import pytest

from functions.council import audit
from functions.council.officers import Officers
from functions.storage import StorageUnavailable, open_store
from portal import create_app
from tests.conftest import BUCKET, CONTENT, CREDENTIALS
from tests.officer import ADMIN, VIEWER, council_app_with_officers, follow, send_submission, signed_in


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")


@pytest.fixture
def assessment(council_app):
    return council_app.extensions["portal.content"].assessment("readiness")


def submit(council_app, assessment, organisation="Acme Cleaning Ltd") -> str:
    return send_submission(
        council_app, open_store(council_app.config["PORTAL_STORAGE"]), organisation, council_app.config["PORTAL_CLOCK"]
    )


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


@pytest.fixture
def admin(council_app, tmp_path):
    return signed_in(council_app, ADMIN, tmp_path / "outbox")


def rows(html: str) -> list[str]:
    """The references in the submissions table, in order."""
    return re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>(SV-[A-Z0-9-]+)</a>', html)


def test_council_address_as_typed_leads_to_the_submissions_list(council_app, viewer):
    signed_out = council_app.test_client().get("/council/")
    assert signed_out.status_code == 302 and "/council/sign-in?next=/council/" in signed_out.headers["Location"]
    page = viewer.client.get("/council/", follow_redirects=True)
    assert page.status_code == 200 and page.request.path == "/council/submissions/"


def test_list_shows_each_submission_with_what_officers_triage_by(council_app, assessment, viewer, store):
    reference = submit(council_app, assessment)
    html = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert rows(html) == [reference]
    record = store.read_json(store.keys(f"submissions/readiness/{reference}/")[-1])
    assert "Acme Cleaning Ltd" in html
    assert f'<td class="govuk-table__cell">{record["questionnaire_version"]}</td>' in html
    for section in assessment.scored_sections:
        level = next(l for l in assessment.levels if l.id == record["readiness"][section.id]["level"])
        assert f"{section.title}: {level.label}" in html
    assert "New" in html
    assert ("No plan" if record["carbon_reduction_plan"] is None else "rule") in html


def test_list_filters_by_status_theme_readiness_and_date(council_app, assessment, viewer, store, clock):
    first = submit(council_app, assessment, "First Ltd")
    second = submit(council_app, assessment, "Second Ltd")
    viewer.post(
        f"/council/submissions/readiness/{first}/status",
        {"status": "accepted", "note": ""},
        form_page=f"/council/submissions/readiness/{first}/",
    )
    assert rows(viewer.client.get("/council/submissions/?status=accepted").get_data(as_text=True)) == [first]
    assert rows(viewer.client.get("/council/submissions/?status=new").get_data(as_text=True)) == [second]

    theme = assessment.scored_sections[0]
    level = store.read_json(store.keys(f"submissions/readiness/{first}/")[-1])["readiness"][theme.id]["level"]
    other = next(l.id for l in assessment.levels if l.id != level)
    assert set(rows(viewer.client.get(f"/council/submissions/?theme={theme.id}&level={level}").get_data(as_text=True))) == {
        first,
        second,
    }
    assert rows(viewer.client.get(f"/council/submissions/?theme={theme.id}&level={other}").get_data(as_text=True)) == []

    today = clock().date()
    assert len(rows(viewer.client.get(f"/council/submissions/?from={today}&to={today}").get_data(as_text=True))) == 2
    typed = f"{today.day}/{today.month}/{today.year}"
    assert len(rows(viewer.client.get(f"/council/submissions/?from={typed}&to={typed}").get_data(as_text=True))) == 2
    assert rows(viewer.client.get(f"/council/submissions/?from={today + timedelta(days=1)}").get_data(as_text=True)) == []


def test_list_sorts(council_app, assessment, viewer, clock):
    zulu = submit(council_app, assessment, "Zulu Ltd")
    clock.advance(minutes=5)
    alpha = submit(council_app, assessment, "Alpha Ltd")
    assert rows(viewer.client.get("/council/submissions/").get_data(as_text=True)) == [alpha, zulu]
    assert rows(viewer.client.get("/council/submissions/?sort=oldest").get_data(as_text=True)) == [zulu, alpha]
    assert rows(viewer.client.get("/council/submissions/?sort=organisation").get_data(as_text=True)) == [alpha, zulu]


def test_list_pages_twenty_at_a_time(viewer, store):
    references = [f"SV-TEST-{n:04d}" for n in range(23)]
    for n, reference in enumerate(references):  # records as functions/assessment/records.py writes them
        store.create_json(
            f"submissions/readiness/{reference}/000001.json",
            {
                "reference": reference,
                "assessment": "readiness",
                "questionnaire_version": 1,
                "submitted_at": f"2026-11-{n + 1:02d}T10:00:00+00:00",
                "answers": {"organisation_name": f"Firm {n}"},
                "readiness": {},
                "carbon_reduction_plan": None,
            },
        )
    first = viewer.client.get("/council/submissions/?sort=reference").get_data(as_text=True)
    second = viewer.client.get("/council/submissions/?sort=reference&page=2").get_data(as_text=True)
    assert rows(first) == references[:20] and rows(second) == references[20:]
    assert "page 2 of 2" in second and 'href="/council/submissions/?page=1&amp;sort=reference"' in second


@pytest.mark.parametrize("query", ["from=31-12-2026", "to=yesterday", "from=2026-02-30", "to=30/2/2026", "from=1/2/3/4"])
def test_list_explains_a_date_it_cannot_read(viewer, query):
    response = viewer.client.get(f"/council/submissions/?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "must be a real date" in html and "<title>Error: " in html


def test_list_ignores_filters_it_does_not_know(viewer):
    response = viewer.client.get("/council/submissions/?theme=<script>&status=%00&sort=evil&page=-4")
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True).split("<main")[1]


def test_submission_page_shows_answers_readiness_and_plan_check(council_app, assessment, viewer, store):
    reference = submit(council_app, assessment)
    html = viewer.client.get(f"/council/submissions/readiness/{reference}/").get_data(as_text=True)
    assert f"Submission {reference}" in html
    record = store.read_json(store.keys(f"submissions/readiness/{reference}/")[-1])
    for section in assessment.sections:
        assert section.title in html
    assert "Acme Cleaning Ltd" in html
    assert "Carbon reduction plan" in html
    assert ("did not give a carbon reduction plan" in html) == (record["carbon_reduction_plan"] is None)


def test_submission_page_flags_evidence_past_or_near_its_valid_until_date(council_app, assessment, viewer, store, clock):
    reference = submit(council_app, assessment)
    key = store.keys(f"submissions/readiness/{reference}/")[-1]
    record = store.read_json(key)
    today = clock().date()

    def evidence(name, valid_until):
        return {
            "id": name,
            "key": f"evidence/x/{name}",
            "name": name,
            "size": 2048,
            "sha256": "0" * 64,
            "content_type": "application/pdf",
            "uploaded_at": clock().isoformat(),
            "slots": [],
            "valid_until": valid_until and valid_until.isoformat(),
        }

    record["evidence"] = [
        evidence("old.pdf", today - timedelta(days=1)),
        evidence("soon.pdf", today + timedelta(days=90)),
        evidence("fine.pdf", today + timedelta(days=91)),
        evidence("undated.pdf", None),
    ]
    store.create_json(key.replace("000001", "000002"), record)  # a new version, as an amendment would be
    html = viewer.client.get(f"/council/submissions/readiness/{reference}/").get_data(as_text=True)
    table = html.split('id="evidence"')[1].split("</table>")[0]
    cells = {name: table.split(name)[1].split("</tr>")[0] for name in ("old.pdf", "soon.pdf", "fine.pdf", "undated.pdf")}
    assert "Expired" in cells["old.pdf"]
    assert "Expires within 90 days" in cells["soon.pdf"]
    assert "Expire" not in cells["fine.pdf"] and "Expire" not in cells["undated.pdf"]
    assert "Not given" in cells["undated.pdf"]
    assert "4 submission" not in html and ">4<" not in html  # one submission, not four
    list_html = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert 'govuk-table__cell--numeric">4</td>' in list_html


def test_submission_page_shows_what_changed_between_versions(council_app, assessment, viewer, store):
    reference = submit(council_app, assessment, "Before Ltd")
    key = store.keys(f"submissions/readiness/{reference}/")[-1]
    record = store.read_json(key)
    record["answers"]["organisation_name"] = "After Ltd"
    store.create_json(key.replace("000001", "000002"), record)
    html = viewer.client.get(f"/council/submissions/readiness/{reference}/").get_data(as_text=True)
    versions = html.split('id="versions"')[1]
    label = assessment.question("organisation_name").label
    assert "Version 2" in versions
    assert re.search(
        rf"{re.escape(str(html_escape(label)))}</td><td class=\"govuk-table__cell\">Before Ltd</td><td class=\"govuk-table__cell\">After Ltd",
        versions,
    )


def test_unknown_submission_is_not_found(viewer):
    assert viewer.client.get("/council/submissions/readiness/SV-NONE-NONE/").status_code == 404
    assert viewer.client.get("/council/submissions/nothing/SV-NONE-NONE/").status_code == 404
    assert viewer.client.get("/council/submissions/readiness/..%2F..%2Fofficers/").status_code == 404


def test_status_change_records_who_when_and_the_note(council_app, assessment, viewer, store, clock):
    reference = submit(council_app, assessment)
    page = f"/council/submissions/readiness/{reference}/"
    response = viewer.post(f"{page}status", {"status": "needs-follow-up", "note": "Ask for the wellbeing policy"}, form_page=page)
    assert response.status_code == 303
    html = viewer.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Review status changed to Needs follow-up" in html
    assert f"Needs follow-up</strong>, by {VIEWER}" in html and "Ask for the wellbeing policy" in html
    [stored] = [store.read_json(k) for k in store.keys(f"reviews/readiness/{reference}/")]
    assert stored == {
        "status": "needs-follow-up",
        "note": "Ask for the wellbeing policy",
        "by": VIEWER,
        "at": clock().replace(microsecond=0).isoformat(),
    }


@pytest.mark.parametrize(
    "data, message",
    [({"status": "done"}, "Select a review status"), ({"status": "accepted", "note": "x" * 2001}, "2,000 characters or fewer")],
)
def test_bad_status_change_explains_and_stores_nothing(council_app, assessment, viewer, store, data, message):
    reference = submit(council_app, assessment)
    page = f"/council/submissions/readiness/{reference}/"
    response = viewer.post(f"{page}status", data, form_page=page)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert store.keys(f"reviews/readiness/{reference}/") == []


def test_each_step_is_in_the_audit_log(council_app, assessment, viewer, admin, store):
    reference = submit(council_app, assessment)
    page = f"/council/submissions/readiness/{reference}/"
    viewer.client.get("/council/submissions/")
    viewer.post(f"{page}status", {"status": "looked-at"}, form_page=page)
    entries = audit.read(store, audit.keys_newest_first(store))
    mine = [(e["action"], e["subject"]) for e in reversed(entries) if e["who"] == VIEWER]
    assert mine == [
        ("sign-in-link-sent", ""),
        ("signed-in", ""),
        ("viewed-submissions-list", ""),
        ("viewed-submission", reference),
        ("changed-status", reference),
    ]
    assert all(e["ip"] and e["at"] for e in entries)
    html = admin.client.get("/council/audit/").get_data(as_text=True)
    assert "Changed status" in html and reference in html and VIEWER in html


def test_admin_downloads_the_audit_log_as_csv_with_formulas_neutralised(council_app, assessment, viewer, admin):
    reference = submit(council_app, assessment)
    page = f"/council/submissions/readiness/{reference}/"
    viewer.post(f"{page}status", {"status": "looked-at", "note": '=HYPERLINK("http://evil")'}, form_page=page)
    response = admin.client.get("/council/audit.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    [changed] = [row for row in table if row["action"] == "changed-status"]
    assert changed["who"] == VIEWER and changed["subject"] == reference
    assert 'note==HYPERLINK("http://evil")' in changed["details"]
    assert not [cell for row in table for cell in row.values() if cell[:1] in ("=", "+", "-", "@")]
    assert table[0]["action"] == "downloaded-audit-log"  # newest first, and the download itself is recorded


def test_nobody_can_change_the_audit_log(council_app):
    methods = {m for rule in council_app.url_map.iter_rules() if "audit" in rule.rule for m in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_officer_opts_in_to_the_daily_email(viewer, store):
    response = viewer.post("/council/notifications", {"notify_daily": "yes"})
    assert response.status_code == 303
    assert Officers(store).find(VIEWER).notify_daily is True
    assert "Your choice has been saved" in viewer.client.get(response.headers["Location"]).get_data(as_text=True)
    assert viewer.post("/council/notifications", {}).status_code == 400


def test_storage_outage_shows_the_unavailable_page(viewer, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("down")

    monkeypatch.setattr("functions.council.submissions.summaries", unavailable)
    response = viewer.client.get("/council/submissions/")
    assert response.status_code == 503 and "Sorry, there is a problem with the service" in response.get_data(as_text=True)


# Evidence downloads: only a clean file, through a short-lived link to storage, as an attachment, audited.


@pytest.fixture
def scanned_app(built, s3_env, tmp_path, clock):
    storage = f"s3://{BUCKET}/council-{uuid.uuid4().hex}"
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_CLOCK": clock,
            "PORTAL_MALWARE_SCANNER": "guardduty",
        }
    )
    Officers(open_store(storage)).add(VIEWER, "viewer")
    return app


def with_evidence(app, store, clock, *names) -> str:
    reference = submit(app, app.extensions["portal.content"].assessment("readiness"))
    key = store.keys(f"submissions/readiness/{reference}/")[-1]
    record = store.read_json(key)
    record["evidence"] = []
    for name in names:
        store.create(f"evidence/{reference}/{name}", b"%PDF-1.7 " + name.encode(), content_type="application/pdf")
        record["evidence"].append(
            {
                "id": name.split(".")[0],
                "key": f"evidence/{reference}/{name}",
                "name": name,
                "size": 20,
                "sha256": "0" * 64,
                "content_type": "application/pdf",
                "uploaded_at": clock().isoformat(),
                "slots": [],
                "valid_until": None,
            }
        )
    store.create_json(key.replace("000001", "000002"), record)
    return reference


def scanned(store, key, verdict):
    """Tag the object as GuardDuty's malware scan does."""
    boto3.client("s3", **CREDENTIALS).put_object_tagging(
        Bucket=BUCKET, Key=store.prefix + key, Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": verdict}]}
    )


def test_officer_downloads_clean_evidence_through_a_short_lived_attachment_link(scanned_app, clock, tmp_path):
    store = open_store(scanned_app.config["PORTAL_STORAGE"])
    reference = with_evidence(scanned_app, store, clock, "clean.pdf", "infected.pdf", "waiting.pdf")
    scanned(store, f"evidence/{reference}/clean.pdf", "NO_THREATS_FOUND")
    scanned(store, f"evidence/{reference}/infected.pdf", "THREATS_FOUND")
    officer = signed_in(scanned_app, VIEWER, tmp_path / "outbox")
    page = f"/council/submissions/readiness/{reference}/"
    html = officer.client.get(page).get_data(as_text=True)
    assert f'href="{page}evidence/clean"' in html
    assert f"{page}evidence/infected" not in html and f"{page}evidence/waiting" not in html
    assert "Do not open" in html and "Being checked" in html

    response = officer.client.get(f"{page}evidence/clean")
    assert response.status_code == 303
    link = urlsplit(response.headers["Location"])
    query = parse_qs(link.query)
    assert link.path.endswith(f"/evidence/{reference}/clean.pdf") and query["X-Amz-Expires"] == ["300"]
    assert query["response-content-disposition"][0].startswith('attachment; filename="clean.pdf"')
    with urllib.request.urlopen(response.headers["Location"], timeout=10) as download:
        assert download.read() == b"%PDF-1.7 clean.pdf"
    [logged] = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "downloaded-evidence"]
    assert logged["who"] == VIEWER and logged["subject"] == reference and logged["details"]["name"] == "clean.pdf"

    for refused, words in (("infected", "found a problem"), ("waiting", "still checking")):
        response = officer.client.get(f"{page}evidence/{refused}")
        assert response.status_code == 409 and words in response.get_data(as_text=True)
    assert len([e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "downloaded-evidence"]) == 1
    assert officer.client.get(f"{page}evidence/nothing").status_code == 404


def test_without_a_virus_checker_evidence_is_offered_and_says_it_was_not_checked(council_app, viewer, store, clock):
    reference = with_evidence(council_app, store, clock, "policy.pdf")
    page = f"/council/submissions/readiness/{reference}/"
    html = viewer.client.get(page).get_data(as_text=True)
    assert f"{page}evidence/policy" in html and "Not checked for viruses" in html
    response = viewer.client.get(f"{page}evidence/policy")
    assert response.status_code == 303


# Exports built by functions/exports/, served the same way: written into storage, audited, a short-lived link.


def test_officer_downloads_an_evidence_pack(council_app, viewer, store, clock):
    import zipfile

    reference = with_evidence(council_app, store, clock, "policy.pdf")
    page = f"/council/submissions/readiness/{reference}/"
    data = follow(viewer, viewer.post(f"{page}evidence-pack", form_page=page), store)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "summary.html" in names and "manifest.json" in names and any(n.endswith("policy.pdf") for n in names)
    [logged] = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "downloaded-evidence-pack"]
    assert logged["who"] == VIEWER and logged["subject"] == reference


def test_officer_downloads_the_listed_submissions_as_csv_and_xlsx(council_app, viewer, store, clock):
    import openpyxl

    first = submit(council_app, council_app.extensions["portal.content"].assessment("readiness"), "First Ltd")
    second = submit(council_app, council_app.extensions["portal.content"].assessment("readiness"), "Second Ltd")
    viewer.post(
        f"/council/submissions/readiness/{first}/status",
        {"status": "accepted"},
        form_page=f"/council/submissions/readiness/{first}/",
    )
    csv_data = follow(
        viewer,
        viewer.post(
            "/council/exports/submissions?format=csv&assessment=readiness&status=accepted", form_page="/council/submissions/"
        ),
        store,
    )
    text = csv_data.decode("utf-8-sig")
    assert first in text and "First Ltd" in text and second not in text
    xlsx = follow(viewer, viewer.post("/council/exports/submissions?format=xlsx", form_page="/council/submissions/"), store)
    cells = [c.value for sheet in openpyxl.load_workbook(io.BytesIO(xlsx)) for row in sheet.iter_rows() for c in row]
    assert first in cells and second in cells
    actions = [e["action"] for e in audit.read(store, audit.keys_newest_first(store))]
    assert actions.count("downloaded-submissions") == 2
    assert viewer.post("/council/exports/submissions?format=pdf", form_page="/council/submissions/").status_code == 400


def test_officer_chooses_the_csv_columns(council_app, viewer, store, clock):
    reference = submit(council_app, council_app.extensions["portal.content"].assessment("readiness"), "Chosen Ltd")
    page = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert 'name="columns-readiness" type="checkbox" value="organisation_name" checked' in page
    chosen = {"choosing-columns": "yes", "columns-readiness": ["reference", "organisation_name"]}
    data = follow(
        viewer,
        viewer.post("/council/exports/submissions?format=csv&assessment=readiness", chosen, form_page="/council/submissions/"),
        store,
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Reference", "What is your organisation's name?"] and [reference, "Chosen Ltd"] in rows

    for data, words in (
        ({"choosing-columns": "yes"}, "Choose at least one column"),
        ({"choosing-columns": "yes", "columns-readiness": "shoe_size"}, "no column called shoe_size"),
    ):
        response = viewer.post(
            "/council/exports/submissions?format=csv&assessment=readiness", data, form_page="/council/submissions/"
        )
        assert response.status_code == 400 and words in response.get_data(as_text=True)


def test_officer_downloads_the_listed_submissions_evidence_as_one_zip(council_app, viewer, store, clock):
    """Built in the background (by a thread, as `make run` does): tests/test_council_export_jobs.py has the rest."""
    import time
    import zipfile

    reference = with_evidence(council_app, store, clock, "a.pdf", "b.pdf")
    response = viewer.post("/council/exports/evidence", form_page="/council/submissions/")
    assert response.status_code == 303
    job_page = urlsplit(response.headers["Location"]).path
    deadline = time.monotonic() + 60
    while "Your ZIP is ready" not in (page := viewer.client.get(job_page).get_data(as_text=True)):
        assert "We are preparing your ZIP" in page and time.monotonic() < deadline
        time.sleep(0.2)
    data = follow(viewer, viewer.post(f"{job_page}download", form_page=job_page), store)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted([f"readiness/{reference}/001-a.pdf", f"readiness/{reference}/002-b.pdf", "manifest.json"])
    actions = [e["action"] for e in audit.read(store, audit.keys_newest_first(store))]
    assert "asked-for-evidence-zip" in actions and "downloaded-evidence-zip" in actions
