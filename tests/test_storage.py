"""The storage contract: tests on the `store` fixture run against the file store and S3 (moto's server)."""

import errno
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import boto3
import pytest
from botocore.config import Config

from functions.storage import (
    S3_SETTINGS,
    UPLOAD_PART_BYTES,
    AlreadyExists,
    FileStore,
    NotFound,
    S3Store,
    StorageError,
    StorageMisconfigured,
    StorageUnavailable,
    UploadForm,
    open_store,
)
from portal.config import PROJECT_ROOT

from .conftest import BUCKET, CREDENTIALS
from .uploads import post_upload


@pytest.fixture
def s3_store(s3_env):
    # A fresh prefix keeps each test's keys apart in the shared bucket; the client comes from the environment.
    return S3Store(BUCKET, prefix=f"tests/{uuid.uuid4().hex}")


@pytest.fixture
def file_store(tmp_path):
    return FileStore(tmp_path / "storage")


@pytest.fixture(params=["file", "s3"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def raw_s3(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)


# The contract both stores keep.


def test_created_record_reads_back_byte_for_byte(store):
    data = bytes(range(256)) * 3
    store.create("assessments/a1/record.bin", data, content_type="application/octet-stream")
    assert store.read("assessments/a1/record.bin") == data


def test_empty_record_reads_back_empty(store):
    store.create("empty", b"")
    assert store.read("empty") == b""


def test_second_create_at_same_key_is_refused_and_first_is_kept(store):
    store.create("assessments/a1/v1.json", b"first", metadata={"version": "1"})
    with pytest.raises(AlreadyExists):
        store.create("assessments/a1/v1.json", b"second", metadata={"version": "2"})
    assert store.read("assessments/a1/v1.json") == b"first"
    assert store.read_metadata("assessments/a1/v1.json") == {"version": "1"}


def test_keys_lists_only_under_prefix_sorted(store):
    for key in ["b/2", "a/2", "a/10", "a/1", "ab/1", "c"]:
        store.create(key, b"x")
    assert store.keys("a/") == ["a/1", "a/10", "a/2"]
    assert store.keys("a") == ["a/1", "a/10", "a/2", "ab/1"]  # a prefix is a string, as in S3
    assert store.keys("a/1") == ["a/1", "a/10"]
    assert store.keys("") == ["a/1", "a/10", "a/2", "ab/1", "b/2", "c"]
    assert store.keys("d/") == []


def test_folders_names_each_folder_under_a_prefix_once(store):
    for key in [
        "events/b/registrations/1/000001.json",
        "events/a/places/0001/0001.json",
        "events/a/waiting/x.json",
        "events/loose.json",
        "eventsx/c/1.json",
        "other/d/1.json",
    ]:
        store.create(key, b"x")
    assert store.folders("events/") == ["a", "b"]
    assert store.folders("events/a/") == ["places", "waiting"]
    assert store.folders("missing/") == []


def test_folders_leaves_out_a_folder_whose_keys_were_all_deleted(store):
    store.create("events/a/registrations/1/000001.json", b"x")
    store.create("events/b/registrations/1/000001.json", b"x")
    store.delete("events/a/registrations/1/000001.json")
    assert store.folders("events/") == ["b"]


def test_folders_needs_a_prefix_ending_in_a_slash(store):
    with pytest.raises(ValueError):
        store.folders("events")


def test_keys_of_an_empty_store_is_empty(store):
    assert store.keys("") == []


def test_missing_key_is_not_found(store):
    store.create("a/present", b"x")
    for key in ["missing", "a/missing", "a/present/below", "a"]:
        with pytest.raises(NotFound):
            store.read(key)
        with pytest.raises(NotFound):
            store.read_metadata(key)
        with pytest.raises(NotFound):
            store.read_json(key)


def test_delete_really_deletes(store):
    store.create("a/record", b"personal data", metadata={"owner": "supplier"})
    store.create("a/record-kept", b"other")
    store.delete("a/record")
    with pytest.raises(NotFound):
        store.read("a/record")
    with pytest.raises(NotFound):
        store.read_metadata("a/record")
    assert store.keys("") == ["a/record-kept"]
    if isinstance(store, S3Store):  # the bucket is versioned: no old version or delete marker may remain
        listing = raw_s3(os.environ["AWS_ENDPOINT_URL"]).list_object_versions(Bucket=BUCKET, Prefix=store.prefix)
        left = [item["Key"] for item in listing.get("Versions", []) + listing.get("DeleteMarkers", [])]
        assert left == [store.prefix + "a/record-kept"]


def test_deleting_a_missing_key_is_not_an_error(store):
    store.delete("never/created")
    store.create("file", b"x")
    store.delete("file/below")


def test_deleted_key_can_be_created_again(store):
    store.create("a/record", b"old", metadata={"version": "1"})
    store.delete("a/record")
    store.create("a/record", b"new")
    assert store.read("a/record") == b"new"
    assert store.read_metadata("a/record") == {}


def test_metadata_round_trips(store):
    metadata = {"content-sha256": "ab" * 32, "submitted-by": "supplier-42", "filename": "Carbon plan (v2).pdf"}
    store.create("with", b"x", metadata=metadata)
    store.create("without", b"x")
    assert store.read_metadata("with") == metadata
    assert store.read_metadata("without") == {}


@pytest.mark.parametrize(
    "metadata",
    [
        {"Upper": "x"},
        {"under_score": "x"},
        {"": "x"},
        {"name": "café"},
        {"name": " padded"},
        {"name": "line\nbreak"},
        {"big": "x" * 2048},
    ],
)
def test_metadata_s3_would_change_is_refused(store, metadata):
    with pytest.raises(ValueError):
        store.create("key", b"x", metadata=metadata)
    assert store.keys("") == []


def test_json_round_trips_unicode(store):
    value = {"organisation": "Café Ōmori Ltd 🌱", "answers": [1, 2.5, None, True], "b": {"z": 1, "a": 2}}
    store.create_json("assessments/a1.json", value)
    assert store.read_json("assessments/a1.json") == value
    # Stored as UTF-8 with sorted keys, so equal values give equal bytes.
    assert store.read("assessments/a1.json") == (
        '{"answers": [1, 2.5, null, true], "b": {"a": 2, "z": 1}, "organisation": "Café Ōmori Ltd 🌱"}'.encode()
    )


def test_concurrent_creates_of_one_key_only_one_wins(store):
    start = threading.Barrier(10)

    def attempt(writer):
        start.wait()
        try:
            store.create("race", f"writer {writer}".encode(), metadata={"writer": str(writer)})
            return writer
        except AlreadyExists:
            return None

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(attempt, range(10)))
    winners = [writer for writer in results if writer is not None]
    assert len(winners) == 1
    assert store.read("race") == f"writer {winners[0]}".encode()
    assert store.read_metadata("race") == {"writer": str(winners[0])}
    assert store.keys("") == ["race"]


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside",
        "a/../../outside",
        "a/..",
        "a\\b",
        "a\0b",
        "a//b",
        "a/./b",
        "a/",
        ".hidden",
        "a/.tmp-x",
        "line\nbreak",
        "x" * 201,
    ],
)
def test_keys_that_escape_the_root_are_refused(store, key):
    with pytest.raises(ValueError):
        store.create(key, b"x")
    with pytest.raises(ValueError):
        store.read(key)
    with pytest.raises(ValueError):
        store.delete(key)
    assert store.keys("") == []


