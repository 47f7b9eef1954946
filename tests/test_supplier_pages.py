"""The supplier's pages through the function's HTTP interface, on the file store: what a supplier sees and keeps."""
import pytest

from functions.storage import open_store
from portal import create_app

from .conftest import CONTENT
from .supplier import Supplier

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


@pytest.fixture
def storage(tmp_path):
    return str(tmp_path / "storage")


@pytest.fixture
def journey_app(built, storage, tmp_path):
    return create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1], "PORTAL_STORAGE": storage,
                       "PORTAL_BASE_URL": "http://localhost", "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}"})


@pytest.fixture
def assessment(journey_app):
    return journey_app.extensions["portal.content"].assessment("readiness")


@pytest.fixture
def supplier(journey_app, assessment):
    supplier = Supplier(journey_app.test_client(), assessment)
    supplier.start()
    return supplier


def test_a_script_tag_is_not_taken_as_an_email_address(supplier, storage, tmp_path):
    response = supplier.answer("organisation", "contact_email", "<script>@x.com")
    assert response.status_code == 400 and EMAIL_MESSAGE in response.get_data(as_text=True)
    response = supplier.post(f"{supplier.task_list}email-link", {"email": "<script>@x.com"}, form_page=supplier.task_list)
    assert response.status_code == 400 and EMAIL_MESSAGE in response.get_data(as_text=True)
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())
    draft = open_store(storage).keys("drafts/")
    assert all("contact_email" not in open_store(storage).read_json(key)["answers"] for key in draft)
