"""Evidence uploads through the function, on both storages: upload straight to storage, check, attach, reuse,
remove and submit; and every hostile file refused with its own message, leaving nothing stored."""

import hashlib
import html
import re
from urllib.parse import urlsplit

import boto3
import pytest
import requests

from functions.storage import open_store
from portal import create_app
from portal.evidence import checks

from . import evidence_files as files
from .conftest import BUCKET, CONTENT, CREDENTIALS
from .supplier import Supplier

# Answers under which every evidence slot in the default questionnaire applies.
ASKS_FOR_EVERYTHING = {
    "has_crp": "published",
    "wellbeing_support": ["named-contact"],
    "disability_confident": "leader",
    "anonymised_applications": "yes",
    "crp_environmental_measures": ["iso-14001"],
}
FORM = re.compile(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ERROR_SUMMARY = re.compile(r'govuk-error-summary__list">\s*<li>\s*<a href="[^"]*">([^<]+)</a>')


@pytest.fixture
def app(storage_url, built):
    return create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": storage_url})


class EvidenceSupplier(Supplier):
    """A supplier with a browser's way of uploading: the form goes to storage, which sends it back to the function."""

    def evidence_url(self, slot_id):
        return f"{self.task_list}evidence/{slot_id}/"

    def upload(self, slot_id, name, data, extra=None):
        page = self.client.get(self.evidence_url(slot_id)).get_data(as_text=True)
        action, form = FORM.search(page).groups()
        fields = {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(form)}
        fields.update(extra or {})
        if urlsplit(action).netloc:  # S3: the browser posts to the bucket, here moto's server
            posted = requests.post(action, data=fields, files={"file": (name, data)}, allow_redirects=False, timeout=60)
            status, location = posted.status_code, posted.headers.get("Location", "")
        else:  # the file store's endpoint, served by the same app
            import io

            posted = self.client.post(action, data={**fields, "file": (io.BytesIO(data), name)})
            status, location = posted.status_code, posted.headers.get("Location", "")
        assert status == 303, (status, location)
        return self.client.get(urlsplit(location).path)

    def reuse(self, slot_id, file_ids):
        return self.post(self.evidence_url(slot_id) + "reuse", {"file": file_ids}, form_page=self.evidence_url(slot_id))

    def remove(self, slot_id, file_id):
        return self.post(self.evidence_url(slot_id) + "remove", {"file": file_id}, form_page=self.evidence_url(slot_id))


@pytest.fixture
def supplier(app):
    supplier = EvidenceSupplier(app.test_client(), app.extensions["portal.content"].assessment("readiness"))
    supplier.start()
    for section, question in [
        ("employee-wellbeing", "wellbeing_support"),
        ("inclusive-recruitment", "disability_confident"),
        ("inclusive-recruitment", "anonymised_applications"),
        ("carbon-reduction-plan", "has_crp"),
        ("carbon-reduction-plan", "crp_environmental_measures"),
    ]:
        assert supplier.answer(section, question, ASKS_FOR_EVERYTHING[question]).status_code == 303
    return supplier


def store_of(app):
    return open_store(app.config["PORTAL_STORAGE"])


def draft_of(app, supplier):
    from functions.assessment.records import Drafts

    token = supplier.task_list.rstrip("/").rsplit("/", 1)[1]
    return Drafts(store_of(app)).load(supplier.assessment, token)


def error_of(response) -> str:
    return html.unescape(ERROR_SUMMARY.search(response.get_data(as_text=True)).group(1)).strip()


def test_supplier_attaches_reuses_removes_and_submits_exactly_those_files(app, supplier):
    plan, plan_v2, policy = files.pdf(), files.pdf(pages=2), files.docx()
    for slot, name, data in [
        ("carbon-reduction-plan", "Carbon reduction plan.pdf", plan),
        ("carbon-reduction-plan", "Plan draft.pdf", plan_v2),
        ("wellbeing-policy", "Wellbeing policy.docx", policy),
    ]:
        response = supplier.upload(slot, name, data)
        assert response.status_code == 303
        page = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"{name} has been uploaded" in page
    evidence = {e["name"]: e for e in draft_of(app, supplier).evidence}
    # The EDI policy question reuses the plan without a new upload; the draft plan is removed.
    assert supplier.reuse("edi-policy", [evidence["Carbon reduction plan.pdf"]["id"]]).status_code == 303
    assert supplier.remove("carbon-reduction-plan", evidence["Plan draft.pdf"]["id"]).status_code == 303

    check_answers = supplier.client.get(f"{supplier.task_list}inclusive-recruitment/check-answers/").get_data(as_text=True)
    assert "Carbon reduction plan.pdf" in check_answers and "Your Disability Confident certificate" in check_answers
    supplier.complete_all(ASKS_FOR_EVERYTHING)
    assert supplier.submit().status_code == 303

    store = store_of(app)
    record = store.read_json(store.keys("submissions/readiness/")[-1])
    stored = {e["name"]: e for e in record["evidence"]}
    assert set(stored) == {"Carbon reduction plan.pdf", "Wellbeing policy.docx"}
    assert sorted(stored["Carbon reduction plan.pdf"]["slots"]) == ["carbon-reduction-plan", "edi-policy"]
    assert stored["Wellbeing policy.docx"]["slots"] == ["wellbeing-policy"]
    for name, data, content_type in [
        ("Carbon reduction plan.pdf", plan, "application/pdf"),
        ("Wellbeing policy.docx", policy, files.docx.__name__),
    ]:
        entry = stored[name]
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert store.read(entry["key"]) == data
        assert entry["key"].startswith(f"evidence/readiness/{draft_of(app, supplier).digest}/")
        assert name not in entry["key"] and entry["valid_until"] is None and entry["uploaded_at"]
    assert stored["Carbon reduction plan.pdf"]["content_type"] == "application/pdf"
    # The removed file is gone from storage, and nothing is left where browsers post.
    assert sorted(store.keys("evidence/")) == sorted(e["key"] for e in record["evidence"])
    assert store.keys("uploads/") == []
    confirmation = supplier.client.get(f"{supplier.task_list}confirmation/").get_data(as_text=True)
    assert "Carbon reduction plan.pdf" in confirmation and "Wellbeing policy.docx" in confirmation
    assert "Plan draft.pdf" not in confirmation


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("policy.pdf", files.SCRIPT, checks.wrong_type(("pdf", "docx", "odt"))),
        ("policy.pdf", files.HTML, checks.wrong_type(("pdf", "docx", "odt"))),
        ("policy.pdf", b"", checks.empty()),
        ("", b"", checks.no_file()),
        ("policy.docx", files.plain_zip(), checks.wrong_type(("pdf", "docx", "odt"))),
        ("policy.pdf", files.encrypted_pdf(), checks.password_protected()),
        ("policy.docx", files.macro_enabled("word"), checks.macro_enabled()),
        ("policy.docx", files.encrypted_docx(), checks.password_protected()),
        ("policy.docx", files.zip_bomb_by_count(), checks.zip_bomb()),
        ("figures.xlsx", files.xlsx(), checks.wrong_type(("pdf", "docx", "odt"))),
    ],
)
def test_hostile_and_unwanted_files_are_refused_with_their_message_and_deleted(app, supplier, name, data, message):
    response = supplier.upload("carbon-reduction-plan", name, data)
    assert response.status_code == 400
    assert error_of(response) == message
    store = store_of(app)
    assert store.keys("evidence/") == [] and store.keys("uploads/") == []
    assert draft_of(app, supplier).evidence == ()