def test_prefixes_that_escape_the_root_are_refused(store):
    for prefix in ["/", "../", "a/../../", "a\\"]:
        with pytest.raises(ValueError):
            store.keys(prefix)


# The file store.


def test_keys_through_a_symlink_out_of_the_root_are_refused(tmp_path):
    store = FileStore(tmp_path / "storage")
    (tmp_path / "storage").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "storage" / "link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere" / "secret").write_bytes(b"x")
    with pytest.raises(ValueError):
        store.create("link/record", b"x")
    with pytest.raises(ValueError):
        store.read("link/secret")
    with pytest.raises(ValueError):
        store.keys("link/")
    assert store.keys("") == []
    assert [path.name for path in (tmp_path / "elsewhere").iterdir()] == ["secret"]


def test_read_only_disk_is_unavailable(tmp_path):
    # Tests run as root, which chmod cannot stop; a root that is a file fails honestly, with ENOTDIR.
    (tmp_path / "storage").write_bytes(b"not a folder")
    store = FileStore(tmp_path / "storage")
    with pytest.raises(StorageUnavailable):
        store.create("a/record", b"x")
    with pytest.raises(StorageUnavailable):
        store.create("record", b"x")
    with pytest.raises(StorageUnavailable):
        store.read("record")
    with pytest.raises(StorageUnavailable):
        store.keys("")
    with pytest.raises(StorageUnavailable):
        store.delete("record")


