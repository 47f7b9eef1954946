"""The supplier's pages through the function's HTTP interface, on the file store: what a supplier sees and keeps."""

import re

import pytest

from functions.storage import open_store
from portal import create_app

from .conftest import CONTENT

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


@pytest.fixture
def storage(tmp_path):
    return str(tmp_path / "storage")


@pytest.fixture
def journey_app(built, storage, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_BASE_URL": "http://localhost",
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
        }
    )


def test_a_script_tag_is_not_taken_as_an_email_address(supplier, storage, tmp_path):
    response = supplier.answer("organisation", "contact_email", "<script>@x.com")
    assert response.status_code == 400 and EMAIL_MESSAGE in response.get_data(as_text=True)
    response = supplier.post(f"{supplier.task_list}email-link", {"email": "<script>@x.com"}, form_page=supplier.task_list)
    assert response.status_code == 400 and EMAIL_MESSAGE in response.get_data(as_text=True)
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())
    draft = open_store(storage).keys("drafts/")
    assert all("contact_email" not in open_store(storage).read_json(key)["answers"] for key in draft)


def test_a_bucket_that_does_not_exist_gives_the_try_again_page_keeps_the_answer_and_names_the_setting(built, s3_env, caplog):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": "s3://no-such-bucket-here/portal",
            "PORTAL_BASE_URL": "http://localhost",
        }
    )
    client = app.test_client()
    started = client.post("/assessments/readiness/start")
    assert started.status_code == 503 and "try again" in started.get_data(as_text=True).lower()
    answered = client.post(
        "/assessments/readiness/" + "a" * 32 + "/organisation/organisation_name/", data={"organisation_name": "Acme Cleaning Ltd"}
    )
    page = answered.get_data(as_text=True)
    assert answered.status_code == 503 and 'value="Acme Cleaning Ltd"' in page
    misconfigured = [r.getMessage() for r in caplog.records if "misconfigured" in r.getMessage()]
    assert misconfigured and all("PORTAL_STORAGE" in line and "AWS" in line for line in misconfigured)


@pytest.mark.parametrize("code", ["AccessDenied", "InvalidAccessKeyId", "NoSuchBucket"])
def test_every_refusal_of_the_setup_is_a_misconfiguration_not_a_crash(code):
    from botocore.exceptions import ClientError

    from functions.storage import StorageMisconfigured, StorageUnavailable
    from functions.storage.s3_failures import _s3_failure

    failure = _s3_failure(
        ClientError({"Error": {"Code": code, "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetObject"),
        "drafts/x",
    )
    assert isinstance(failure, StorageMisconfigured) and isinstance(failure, StorageUnavailable)


def test_the_task_list_has_its_own_title_its_heading_first_and_the_email_form_folded_away(supplier, assessment):
    page = supplier.client.get(supplier.task_list).get_data(as_text=True)
    title = re.search(r"<title>\s*(.*?)\s*</title>", page, re.S).group(1)
    assert title.startswith(f"Your answers: {assessment.title}")
    main = page[page.index("<main") :]
    assert main.index("<h1") < main.index("Keep this link") < main.index('id="email"') < main.index("govuk-task-list")
    assert re.search(r'<details class="govuk-details[^"]*"\s*>', main)  # closed until asked for
    refused = supplier.post(f"{supplier.task_list}email-link", {"email": "nobody"}, form_page=supplier.task_list)
    assert re.search(r'<details class="govuk-details[^"]*"\s*open', refused.get_data(as_text=True))


@pytest.mark.parametrize(
    "question_id, token",
    [("organisation_name", "organization"), ("contact_name", "name"), ("website", "url"), ("contact_role", "organization-title")],
)
def test_questions_about_the_supplier_let_the_browser_fill_them_in(supplier, question_id, token):
    page = supplier.client.get(supplier.question_url("organisation", question_id)).get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="{question_id}"[^>]*autocomplete="{token}"', page)


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_confirmation_offers_a_pdf_of_the_whole_submission(journey_app, assessment, storage):
    from . import evidence_files as files
    from .test_evidence import ASKS_FOR_EVERYTHING, EvidenceSupplier

    supplier = EvidenceSupplier(journey_app.test_client(), assessment)
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    plan = files.pdf()
    assert supplier.upload("carbon-reduction-plan", "Our plan.pdf", plan).status_code == 303
    supplier.complete_all(ASKS_FOR_EVERYTHING)
    supplier.submit()
    confirmation = supplier.client.get(f"{supplier.task_list}confirmation/").get_data(as_text=True)
    assert "download your self-assessment as a PDF" in confirmation
    import hashlib

    sha256 = hashlib.sha256(plan).hexdigest()
    assert sha256 in confirmation  # the README says the confirmation lists each file's size and SHA-256

    response = supplier.client.get(f"{supplier.task_list}your-self-assessment.pdf")
    record = open_store(storage).read_json(open_store(storage).keys("submissions/")[-1])
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="self-assessment-{record["reference"]}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    for words in (
        record["reference"],
        "How ready you are",
        "What happens next",
        "Your answers",
        "Example answer",
        "Our plan.pdf",
        sha256[:20],
        "We checked your plan against",
        *(s.title for s in assessment.sections),
    ):
        assert words in text.replace(" ", "") or words.replace(" ", "") in text.replace(" ", ""), words
    for theme in assessment.scored_sections:
        level = next(l for l in assessment.levels if l.id == record["readiness"][theme.id]["level"])
        assert f"{theme.title}: {level.label}".replace(" ", "") in text.replace(" ", "")


def test_an_unsent_draft_has_no_submission_pdf(supplier):
    response = supplier.client.get(f"{supplier.task_list}your-self-assessment.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith(supplier.task_list)


def test_a_file_store_that_is_not_a_folder_is_a_misconfiguration_with_the_try_again_page(built, tmp_path, caplog):
    not_a_folder = tmp_path / "storage"
    not_a_folder.write_text("oops")
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(not_a_folder),
            "PORTAL_BASE_URL": "http://localhost",
        }
    )
    response = app.test_client().post("/assessments/readiness/start")
    assert response.status_code == 503 and "try again" in response.get_data(as_text=True).lower()
    assert any("misconfigured" in r.getMessage() and "PORTAL_STORAGE" in r.getMessage() for r in caplog.records)