# Small; either side of and exactly the head the checks read first (64 KB); past the SHA-256's first 1 MB read.
@pytest.mark.parametrize("size", [None, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 1600 * 1024])
def test_an_attached_file_is_kept_with_the_size_and_sha256_of_what_was_sent(app, supplier, size):
    data = files.pdf_of_size(size) if size else files.pdf()
    assert supplier.upload("carbon-reduction-plan", "plan.pdf", data).status_code == 303
    (entry,) = draft_of(app, supplier).evidence
    assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert store_of(app).read(entry["key"]) == data


def test_a_file_over_the_limit_is_refused(app, supplier):
    response = supplier.upload("carbon-reduction-plan", "plan.pdf", files.pdf(padding=25 * 1024 * 1024))
    assert response.status_code == 400 and error_of(response) == "The selected file must be smaller than 25MB"
    assert store_of(app).keys("evidence/") == []


@pytest.mark.parametrize(
    "hostile, shown",
    [
        ("../../../etc/plan.pdf", "plan.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("policy\u202efdp.exe.pdf", "policyfdp.exe.pdf"),
        ("plan\u2067\u200f\u061c.pdf", "plan.pdf"),
        ("p" * 300 + ".pdf", "p" * 96 + ".pdf"),
    ],
)
def test_hostile_names_are_neutralised_and_never_make_the_key(app, supplier, hostile, shown):
    assert supplier.upload("carbon-reduction-plan", hostile, files.pdf()).status_code == 303
    [entry] = draft_of(app, supplier).evidence
    assert entry["name"] == shown
    assert re.fullmatch(r"evidence/readiness/[0-9a-f]{64}/[0-9a-f]{32}", entry["key"])


def test_too_many_files_for_a_question(app, supplier):
    for number in (1, 2):
        assert supplier.upload("disability-confident-certificate", f"cert{number}.png", files.png()).status_code == 303
    page = supplier.client.get(supplier.evidence_url("disability-confident-certificate")).get_data(as_text=True)
    assert "Choose a file" not in page and "the most you can add here" in page
    reused = supplier.reuse("disability-confident-certificate", [])
    assert reused.status_code == 400


def test_valid_until_date_is_kept_and_a_wrong_one_refused(app, supplier):
    date = {"x-amz-meta-valid-until-day": "31", "x-amz-meta-valid-until-month": "3", "x-amz-meta-valid-until-year": "2099"}
    assert supplier.upload("iso-14001-certificate", "iso.pdf", files.pdf(), date).status_code == 303
    assert draft_of(app, supplier).evidence[0]["valid_until"] == "2099-03-31"
    wrong = {**date, "x-amz-meta-valid-until-month": "13"}
    response = supplier.upload("iso-14001-certificate", "iso2.pdf", files.pdf(), wrong)
    page = response.get_data(as_text=True)
    # The error is on the date, which keeps what was typed; the file is kept, and not asked for again.
    assert response.status_code == 400 and "must be a real date" in error_of(response)
    assert 'href="#valid-until-day"' in page and 'id="valid-until-month" name="valid-until-month" type="text" value="13"' in page
    assert "govuk-file-upload--error" not in page and "We have kept iso2.pdf" in page
    assert len(store_of(app).keys("evidence/")) == 2
    held = draft_of(app, supplier).evidence[-1]
    fixed = {"file": held["id"], "valid-until-day": "30", "valid-until-month": "4", "valid-until-year": "2099"}
    url = supplier.evidence_url("iso-14001-certificate")
    assert supplier.post(url + "valid-until", fixed, form_page=url).status_code == 303
    attached = draft_of(app, supplier).evidence[-1]
    assert attached["name"] == "iso2.pdf" and attached["slots"] == ["iso-14001-certificate"]
    assert attached["valid_until"] == "2099-04-30" and "held_for" not in attached


def test_coming_back_without_an_upload_says_it_failed(app, supplier):
    response = supplier.client.get(supplier.evidence_url("carbon-reduction-plan") + "uploaded/" + "0" * 32)
    assert response.status_code == 400 and error_of(response) == checks.upload_failed()
    assert supplier.client.get(supplier.evidence_url("carbon-reduction-plan") + "uploaded/..%2F..").status_code == 404


def test_reusing_a_file_of_a_type_the_question_does_not_take_is_refused(app, supplier):
    assert supplier.upload("wellbeing-policy", "figures.xlsx", files.xlsx()).status_code == 303
    [entry] = draft_of(app, supplier).evidence
    # The page no longer offers it; a crafted post is still refused.
    response = supplier.post(
        supplier.evidence_url("carbon-reduction-plan") + "reuse",
        {"file": [entry["id"]]},
        form_page=supplier.evidence_url("wellbeing-policy"),
    )
    assert response.status_code == 400 and error_of(response) == "figures.xlsx cannot be used here: it must be a PDF, DOCX or ODT"


def test_evidence_for_a_question_not_asked_is_not_found(app):
    supplier = EvidenceSupplier(app.test_client(), app.extensions["portal.content"].assessment("readiness"))
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "no")
    assert supplier.client.get(supplier.evidence_url("carbon-reduction-plan")).status_code == 404
    assert supplier.client.get(supplier.evidence_url("no-such-slot")).status_code == 404