def test_crash_mid_write_leaves_nothing_visible(file_store, monkeypatch):
    def failing_link(source, target):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "link", failing_link)
    with pytest.raises(StorageUnavailable):
        file_store.create("a/record", b"half written", metadata={"version": "1"})
    monkeypatch.undo()
    with pytest.raises(NotFound):
        file_store.read("a/record")
    with pytest.raises(NotFound):
        file_store.read_metadata("a/record")
    assert file_store.keys("") == []
    assert list((file_store.root / "a").iterdir()) == []  # no temporary file or sidecar left behind
    file_store.create("a/record", b"whole")
    assert file_store.read("a/record") == b"whole"


def test_temporary_and_sidecar_files_never_show_in_keys(file_store):
    file_store.create("a/record", b"x", metadata={"version": "1"})
    (file_store.root / "a" / ".tmp-left-by-a-crash").write_bytes(b"partial")
    assert file_store.keys("") == ["a/record"]
    assert file_store.keys("a/") == ["a/record"]


def test_key_inside_another_key_is_refused_on_disk(file_store):
    file_store.create("a", b"x")
    with pytest.raises(StorageError) as refused:
        file_store.create("a/b", b"y")
    assert not isinstance(refused.value, (AlreadyExists, StorageUnavailable))
    assert file_store.read("a") == b"x"


# The S3 store.


def test_folders_pages_past_a_thousand(s3_store):
    names = [f"e{number:04d}" for number in range(1005)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda name: s3_store.create(f"events/{name}/x.json", b"x"), names))
    assert s3_store.folders("events/") == names


def test_keys_pages_past_a_thousand(s3_store):
    keys = [f"many/{number:04d}" for number in range(1005)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda key: s3_store.create(key, b"x"), keys))
    s3_store.create("other", b"x")
    assert s3_store.keys("many/") == keys


def test_store_prefix_is_joined_with_one_slash(s3_env):
    store = S3Store(BUCKET, prefix=f"/{uuid.uuid4().hex}/nested/")
    store.create("record", b"x")
    assert raw_s3(s3_env).get_object(Bucket=BUCKET, Key=store.prefix + "record")["Body"].read() == b"x"
    assert store.prefix.count("//") == 0 and not store.prefix.startswith("/")
    assert store.keys("") == ["record"]


def test_store_without_prefix_uses_the_whole_bucket(s3_env):
    key = f"{uuid.uuid4().hex}/record"
    S3Store(BUCKET).create(key, b"x")
    assert raw_s3(s3_env).get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"x"


def test_default_client_gives_up_before_the_lambda_timeout(s3_env, monkeypatch):
    for name in S3_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    config = S3Store(BUCKET).client.meta.config
    worst_case = (config.connect_timeout + config.read_timeout) * config.retries["total_max_attempts"]
    lambda_timeout = int(re.search(r"(?m)^    Timeout: (\d+)", (PROJECT_ROOT / "infra" / "template.yaml").read_text())[1])
    assert config.retries["mode"] == "standard"
    assert worst_case < lambda_timeout - 1  # so a slow store gets the 503 page, not Lambda's own timeout


