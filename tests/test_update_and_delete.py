"""A supplier changes what it sent (a new write-once version under the same reference) or deletes an unsent draft."""

import html
import re

import pytest

from functions.storage import open_store
from tests.officer import VIEWER, Clock, council_app_with_officers, signed_in

from .supplier import Supplier


@pytest.fixture
def storage(tmp_path):
    return str(tmp_path / "storage")


@pytest.fixture
def app(built, storage, tmp_path):
    return council_app_with_officers(built[1], storage, tmp_path / "outbox", Clock(), "http://localhost")


@pytest.fixture
def assessment(app):
    return app.extensions["portal.content"].assessment("readiness")


@pytest.fixture
def supplier(app, assessment):
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    return supplier


def sent_versions(storage) -> list[dict]:
    store = open_store(storage)
    return [store.read_json(key) for key in store.keys("submissions/")]


def test_updating_what_was_sent_adds_a_version_under_the_same_reference(app, supplier, storage, tmp_path):
    supplier.complete_all({"organisation_name": "Acme Cleaning Ltd"})
    supplier.submit()
    confirmation = f"{supplier.task_list}confirmation/"
    assert "Update your answers" in supplier.client.get(confirmation).get_data(as_text=True)

    started = supplier.post(f"{supplier.task_list}update", form_page=confirmation, data={})
    assert started.status_code == 303 and started.headers["Location"].endswith(supplier.task_list)
    task_list = supplier.client.get(supplier.task_list).get_data(as_text=True)
    assert "You are updating the self-assessment you sent" in task_list and "Send updated self-assessment" in task_list
    # It starts from what was sent: the answer is there, and every section is completed.
    question = supplier.client.get(supplier.question_url("organisation", "organisation_name")).get_data(as_text=True)
    assert 'value="Acme Cleaning Ltd"' in question
    supplier.answer("organisation", "organisation_name", "Acme Cleaning and Facilities Ltd")
    supplier.post(f"{supplier.task_list}organisation/check-answers/", {"completed": "yes"})
    assert len(sent_versions(storage)) == 1, "nothing is sent until the supplier sends it again"
    supplier.submit(times=2)  # a double click stores one version

    first, second = sent_versions(storage)
    assert first["reference"] == second["reference"]
    assert first["answers"]["organisation_name"] == "Acme Cleaning Ltd"  # write-once: the first is as it was
    assert second["answers"]["organisation_name"] == "Acme Cleaning and Facilities Ltd"
    assert "Acme Cleaning and Facilities Ltd" in supplier.client.get(confirmation).get_data(as_text=True)
    assert supplier.client.get(supplier.task_list).headers["Location"].endswith(confirmation)

    officer = signed_in(app, VIEWER, tmp_path / "outbox")
    listing = html.unescape(officer.client.get("/council/submissions/").get_data(as_text=True))
    assert "Acme Cleaning and Facilities Ltd" in listing and "(2 sent)" in listing
    assert not re.search(r">\s*Acme Cleaning Ltd\s*<", listing), "the list shows the newest version only"
    page = html.unescape(officer.client.get(f"/council/submissions/readiness/{second['reference']}/").get_data(as_text=True))
    assert "Version 2" in page and "Acme Cleaning Ltd" in page and "Acme Cleaning and Facilities Ltd" in page


def test_files_sent_in_an_earlier_version_are_kept_when_an_update_removes_them(app, assessment, storage):
    from . import evidence_files as files
    from .test_evidence import ASKS_FOR_EVERYTHING, EvidenceSupplier

    supplier = EvidenceSupplier(app.test_client(), assessment)
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    supplier.upload("carbon-reduction-plan", "Our plan.pdf", files.pdf())
    supplier.complete_all(ASKS_FOR_EVERYTHING)
    supplier.submit()
    [sent_file] = sent_versions(storage)[0]["evidence"]
    supplier.post(f"{supplier.task_list}update", form_page=f"{supplier.task_list}confirmation/", data={})
    assert supplier.remove("carbon-reduction-plan", sent_file["id"]).status_code == 303
    assert open_store(storage).read(sent_file["key"]) == files.pdf(), "version 1 still has its file"


def test_deleting_an_unsent_draft_erases_every_version_and_file_and_the_link_says_so(built, storage_url, tmp_path):
    from . import evidence_files as files
    from .test_evidence import EvidenceSupplier

    app = council_app_with_officers(built[1], storage_url, tmp_path / "outbox", Clock(), "http://localhost")
    supplier = EvidenceSupplier(app.test_client(), app.extensions["portal.content"].assessment("readiness"))
    supplier.start()
    supplier.answer("organisation", "organisation_name", "Acme Cleaning Ltd")
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    supplier.upload("carbon-reduction-plan", "Our plan.pdf", files.pdf())
    store = open_store(storage_url)
    assert len(store.keys("drafts/")) >= 3 and len(store.keys("evidence/")) == 1

    task_list = supplier.client.get(supplier.task_list).get_data(as_text=True)
    assert "Delete your answers" in task_list
    confirm = supplier.client.get(f"{supplier.task_list}delete")
    assert confirm.status_code == 200 and "Are you sure you want to delete your answers?" in confirm.get_data(as_text=True)
    deleted = supplier.post(f"{supplier.task_list}delete", {})
    assert deleted.status_code == 200 and "Your answers have been deleted" in deleted.get_data(as_text=True)

    # Gone from storage: every version of every object, the files and the answers; only the mark that says so.
    assert store.keys("evidence/") == [] and store.keys("uploads/") == []
    [mark] = store.keys("drafts/")
    assert mark.endswith("/deleted.json") and set(store.read_json(mark)) == {"deleted_at"}
    if storage_url.startswith("s3://"):
        bucket, _, prefix = storage_url.removeprefix("s3://").partition("/")
        import boto3

        listing = boto3.client("s3").list_object_versions(Bucket=bucket, Prefix=prefix + "/")
        left = [
            v["Key"]
            for v in listing.get("Versions", []) + listing.get("DeleteMarkers", [])
            if v["Key"].split("/")[2] in ("drafts", "evidence", "uploads")
        ]
        assert left == [prefix + "/" + mark], left
    else:
        assert "Acme Cleaning Ltd" not in "".join(
            p.read_text(errors="ignore") for p in (tmp_path / "storage").rglob("*") if p.is_file()
        )
    for address in (supplier.task_list, supplier.question_url("organisation", "organisation_name")):
        again = supplier.client.get(address)
        assert again.status_code == 410 and "Your answers have been deleted" in again.get_data(as_text=True)


def test_a_sent_submission_cannot_be_deleted_by_its_link(supplier, storage):
    supplier.complete_all()
    supplier.submit()
    assert "Delete your answers" not in supplier.client.get(f"{supplier.task_list}confirmation/").get_data(as_text=True)
    response = supplier.post(f"{supplier.task_list}delete", {}, form_page=f"{supplier.task_list}confirmation/")
    assert response.status_code == 302 and len(sent_versions(storage)) == 1
