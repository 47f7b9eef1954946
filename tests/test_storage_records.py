"""Many records read at once (functions.storage.read_json_many), on disk and on S3: a record already read in this
process is not read again, a new version is seen at once, and a record the retention purge deleted is gone.

Reads are counted by the real store (a subclass that notes each key it reads), on both backends.
"""

import re
from datetime import datetime, timedelta, timezone

import pytest

from functions.council import reviews
from functions.council.retention import purge
from functions.exports.submissions import find_submissions
from functions.storage import READ_THREADS, FileStore, NotFound, S3Store, open_store, read_json_many
from tests.officer import VIEWER, council_app_with_officers, signed_in
from tests.submission_factory import put_submission, typed_answers


class ReadsNoted:
    """The store's own reads, noted key by key (reads run on several threads at once)."""

    def read(self, key):
        self.read_keys.append(key)
        return super().read(key)


class NotedFileStore(ReadsNoted, FileStore):
    pass


class NotedS3Store(ReadsNoted, S3Store):
    pass


@pytest.fixture
def store(storage_url):
    if storage_url.startswith("s3://"):
        bucket, _, prefix = storage_url.removeprefix("s3://").partition("/")
        noted = NotedS3Store(bucket, prefix)
    else:
        noted = NotedFileStore(storage_url)
    noted.read_keys = []
    return noted


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock, store):
    app = council_app_with_officers(built[1], storage_url, tmp_path / "outbox", clock, "http://localhost")
    app.extensions["portal.store"] = store  # the council pages read through the noted store
    return app


@pytest.fixture
def viewer(council_app, tmp_path):
    return signed_in(council_app, VIEWER, tmp_path / "outbox")


@pytest.fixture
def assessment(council_app):
    return council_app.extensions["portal.content"].assessment("readiness")


def listed(viewer) -> dict[str, str]:
    """Reference -> organisation, as the submissions list shows them."""
    html = viewer.client.get("/council/submissions/").get_data(as_text=True)
    rows = re.findall(r'>(SV-[A-Z0-9]{4}-[A-Z0-9]{4})</a></th>\s*<td class="govuk-table__cell">([^<]*)<', html)
    assert rows, html[:2000]
    return dict(rows)


def records_read(store) -> list[str]:
    return [key for key in store.read_keys if key.startswith(("submissions/", "reviews/"))]


def test_values_come_back_in_the_order_asked_however_many_threads_read_them(store):
    keys = [f"records/{number:04d}.json" for number in range(READ_THREADS * 3)]
    for number, key in enumerate(reversed(keys)):
        store.create_json(key, {"number": number})
    asked = keys[::2] + keys[1::2] + keys[:1]
    assert read_json_many(store, asked) == [{"number": len(keys) - 1 - keys.index(key)} for key in asked]
    assert sorted(store.read_keys) == keys  # each key read once, though one was asked for twice


def test_a_missing_record_is_not_found(store):
    store.create_json("records/here.json", {"here": True})
    with pytest.raises(NotFound):
        read_json_many(store, ["records/here.json", "records/gone.json", "records/also-gone.json"])


def test_a_record_deleted_and_written_again_in_this_process_reads_as_written_again(store):
    store.create_json("records/one.json", {"value": "first"})
    assert read_json_many(store, ["records/one.json"]) == [{"value": "first"}]
    store.delete("records/one.json")
    store.create_json("records/one.json", {"value": "second"})
    assert read_json_many(store, ["records/one.json"]) == [{"value": "second"}]


def test_a_second_listing_reads_no_record_it_has_read_before(council_app, assessment, viewer, store):
    sent = [put_submission(store, assessment, typed_answers(assessment, organisation_name=f"Firm {n} Ltd")) for n in range(3)]
    reviews.change(store, assessment.id, sent[0]["reference"], "accepted", "", "officer@example.gov.uk")

    first = listed(viewer)
    assert first == {record["reference"]: record["answers"]["organisation_name"] for record in sent}
    assert len(records_read(store)) == 4  # three submissions and one review

    store.read_keys.clear()
    assert listed(viewer) == first
    assert records_read(store) == []


def test_a_new_version_of_a_submission_shows_at_once(council_app, assessment, viewer, store):
    kept = put_submission(store, assessment, typed_answers(assessment, organisation_name="Kept Ltd"))
    changed = put_submission(store, assessment, typed_answers(assessment, organisation_name="Old Name Ltd"))
    assert listed(viewer)[changed["reference"]] == "Old Name Ltd"

    store.read_keys.clear()
    put_submission(
        store, assessment, typed_answers(assessment, organisation_name="New Name Ltd"), reference=changed["reference"], version=2
    )
    assert listed(viewer) == {kept["reference"]: "Kept Ltd", changed["reference"]: "New Name Ltd"}
    assert records_read(store) == [f"submissions/readiness/{changed['reference']}/000002.json"]


def test_a_submission_the_retention_purge_deleted_leaves_the_list(council_app, assessment, viewer, store, storage_url):
    now = datetime.now(timezone.utc)
    old = put_submission(
        store, assessment, typed_answers(assessment, organisation_name="Old Ltd"), submitted_at=now - timedelta(days=40)
    )
    recent = put_submission(
        store, assessment, typed_answers(assessment, organisation_name="Recent Ltd"), submitted_at=now - timedelta(days=1)
    )
    assert set(listed(viewer)) == {old["reference"], recent["reference"]}

    # The purge runs in a function of its own, with a store of its own.
    purged = purge(open_store(storage_url), now, 30, 365)
    assert purged.submissions == [old["reference"]]
    assert listed(viewer) == {recent["reference"]: "Recent Ltd"}


def test_exports_and_the_api_read_each_submission_once_and_see_new_versions(council_app, assessment, store):
    assessments = council_app.extensions["portal.content"].assessments
    sent = [put_submission(store, assessment) for _ in range(3)]
    assert {s.record["reference"] for s in find_submissions(store, assessments)} == {r["reference"] for r in sent}
    store.read_keys.clear()
    assert len(find_submissions(store, assessments)) == 3 and store.read_keys == []

    newer = put_submission(
        store, assessment, typed_answers(assessment, organisation_name="Renamed Ltd"), reference=sent[1]["reference"], version=2
    )
    found = {s.record["reference"]: s.record for s in find_submissions(store, assessments)}
    assert found[sent[1]["reference"]] == newer
    assert store.read_keys == [f"submissions/readiness/{sent[1]['reference']}/000002.json"]