def test_client_waits_as_configured(s3_env, monkeypatch):
    settings = {"PORTAL_S3_CONNECT_TIMEOUT": 0.5, "PORTAL_S3_READ_TIMEOUT": 1.5, "PORTAL_S3_MAX_ATTEMPTS": 4}
    config = S3Store(BUCKET, settings=settings).client.meta.config
    assert (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"]) == (0.5, 1.5, 4)
    monkeypatch.setenv("PORTAL_S3_READ_TIMEOUT", "7")  # without the app's config, from the environment
    assert S3Store(BUCKET).client.meta.config.read_timeout == 7.0


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def impatient_client(endpoint):
    config = Config(connect_timeout=1, read_timeout=0.5, retries={"total_max_attempts": 1, "mode": "standard"})
    return boto3.client("s3", endpoint_url=endpoint, config=config, **CREDENTIALS)


def test_unreachable_endpoint_is_unavailable():
    store = S3Store(BUCKET, client=impatient_client(f"http://127.0.0.1:{closed_port()}"))
    started = time.monotonic()
    for attempt in (lambda: store.create("key", b"x"), lambda: store.read("key"), lambda: store.keys("")):
        with pytest.raises(StorageUnavailable):
            attempt()
    assert time.monotonic() - started < 5


def s3_error(status, code):
    return status, f"<Error><Code>{code}</Code><Message>Test</Message></Error>".encode()


@contextmanager
def scripted_s3(*answers, delay=0.0):
    """A stand-in S3 endpoint that gives these (status, body) answers in turn, repeating the last; yields its URL."""
    answers = list(answers)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # so that botocore's "Expect: 100-continue" is answered, not waited out

        def answer(self):
            time.sleep(delay)
            status, body = answers.pop(0) if len(answers) > 1 else answers[0]
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with suppress(ConnectionError):  # a client that timed out has gone
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

        do_GET = do_PUT = do_HEAD = do_DELETE = answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "operation, status, code, delay, expected",
    [
        ("read", 503, "SlowDown", 0, StorageUnavailable),
        ("read", 500, "InternalError", 0, StorageUnavailable),
        ("read", 400, "RequestTimeout", 0, StorageUnavailable),
        ("read", 200, "", 1, StorageUnavailable),  # the answer comes after the read timeout
        ("read", 403, "AccessDenied", 0, StorageMisconfigured),  # a setting to fix: the try-again page, and a log line
        ("read", 404, "NoSuchBucket", 0, StorageMisconfigured),
        ("read", 400, "SomethingElse", 0, StorageError),
        ("create", 409, "ConditionalRequestConflict", 0, AlreadyExists),
        ("create", 503, "SlowDown", 0, StorageUnavailable),
    ],
)
def test_s3_failures_map_to_storage_errors(operation, status, code, delay, expected):
    with scripted_s3(s3_error(status, code), delay=delay) as endpoint:
        store = S3Store(BUCKET, client=impatient_client(endpoint))
        with pytest.raises(expected) as raised:
            if operation == "create":
                store.create("key", b"x")
            else:
                store.read("key")
    assert type(raised.value) is expected


def store_whose_first_put_lands_but_fails(stored):
    """A store whose first PUT is stored yet answered with a 500, so the retry meets `stored` already there."""
    config = Config(connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 2, "mode": "standard"})
    answers = scripted_s3(s3_error(500, "InternalError"), s3_error(412, "PreconditionFailed"), (200, stored))
    return answers, lambda endpoint: S3Store(
        BUCKET, client=boto3.client("s3", endpoint_url=endpoint, config=config, **CREDENTIALS)
    )


def test_retried_create_refused_by_its_own_first_attempt_succeeds():
    answers, store_at = store_whose_first_put_lands_but_fails(b"ours")
    with answers as endpoint:
        store_at(endpoint).create("key", b"ours")


def test_retried_create_refused_by_another_writer_is_already_exists():
    answers, store_at = store_whose_first_put_lands_but_fails(b"theirs")
    with answers as endpoint, pytest.raises(AlreadyExists):
        store_at(endpoint).create("key", b"ours")


# Choosing a store.


def test_open_store_picks_the_backend(tmp_path):
    s3 = open_store("s3://portal-submissions/council/submissions/")
    assert isinstance(s3, S3Store)
    assert (s3.bucket, s3.prefix) == ("portal-submissions", "council/submissions/")
    bare = open_store("s3://portal-submissions")
    assert (bare.bucket, bare.prefix) == ("portal-submissions", "")
    on_disk = open_store(str(tmp_path / "var" / "storage"))
    assert isinstance(on_disk, FileStore) and on_disk.root == tmp_path / "var" / "storage"
    assert isinstance(open_store("var/storage"), FileStore)
    with pytest.raises(ValueError):
        open_store("s3://")


def test_importing_storage_does_not_import_boto3():
    check = "import sys, functions.storage; sys.exit('boto3' in sys.modules or 'botocore' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], cwd=PROJECT_ROOT).returncode == 0


# Download links: short-lived, as an attachment, by S3's presigned GET or the file store's signed local route.


