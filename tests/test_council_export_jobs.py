"""The listed submissions' evidence as one ZIP, built in the background: the officer asks, watches the job's page
say it is being prepared, then downloads it; or is told it failed and tries again. And the Lambda that S3's event
starts. (tests/test_council_pages.py has the same journey with the local thread building the ZIP.)"""

import copy
import html
import io
import json
import re
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from functions import handlers
from functions.council import audit
from functions.council.officers import Officers
from functions.exports import job_runs, jobs
from functions.storage import StorageUnavailable, open_store
from tests.conftest import BUCKET, CONTENT
from tests.officer import ADMIN, VIEWER, Clock, council_app_with_officers, follow, signed_in

from .test_council_pages import with_evidence
from .test_exports_packs import checked_manifest

S3_EVENT = json.loads((Path(__file__).parent / "events" / "s3_object_created.json").read_text())


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    """Jobs left to S3's notification, as in AWS: nothing in the app runs them, so each test runs them when it chooses."""
    return council_app_with_officers(
        built[1], storage_url, tmp_path / "outbox", clock, "http://localhost", PORTAL_EXPORT_JOBS="s3-event"
    )


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


def ask_for_zip(officer, query="") -> str:
    """Post the submissions list's ZIP button; returns the job page's path."""
    response = officer.post(f"/council/exports/evidence{query}", form_page=f"/council/submissions/{query}")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    path = urlsplit(response.headers["Location"]).path
    assert path.startswith("/council/exports/jobs/") and path.endswith("/")
    return path


def job_id(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def text(officer, path) -> str:
    response = officer.client.get(path)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def downloaded_zip(officer, path, store) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(follow(officer, officer.post(f"{path}download", form_page=path), store)))
    assert archive.testzip() is None
    return archive


def assert_holds_the_evidence(archive, store, reference, names):
    manifest = checked_manifest(archive)
    expected = {f"readiness/{reference}/{n:03d}-{name}": f"evidence/{reference}/{name}" for n, name in enumerate(names, 1)}
    assert sorted(archive.namelist()) == sorted([*expected, "manifest.json"])
    for path, key in expected.items():
        assert archive.read(path) == store.read(key)
    assert {entry["reference"] for entry in manifest["files"]} == {reference}


def test_asking_for_the_zip_records_a_job_then_its_page_says_preparing_then_ready(council_app, viewer, store, clock):
    reference = with_evidence(council_app, store, clock, "a.pdf", "b.pdf")
    path = ask_for_zip(viewer, "?status=new&from=1/1/2020&theme=" + "x" * 2000)

    record = store.read_json(jobs.job_key(job_id(path)))
    assert record["officer"] == VIEWER and record["filters"] == {"status": "new", "from": "2020-01-01"}  # as checked
    assert record["submissions"] == [
        {
            "assessment": "readiness",
            "reference": reference,
            "files": 2,
            "key": store.keys(f"submissions/readiness/{reference}/")[-1],
        }
    ]
    asked = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "asked-for-evidence-zip"]
    assert [(e["who"], e["details"]["job"], e["details"]["submissions"]) for e in asked] == [(VIEWER, job_id(path), 1)]

    page = text(viewer, path)
    assert "We are preparing your ZIP" in page and "1 submission with 2 evidence files" in page
    assert f'href="{path}">Check again</a>' in page and "Download the ZIP" not in page

    job_runs.run_for_app(council_app, job_id(path))  # as the evidence_export Lambda does when S3 tells it
    page = text(viewer, path)
    assert "Your ZIP is ready" in page and "Download the ZIP" in page
    assert_holds_the_evidence(downloaded_zip(viewer, path, store), store, reference, ["a.pdf", "b.pdf"])
    downloads = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "downloaded-evidence-zip"]
    assert [(e["who"], e["details"]["job"]) for e in downloads] == [(VIEWER, job_id(path))]
    assert store.keys(jobs.JOBS) == [jobs.job_key(job_id(path))]  # the record itself is never rewritten