def test_the_page_says_plainly_when_nothing_scans_for_viruses(app, supplier):
    page = supplier.client.get(supplier.evidence_url("carbon-reduction-plan"))
    assert "does not check files for viruses" in page.get_data(as_text=True)
    form_action = FORM.search(page.get_data(as_text=True)).group(1)
    policy = page.headers["Content-Security-Policy"]
    if urlsplit(form_action).netloc:  # the form posts to S3's origin, which the CSP must allow, and only that
        assert f"form-action 'self' {urlsplit(form_action).scheme}://{urlsplit(form_action).netloc};" in policy
    else:
        assert "form-action 'self';" in policy


def test_scan_status_shows_as_guardduty_tags_the_object(s3_env, built, monkeypatch):
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": f"s3://{BUCKET}/scan-{id(monkeypatch)}",
            "PORTAL_MALWARE_SCANNER": "guardduty",
        }
    )
    supplier = EvidenceSupplier(app.test_client(), app.extensions["portal.content"].assessment("readiness"))
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    assert supplier.upload("carbon-reduction-plan", "plan.pdf", files.pdf()).status_code == 303
    page = supplier.client.get(supplier.evidence_url("carbon-reduction-plan")).get_data(as_text=True)
    assert "Checking for viruses" in page and "does not check files" not in page
    [entry] = draft_of(app, supplier).evidence
    s3 = boto3.client("s3", endpoint_url=s3_env, **CREDENTIALS)
    s3.put_object_tagging(
        Bucket=BUCKET,
        Key=f"scan-{id(monkeypatch)}/{entry['key']}",
        Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": "THREATS_FOUND"}]},
    )
    page = supplier.client.get(supplier.evidence_url("carbon-reduction-plan")).get_data(as_text=True)
    assert "Virus found: remove this file" in page


