"""Shared fixtures: the content, a built site, the app, a static server for the frozen site, and Chromium."""

import logging
import shutil
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest

from build import build
from portal import create_app
from portal.config import PROJECT_ROOT
from portal.preview import serving

from .moto_s3 import MotoS3

CONTENT = PROJECT_ROOT / "content"
BUCKET = "portal-submissions"
REGION = "eu-west-2"
PATIENT_S3 = {"PORTAL_S3_CONNECT_TIMEOUT": 30, "PORTAL_S3_READ_TIMEOUT": 120}  # point_at_moto says why
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": REGION}
CHROMIUM = "/usr/bin/chromium"
# As the environment notes: without these, headless Chromium tries to reach Google's hosts and fails noisily.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of the default content, for a test to break."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The default content built once: (site directory, assets directory)."""
    root = tmp_path_factory.mktemp("build")
    build(CONTENT, root / "site", root / "assets", storage=str(root / "storage"))  # empty: no register, nothing published
    return root / "site", root / "assets"


@pytest.fixture(scope="session")
def site_dir(built) -> Path:
    return built[0]


@pytest.fixture(scope="session")
def app(built):
    return create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def static_site(site_dir):
    """The frozen site served over HTTP on loopback, as the CDN serves it; yields its base URL."""
    with serving(site_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


_MOTO: dict[str, str] = {}  # the running moto server's endpoint, once a test has asked for it


def _fresh_bucket(endpoint: str) -> None:
    admin = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
    admin.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    admin.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on loopback, with a versioned bucket as in production; yields its URL."""
    # werkzeug logs every request at INFO; a failing test would show hundreds of lines of it.
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    server = MotoS3().start()
    endpoint = server.endpoint
    _fresh_bucket(endpoint)
    _MOTO["endpoint"] = endpoint
    yield endpoint
    _MOTO.clear()
    server.stop()
    werkzeug_log.setLevel(level)


@pytest.fixture(scope="module", autouse=True)
def _moto_forgets_each_module():
    """moto keeps every object version in this process's memory; without forgetting them, a worker grew past 10 GB
    over the suite (the evidence tests alone store 25 MB files) and the machine ran out. Each module starts empty."""
    yield
    if endpoint := _MOTO.get("endpoint"):
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=60)
        _fresh_bucket(endpoint)


@pytest.fixture
def s3_env(s3_endpoint, monkeypatch):
    """The AWS_* environment a deployed function would have, pointing at moto, for this test only."""
    point_at_moto(monkeypatch, s3_endpoint)
    return s3_endpoint


def point_at_moto(environment: pytest.MonkeyPatch, endpoint: str) -> None:
    """Set the AWS_* variables as a deployed function has them, but pointing at moto's server at `endpoint`."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        environment.delenv(name, raising=False)
    environment.setenv("AWS_ACCESS_KEY_ID", "testing")
    environment.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    environment.setenv("AWS_DEFAULT_REGION", REGION)
    environment.setenv("AWS_ENDPOINT_URL", endpoint)
    # moto answers from inside the test process, sharing two cores with it, so on a busy machine an answer can take
    # longer than the few seconds a deployed function waits for S3. Tests wait as long as it takes; the fault tests
    # set their own short waits, and test_storage checks the deployed defaults.
    for name, seconds in PATIENT_S3.items():
        environment.setenv(name, str(seconds))


@pytest.fixture(params=["file", "s3"])
def storage_url(request, tmp_path):
    """A PORTAL_STORAGE setting for each backend: a folder, or a fresh prefix in moto's S3 bucket."""
    if request.param == "file":
        return str(tmp_path / "storage")
    request.getfixturevalue("s3_env")
    return f"s3://{BUCKET}/tests/{uuid.uuid4().hex}"


# Fixtures many test modules share; a module that needs another kind defines its own, which wins.


@pytest.fixture
def store(storage_url):
    """The same storage the app writes to, opened as a council officer's tools would."""
    from functions.storage import open_store

    return open_store(storage_url)


@pytest.fixture
def clock():
    """PORTAL_CLOCK for a test: moves on only when the test says (tests/officer.py's Clock)."""
    from tests.officer import Clock

    return Clock()


@pytest.fixture
def assessment(journey_app):
    """The readiness self-assessment of the module's `journey_app`."""
    return journey_app.extensions["portal.content"].assessment("readiness")


@pytest.fixture
def supplier(journey_app, assessment):
    """A supplier who has started the self-assessment in the module's `journey_app`."""
    from tests.supplier import Supplier

    supplier = Supplier(journey_app.test_client(), assessment)
    supplier.start()
    return supplier