def test_a_job_can_be_seen_only_by_the_officer_who_asked_and_admins(council_app, viewer, store, clock, tmp_path):
    with_evidence(council_app, store, clock, "a.pdf")
    path = ask_for_zip(viewer)
    job_runs.run_for_app(council_app, job_id(path))
    Officers(store).add("another.viewer@exampleshire.gov.uk", "viewer")
    other = signed_in(council_app, "another.viewer@exampleshire.gov.uk", tmp_path / "outbox")
    assert other.client.get(path).status_code == 404
    assert other.post(f"{path}download", form_page="/council/submissions/").status_code == 404
    assert "Your ZIP is ready" in text(signed_in(council_app, ADMIN, tmp_path / "outbox"), path)
    assert other.client.get("/council/exports/jobs/not-a-job/").status_code == 404
    assert other.client.get("/council/exports/jobs/20261123T143501Z-0123456789abcdef/").status_code == 404
    signed_out = council_app.test_client().get(path)
    assert signed_out.status_code == 302 and "/council/sign-in" in signed_out.headers["Location"]


def test_a_failed_job_says_so_and_trying_again_asks_for_the_same_submissions(council_app, viewer, store, clock):
    reference = with_evidence(council_app, store, clock, "a.pdf")
    path = ask_for_zip(viewer, "?status=new&sort=oldest")
    assert viewer.post(f"{path}download", form_page=path).headers["Location"] == path  # not ready: back to the page
    newest = store.keys(f"submissions/readiness/{reference}/")[-1]
    original = store.read(newest)
    store.delete(newest)
    store.create(newest, b"{not json", "application/json")  # a record the job cannot read, whatever the reason

    assert job_runs.run_for_app(council_app, job_id(path)).state == jobs.FAILED
    page = text(viewer, path)
    assert "We could not prepare your ZIP" in page and "Something went wrong" in page
    [action] = re.findall(r'<form method="post" action="([^"]+)"', page.split("<main", 1)[1])
    assert urlsplit(html.unescape(action)).path == "/council/exports/evidence"
    assert parse_qs(urlsplit(html.unescape(action)).query) == {"status": ["new"], "sort": ["oldest"]}
    assert "Download the ZIP" not in page

    store.delete(newest)
    store.create(newest, original, "application/json")
    again = ask_for_zip(viewer, "?status=new&sort=oldest")
    assert again != path and "We are preparing your ZIP" in text(viewer, again)
    assert job_runs.run_for_app(council_app, job_id(path)).state == jobs.FAILED  # an outcome is never rewritten


def test_a_job_whose_worker_died_shows_as_failed_after_twenty_minutes(council_app, viewer, store, clock):
    with_evidence(council_app, store, clock, "a.pdf")
    path = ask_for_zip(viewer)
    clock.advance(minutes=19)
    assert "We are preparing your ZIP" in text(viewer, path)
    clock.advance(minutes=2)
    page = text(viewer, path)
    assert "We could not prepare your ZIP" in page and "took too long" in page and "Try again" in page


def object_created(bucket: str, key: str) -> dict:
    """S3's "Object Created" event as EventBridge delivers it to the Lambda."""
    event = copy.deepcopy(S3_EVENT)
    event["resources"] = [f"arn:aws:s3:::{bucket}"]
    event["detail"]["bucket"]["name"] = bucket
    event["detail"]["object"]["key"] = key
    return event


def test_the_evidence_export_lambda_builds_the_zip_that_an_s3_event_names(built, s3_env, tmp_path, monkeypatch):
    storage = f"s3://{BUCKET}/tests/{uuid.uuid4().hex}"
    for name, value in {
        "PORTAL_STORAGE": storage,
        "PORTAL_ASSETS": str(built[1]),
        "PORTAL_CONTENT": str(CONTENT),
        "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        "PORTAL_EXPORT_JOBS": "s3-event",
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handlers, "_handlers", {})
    clock = Clock()
    app = council_app_with_officers(
        built[1], storage, tmp_path / "outbox", clock, "http://localhost", PORTAL_EXPORT_JOBS="s3-event"
    )
    store = open_store(storage)
    reference = with_evidence(app, store, clock, "Wellbeing policy.pdf")
    path = ask_for_zip(signed_in(app, VIEWER, tmp_path / "outbox"))
    key = store.prefix + jobs.job_key(job_id(path))

    # Events for anything but a job record in this bucket start nothing.
    for event in (
        object_created("another-bucket", key),
        object_created(BUCKET, store.prefix + "exports/jobs/x/done.json"),
        object_created(BUCKET, key.replace("exports/jobs/", "exports/evidence/")),
        {"detail-type": "Scheduled Event"},
        {**object_created(BUCKET, key), "detail": "not an object"},
        {**object_created(BUCKET, key), "source": "aws.sqs"},
        {**object_created(BUCKET, key), "detail": {"object": "a key", "bucket": [BUCKET]}},
    ):
        assert handlers.evidence_export(event, None) == {"job": None, "state": None}
    assert store.keys("exports/evidence/") == []

    assert handlers.evidence_export(object_created(BUCKET, key), None) == {"job": job_id(path), "state": "ready"}
    [zip_key] = store.keys("exports/evidence/")
    archive = zipfile.ZipFile(io.BytesIO(store.read(zip_key)))
    assert_holds_the_evidence(archive, store, reference, ["Wellbeing policy.pdf"])
    # Events may be delivered twice: the second finds the job done and builds nothing more.
    assert handlers.evidence_export(object_created(BUCKET, key), None) == {"job": job_id(path), "state": "ready"}
    assert store.keys("exports/evidence/") == [zip_key]