def test_evidence_pages_are_valid_html(app, supplier, tmp_path):
    import subprocess

    from .test_html_validity import VNU

    pages = {"empty": supplier.client.get(supplier.evidence_url("carbon-reduction-plan"))}
    pages["error"] = supplier.upload("carbon-reduction-plan", "plan.pdf", files.HTML)
    supplier.upload("carbon-reduction-plan", "plan.pdf", files.pdf())
    pages["with a file"] = supplier.client.get(supplier.evidence_url("carbon-reduction-plan"))
    pages["reuse"] = supplier.client.get(supplier.evidence_url("iso-14001-certificate"))
    pages["reuse error"] = supplier.reuse("iso-14001-certificate", [])
    pages["check answers"] = supplier.client.get(f"{supplier.task_list}carbon-reduction-plan/check-answers/")
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, response in pages.items():
        (folder / f"{name.replace(' ', '-')}.html").write_bytes(response.get_data())
    assert "Use a file you have already uploaded" in pages["reuse"].get_data(as_text=True)
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_daily_retention_deletes_only_files_no_live_draft_or_submission_needs(app, supplier):
    from datetime import datetime, timedelta

    from functions.assessment.evidence_retention import delete_abandoned_evidence
    from functions.assessment.records import Drafts

    store = store_of(app)
    assessment = supplier.assessment
    supplier.upload("carbon-reduction-plan", "Plan.pdf", files.pdf())
    supplier.upload("iso-14001-certificate", "ISO 14001.pdf", files.pdf(pages=2))
    sent_key, dropped_key = [e["key"] for e in draft_of(app, supplier).evidence]
    # A changed answer means the certificate is no longer asked for, so it is not sent.
    supplier.answer("carbon-reduction-plan", "crp_environmental_measures", ["environmental-policy"])
    record = Drafts(store).submit(assessment, draft_of(app, supplier))
    assert [e["key"] for e in record["evidence"]] == [sent_key]
    live = EvidenceSupplier(app.test_client(), assessment)
    live.start()
    live.answer("carbon-reduction-plan", "has_crp", "published")
    live.upload("carbon-reduction-plan", "Live.pdf", files.pdf())
    [live_key] = [e["key"] for e in draft_of(app, live).evidence]
    store.create("evidence/readiness/" + "f" * 64 + "/" + "0" * 32, b"%PDF- left by a draft that has gone")

    assert delete_abandoned_evidence(store, [assessment]) == 2  # the certificate not sent, and the gone draft's
    assert sorted(store.keys("evidence/")) == sorted([sent_key, live_key]) and dropped_key not in store.keys("evidence/")
    # Once the live draft has expired unsent, its file goes too; the submitted one stays.
    expires = datetime.fromisoformat(draft_of(app, live).expires_at)
    assert delete_abandoned_evidence(store, [assessment], clock=lambda: expires + timedelta(seconds=1)) == 1
    assert store.keys("evidence/") == [sent_key]