def fetch(store, url, built):
    """(status, headers, body) of following a download link as a browser would: S3's over HTTP, the file store's
    through the app serving that store."""
    import urllib.error
    import urllib.request

    if url.startswith("http"):
        from urllib.parse import parse_qs, urlsplit

        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as refused:
            return refused.code, {}, refused.read()
        headers = {name.title(): value for name, value in headers.items()}
        # S3 answers a presigned link's signed response-* parameters with those headers; moto's server ignores
        # them, so they are applied here as S3 would apply them.
        for name, [value] in parse_qs(urlsplit(url).query).items():
            if name.startswith("response-"):
                headers[name.removeprefix("response-").title()] = value
        return status, headers, body
    from portal import create_app

    app = create_app({"TESTING": True, "PORTAL_STORAGE": str(store.root), "PORTAL_ASSETS": built[1]})
    response = app.test_client().get(url)
    return response.status_code, dict(response.headers), response.get_data()


def test_download_link_serves_the_file_as_an_attachment(store, built):
    data = b"%PDF-1.7\n<script>alert(1)</script>"
    store.create("evidence/a1/policy.pdf", data, content_type="application/pdf")
    url = store.download_url("evidence/a1/policy.pdf", "Wellbeing “policy” 2026.pdf", 60, "application/pdf")
    status, headers, body = fetch(store, url, built)
    assert status == 200 and body == data
    assert headers["Content-Type"] == "application/pdf"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Wellbeing%20%E2%80%9Cpolicy%E2%80%9D%202026.pdf" in disposition


@pytest.mark.parametrize(
    "name, shown",
    [("../../etc/passwd", "passwd"), ('a"b;c\r\nd.pdf', "a_b_cd.pdf"), ("", "download"), ("C:\\Users\\me\\plan.pdf", "plan.pdf")],
)
def test_download_names_cannot_break_the_header_or_name_a_path(store, built, name, shown):
    store.create("evidence/a1/file", b"x", content_type="application/octet-stream")
    _, headers, _ = fetch(store, store.download_url("evidence/a1/file", name, 60), built)
    assert f'filename="{shown}"' in headers["Content-Disposition"]


def test_download_link_to_a_missing_key_is_refused(store):
    with pytest.raises(NotFound):
        store.download_url("evidence/none", "none.pdf", 60)


def test_file_store_download_link_expires(file_store, built):
    file_store.create("evidence/a1/policy.pdf", b"policy", content_type="application/pdf")
    url = file_store.download_url("evidence/a1/policy.pdf", "policy.pdf", 1)
    time.sleep(2.1)
    status, _, body = fetch(file_store, url, built)
    assert status == 404 and body != b"policy"