def test_a_submission_purged_after_the_job_was_asked_for_is_left_out_and_the_rest_is_zipped(council_app, viewer, store, clock):
    kept = with_evidence(council_app, store, clock, "kept.pdf")
    purged = with_evidence(council_app, store, clock, "purged.pdf")
    path = ask_for_zip(viewer)
    for key in store.keys(f"submissions/readiness/{purged}/") + store.keys(f"evidence/{purged}/"):
        store.delete(key)  # as the retention purge deletes a submission with its evidence
    assert job_runs.run_for_app(council_app, job_id(path)).state == jobs.READY
    assert_holds_the_evidence(downloaded_zip(viewer, path, store), store, kept, ["kept.pdf"])


def test_a_mistyped_runner_setting_stops_the_app_at_start_up(built, tmp_path):
    with pytest.raises(ValueError, match="PORTAL_EXPORT_JOBS must be one of thread, s3-event, not 's3event'"):
        council_app_with_officers(
            built[1], str(tmp_path / "storage"), tmp_path / "outbox", Clock(), "http://localhost", PORTAL_EXPORT_JOBS="s3event"
        )


# The evidence ZIPs page: an officer's jobs of the last week, so that closing a job's page loses nothing.


def listed_jobs(officer) -> list[dict]:
    """The rows of the evidence ZIPs page's table, as a person reads them, with each row's link."""
    page = text(officer, "/council/exports/jobs/")
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", page, re.S)]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page.split("<tbody", 1)[-1], re.S):
        cells = re.findall(r"<td class=\"govuk-table__cell[^\"]*\">(.*?)</td>", row, re.S)
        found = dict(zip(headers, (" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells)))
        found["href"] = re.search(r'href="([^"]+)"', row).group(1)
        rows.append(found)
    return rows


def test_the_evidence_zips_page_lists_the_officers_own_jobs_newest_first_with_their_state(
    council_app, viewer, store, clock, tmp_path
):
    with_evidence(council_app, store, clock, "a.pdf", "b.pdf")
    ready = ask_for_zip(viewer)
    job_runs.run_for_app(council_app, job_id(ready))
    clock.advance(minutes=1)
    stalled = ask_for_zip(viewer)
    clock.advance(minutes=21)  # its worker never reported back
    preparing = ask_for_zip(viewer)
    Officers(store).add("another.viewer@exampleshire.gov.uk", "viewer")
    someone_elses = ask_for_zip(signed_in(council_app, "another.viewer@exampleshire.gov.uk", tmp_path / "outbox"))

    rows = listed_jobs(viewer)
    assert [(row["href"], row["State"], row["Submissions"], row["Files"]) for row in rows] == [
        (preparing, "Preparing", "1", "2"),
        (stalled, "Failed", "1", "2"),
        (ready, "Ready", "1", "2"),
    ]
    assert "Officer" not in rows[0] and someone_elses not in {row["href"] for row in rows}
    assert "Your ZIP is ready" in text(viewer, rows[2]["href"])  # where the download is
    assert "Try again" in text(viewer, rows[1]["href"])

    admin = signed_in(council_app, ADMIN, tmp_path / "outbox")
    assert [(row["href"], row["Officer"]) for row in listed_jobs(admin)] == [
        (someone_elses, "another.viewer@exampleshire.gov.uk"),
        (preparing, VIEWER),
        (stalled, VIEWER),
        (ready, VIEWER),
    ]


def test_jobs_asked_for_more_than_a_week_ago_are_not_listed(council_app, viewer, store, clock, tmp_path):
    with_evidence(council_app, store, clock, "a.pdf")
    older = ask_for_zip(viewer)
    clock.advance(days=6, hours=23)
    newer = ask_for_zip(signed_in(council_app, VIEWER, tmp_path / "outbox"))  # the first session has long ended
    assert [row["href"] for row in listed_jobs(signed_in(council_app, VIEWER, tmp_path / "outbox"))] == [newer, older]
    clock.advance(hours=2)
    again = signed_in(council_app, VIEWER, tmp_path / "outbox")
    assert [row["href"] for row in listed_jobs(again)] == [newer]
    clock.advance(days=7)
    page = text(signed_in(council_app, VIEWER, tmp_path / "outbox"), "/council/exports/jobs/")
    assert "You have not asked for an evidence ZIP in the last 7 days" in page and "<table" not in page


def test_the_evidence_zips_page_is_linked_from_the_list_the_job_page_and_the_navigation(council_app, viewer, store, clock):
    with_evidence(council_app, store, clock, "a.pdf")
    path = ask_for_zip(viewer)
    link = 'href="/council/exports/jobs/">See all your evidence ZIPs</a>'
    assert link in text(viewer, "/council/submissions/") and link in text(viewer, path)
    for page, current in (("/council/submissions/", ""), ("/council/exports/jobs/", ' aria-current="true"')):
        navigation = text(viewer, page).split('<nav aria-label="Council pages"', 1)[1].split("</nav>", 1)[0]
        assert f'href="/council/exports/jobs/"{current}>' in navigation


def test_a_missing_or_damaged_job_record_is_left_out_and_the_rest_are_listed(council_app, viewer, store, clock):
    with_evidence(council_app, store, clock, "a.pdf")
    good = ask_for_zip(viewer)
    stamp = f"{clock.now:%Y%m%dT%H%M%SZ}"
    ids = [f"{stamp}-{n:016x}" for n in range(9)]

    def record(n, **changes):
        return json.dumps(
            {"id": ids[n], "officer": VIEWER, "created_at": clock.now.isoformat(), "filters": {}, "submissions": [], **changes}
        ).encode()

    damaged = dict(
        zip(
            ids,
            [
                b"{not json",
                b"[]",
                b'"a string"',
                b"[" * 100_000,
                json.dumps({"id": ids[4], "officer": VIEWER}).encode(),
                record(5, created_at="yesterday"),
                record(6, submissions=["not a submission"]),
                record(7, created_at=clock.now.replace(tzinfo=None).isoformat()),
                record(8, created_at=(clock.now - timedelta(days=1)).isoformat()),  # not the time its id says
            ],
        )
    )
    damaged[f"{stamp}-{9:016x}"] = record(0)  # well formed, but another job's record
    for damaged_id, data in damaged.items():
        store.create(jobs.job_key(damaged_id), data, "application/json")
    store.create("exports/jobs/not-a-job.json", b"{}", "application/json")
    store.create_json(jobs.job_key("20261399T999999Z-0123456789abcdef"), {})  # shaped like an id, but no time
    store.create(f"exports/job-results/{job_id(good)}/done.json", b"{not json", "application/json")

    # A damaged outcome is a failure the officer can try again, on the list and on the job's page alike.
    assert [(row["href"], row["State"]) for row in listed_jobs(viewer)] == [(good, "Failed")]
    page = text(viewer, good)
    assert "We could not prepare your ZIP" in page and "Try again" in page
    for damaged_id in damaged:
        assert viewer.client.get(f"/council/exports/jobs/{damaged_id}/").status_code == 404


def test_the_evidence_zips_page_says_so_when_storage_is_down(council_app, viewer, monkeypatch):
    store = council_app.extensions["portal.store"]
    listing = store.keys

    def keys(prefix=""):
        if prefix.startswith("exports/"):
            raise StorageUnavailable("down")
        return listing(prefix)

    monkeypatch.setattr(store, "keys", keys)
    response = viewer.client.get("/council/exports/jobs/")
    assert response.status_code == 503 and "Sorry, there is a problem with the service" in response.get_data(as_text=True)