def test_reuse_offers_only_files_the_question_takes_and_only_while_it_has_room(app, supplier):
    assert supplier.upload("wellbeing-policy", "figures.xlsx", files.xlsx()).status_code == 303
    assert supplier.upload("wellbeing-policy", "badge.png", files.png()).status_code == 303
    page = supplier.client.get(supplier.evidence_url("carbon-reduction-plan")).get_data(as_text=True)
    assert "figures.xlsx" not in page and "badge.png" not in page  # the plan takes PDF, DOCX or ODT only
    page = supplier.client.get(supplier.evidence_url("disability-confident-certificate")).get_data(as_text=True)
    assert "badge.png" in page and "figures.xlsx" not in page
    for number in (1, 2):
        assert supplier.upload("disability-confident-certificate", f"cert{number}.png", files.png()).status_code == 303
    full = supplier.client.get(supplier.evidence_url("disability-confident-certificate")).get_data(as_text=True)
    assert "Use a file you have already uploaded" not in full and "badge.png" not in full


def test_removing_a_file_says_so(app, supplier):
    supplier.upload("carbon-reduction-plan", "Plan draft.pdf", files.pdf())
    [entry] = draft_of(app, supplier).evidence
    response = supplier.remove("carbon-reduction-plan", entry["id"])
    page = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "govuk-notification-banner--success" in page and "Plan draft.pdf has been removed" in page
    again = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has been removed" not in again


@pytest.mark.parametrize("size, accepted, shown", [(24_999_999, True, "24.9MB"), (25_000_000, False, None)])
def test_one_meaning_of_mb_in_the_hint_the_check_and_the_size_shown(app, supplier, size, accepted, shown):
    data = files.pdf_of_size(size)
    hint = supplier.client.get(supplier.evidence_url("carbon-reduction-plan")).get_data(as_text=True)
    assert "smaller than 25MB" in hint and 'data-max-bytes="25000000"' in hint
    response = supplier.upload("carbon-reduction-plan", "plan.pdf", data)
    if accepted:
        page = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"{shown}" in page
    else:
        assert response.status_code == 400 and error_of(response) == "The selected file must be smaller than 25MB"