def test_s3_download_link_is_signed_to_expire(s3_store):
    from urllib.parse import parse_qs, urlsplit

    # S3 refuses a presigned link after X-Amz-Expires seconds (moto's server does not check, so this checks the link).
    s3_store.create("evidence/a1/policy.pdf", b"policy", content_type="application/pdf")
    query = parse_qs(urlsplit(s3_store.download_url("evidence/a1/policy.pdf", "policy.pdf", 300)).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert query["response-cache-control"] == ["no-store"]


def test_forged_file_store_link_is_not_found(file_store, built):
    file_store.create("evidence/a1/policy.pdf", b"policy")
    url = file_store.download_url("evidence/a1/policy.pdf", "policy.pdf", 60)
    other = file_store.download_url("evidence/a1/policy.pdf", "other.pdf", 60)
    # The signature of one link with the claims of another, and a link with its signature's first character changed
    # (not its last: in base64 the last character's low bits are padding, so some changes there decode the same).
    claims, signature = url.rsplit(".", 1)
    forged = claims + "." + other.rsplit(".", 1)[1]
    for bad in (forged, claims + "." + ("A" if signature[0] != "A" else "B") + signature[1:]):
        assert fetch(file_store, bad, built)[0] == 404


def test_file_store_download_sends_nosniff(file_store, built):
    file_store.create("evidence/a1/page.html", b"<script>alert(1)</script>", content_type="text/html")
    _, headers, _ = fetch(file_store, file_store.download_url("evidence/a1/page.html", "page.html", 60, "text/html"), built)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("attachment;")


# Evidence uploads: signed posts straight to storage, and what the function may ask about an object.


def test_size_and_ranged_reads(store):
    data = bytes(range(256)) * 40
    store.create("evidence/a/file", data, content_type="application/octet-stream")
    assert store.size("evidence/a/file") == len(data)
    assert store.read_head("evidence/a/file", 8) == data[:8]
    assert store.read_range("evidence/a/file", 10_000, 500) == data[10_000:]
    assert store.read_range("evidence/a/file", len(data) + 5, 10) == b""
    store.create("evidence/a/empty", b"")
    assert store.size("evidence/a/empty") == 0
    assert store.read_head("evidence/a/empty", 8) == b""
    for ask in (
        lambda: store.size("evidence/a/missing"),
        lambda: store.read_head("evidence/a/missing", 8),
        lambda: store.tags("evidence/a/missing"),
        lambda: store.size("evidence/a"),
    ):
        with pytest.raises(NotFound):
            ask()


def test_new_objects_have_no_tags_and_s3_tags_read_back(store):
    store.create("evidence/a/file", b"x")
    assert store.tags("evidence/a/file") == {}
    if isinstance(store, S3Store):  # as GuardDuty tags a scanned object
        raw_s3(os.environ["AWS_ENDPOINT_URL"]).put_object_tagging(
            Bucket=BUCKET,
            Key=store.prefix + "evidence/a/file",
            Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": "NO_THREATS_FOUND"}]},
        )
        assert store.tags("evidence/a/file") == {"GuardDutyMalwareScanStatus": "NO_THREATS_FOUND"}


def test_signed_upload_lands_under_its_prefix_and_is_claimed_to_the_servers_key(store):
    form = store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=1000, metadata_fields=("note",))
    data = b"%PDF-1.7 evidence"
    location = post_upload(store, form, "Our policy (2026).pdf", data, {"x-amz-meta-note": "kept"})
    assert location.startswith("http://portal.test/back")
    assert len(store.keys("uploads/a/1/")) == 1
    upload = store.claim_upload("uploads/a/1/", "evidence/a/f1")
    assert upload.filename == "Our policy (2026).pdf"
    assert upload.fields == {"note": "kept"}
    assert upload.size == len(data)
    assert store.read("evidence/a/f1") == data
    assert store.keys("uploads/") == []  # nothing left where the browser posted
    with pytest.raises(NotFound):
        store.claim_upload("uploads/a/1/", "evidence/a/f2")


def test_one_upload_claimed_fifty_times_at_once_is_kept_and_the_rest_are_told_nothing_came(store):
    """The same redirect after an upload followed fifty times at once: the file store's losers said storage was down."""
    from concurrent.futures import ThreadPoolExecutor

    form = store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=1000)
    post_upload(store, form, "policy.pdf", b"%PDF-1.7 policy")

    def claim(n):
        try:
            return store.claim_upload("uploads/a/1/", f"evidence/a/f{n}").size
        except NotFound:
            return "not found"

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(claim, range(50)))
    assert set(answers) <= {15, "not found"} and 15 in answers
    kept = store.keys("evidence/a/")
    assert len(kept) == answers.count(15) and all(store.read(key) == b"%PDF-1.7 policy" for key in kept)
    assert store.keys("uploads/") == []


def test_claimed_upload_never_overwrites(store):
    store.create("evidence/a/f1", b"first")
    form = store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=1000)
    post_upload(store, form, "second.pdf", b"second")
    with pytest.raises(AlreadyExists):
        store.claim_upload("uploads/a/1/", "evidence/a/f1")
    assert store.read("evidence/a/f1") == b"first"


def test_a_file_posted_again_while_it_is_claimed_is_not_kept_under_the_first_ones_size(s3_store):
    form = s3_store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=1000)
    post_upload(s3_store, form, "policy.pdf", b"first, short")

    def post_again(**_):  # the supplier's second post lands between the claim's HEAD and its copy
        s3_store.client.meta.events.unregister("before-call.s3.CopyObject", post_again)
        post_upload(s3_store, form, "policy.pdf", b"second, and rather longer than the first")

    s3_store.client.meta.events.register("before-call.s3.CopyObject", post_again)
    with pytest.raises(NotFound):
        s3_store.claim_upload("uploads/a/1/", "evidence/a/f1")
    assert s3_store.keys("evidence/") == []  # nothing kept with a size and fields that are not its own
    upload = s3_store.claim_upload("uploads/a/1/", "evidence/a/f2")  # trying again takes the second, whole
    assert upload.size == len(s3_store.read("evidence/a/f2")) == len(b"second, and rather longer than the first")


def test_upload_keeps_only_the_name_after_the_last_slash(store):
    form = store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=1000)
    post_upload(store, form, "../../etc/passwd", b"x")
    assert store.claim_upload("uploads/a/1/", "evidence/a/f1").filename == "passwd"


def test_file_store_refuses_posts_the_policy_does_not_allow(file_store):
    form = file_store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=10)
    assert post_upload(file_store, form, "big.pdf", b"x" * 11) is None
    assert post_upload(file_store, form, "a.pdf", b"x", {"key": "drafts/a/${filename}"}) is None
    assert post_upload(file_store, form, "a.pdf", b"x", {"success_action_redirect": "http://evil.test/"}) is None
    forged = dict(form.fields, policy=form.fields["policy"][:-4] + "AAAA")
    assert post_upload(file_store, UploadForm(form.url, forged), "a.pdf", b"x") is None
    expired = file_store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=10, expires_in=-1)
    assert post_upload(file_store, expired, "a.pdf", b"x") is None
    assert file_store.keys("") == []


def test_s3_upload_policy_pins_prefix_redirect_and_size(s3_store):
    import json as json_module
    import base64 as base64_module

    form = s3_store.upload_form("uploads/a/1/", "http://portal.test/back", max_bytes=26_214_400)
    policy = json_module.loads(base64_module.b64decode(form.fields["policy"]))
    assert ["starts-with", "$key", s3_store.prefix + "uploads/a/1/"] in policy["conditions"]
    assert {"success_action_redirect": "http://portal.test/back"} in policy["conditions"]
    assert ["content-length-range", 0, 26_214_400] in policy["conditions"]
    assert policy["expiration"]


# Streaming reads and writes, for evidence packs larger than memory.


def pieces(data: bytes, size: int):
    return (data[start : start + size] for start in range(0, len(data), size))


@pytest.mark.parametrize("size", [0, 1000, UPLOAD_PART_BYTES * 2 + 12345])  # nothing, one write, three parts
def test_streamed_create_reads_back_byte_for_byte(store, size):
    data = os.urandom(size)
    stored = store.create_stream("packs/p.zip", pieces(data, 65537), "application/zip", {"reference": "SV-1"})
    assert stored == size
    assert store.read("packs/p.zip") == data
    assert store.read_metadata("packs/p.zip") == {"reference": "SV-1"}
    with store.open("packs/p.zip") as stream:
        assert stream.read(1000) == data[:1000]
        assert stream.read() == data[1000:]


@pytest.mark.parametrize("size", [10, UPLOAD_PART_BYTES + 1])
def test_streamed_create_never_overwrites(store, size):
    store.create("packs/p.zip", b"first")
    with pytest.raises(AlreadyExists):
        store.create_stream("packs/p.zip", pieces(os.urandom(size), 4096))
    assert store.read("packs/p.zip") == b"first"


def test_key_taken_while_streaming_is_refused_at_the_end(store):
    def chunks():
        yield os.urandom(UPLOAD_PART_BYTES)
        store.create("packs/p.zip", b"the other writer")
        yield os.urandom(UPLOAD_PART_BYTES)

    with pytest.raises(AlreadyExists):
        store.create_stream("packs/p.zip", chunks())
    assert store.read("packs/p.zip") == b"the other writer"


def test_stream_that_fails_part_way_stores_nothing(store):
    def chunks():
        yield os.urandom(UPLOAD_PART_BYTES + 1)
        raise StorageUnavailable("the evidence could not be read")

    with pytest.raises(StorageUnavailable):
        store.create_stream("packs/p.zip", chunks())
    assert store.keys("") == []
    if isinstance(store, S3Store):  # no abandoned upload is left behind to be billed
        uploads = raw_s3(os.environ["AWS_ENDPOINT_URL"]).list_multipart_uploads(Bucket=BUCKET, Prefix=store.prefix)
        assert uploads.get("Uploads", []) == []


def test_opening_a_missing_key_is_not_found(store):
    store.create("a/present", b"x")
    for key in ["missing", "a/missing", "a"]:
        with pytest.raises(NotFound):
            store.open(key)
