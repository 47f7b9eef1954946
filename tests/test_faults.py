"""Faults: the storage endpoint stops mid-journey, answers slowly, or a process is killed while writing.

Whatever happens, the supplier sees a clear page with their answer still on it, and nothing acknowledged is lost.
"""

import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import boto3
import pytest

from functions.storage import FileStore, open_store
from portal import create_app
from portal.config import PROJECT_ROOT

from .conftest import CONTENT, CREDENTIALS, REGION
from .moto_s3 import MotoS3
from .supplier import Supplier

BUCKET = "portal-faults"
# Short waits, so that each outage is noticed within seconds, but long enough for a busy machine's moto to answer.
IMPATIENT = {"PORTAL_S3_CONNECT_TIMEOUT": 1.0, "PORTAL_S3_READ_TIMEOUT": 2.5, "PORTAL_S3_MAX_ATTEMPTS": 2}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _moto(port: int) -> MotoS3:
    return MotoS3(port).start()


@pytest.fixture
def storage_endpoint(monkeypatch):
    """A moto S3 server of this test's own, on a fixed port, so the test can stop it and start it again there."""
    port = _free_port()
    servers = [_moto(port)]
    endpoint = f"http://127.0.0.1:{port}"
    admin = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
    if BUCKET not in [b["Name"] for b in admin.list_buckets()["Buckets"]]:  # moto keeps buckets per process
        admin.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)

    class Endpoint:
        url = endpoint

        def stop(self):
            servers[-1].stop()

        def start(self):
            servers.append(_moto(port))

    yield Endpoint()
    servers[-1].stop()


def _supplier(built, endpoint_url, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint_url)
    storage = f"s3://{BUCKET}/{uuid.uuid4().hex}"
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage,
            "PORTAL_BASE_URL": "http://localhost",
            **IMPATIENT,
        }
    )
    return Supplier(app.test_client(), app.extensions["portal.content"].assessment("readiness")), storage


def _answer_while(supplier, question_id, value, fault):
    """Post an answer from a form page loaded before `fault` happens, as a supplier with the page open would."""
    url = supplier.question_url("organisation", question_id)
    token = supplier.csrf(supplier.client.get(url).get_data(as_text=True))
    fault()
    return supplier.client.post(url, data={question_id: value, "csrf_token": token})


def test_storage_stopping_mid_journey_loses_nothing_and_the_journey_completes_when_it_returns(
    built, storage_endpoint, monkeypatch
):
    supplier, storage = _supplier(built, storage_endpoint.url, monkeypatch)
    task_list = supplier.start()
    assert supplier.answer("organisation", "organisation_name", "Acme Joinery Ltd").status_code == 303

    refused = _answer_while(supplier, "organisation_location", "Leeds", storage_endpoint.stop)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 503
    assert "We could not save your answer" in page and "try again in a few minutes" in page
    assert 'value="Leeds"' in page  # the answer is still there to send again
    elsewhere = supplier.client.get(task_list)
    assert elsewhere.status_code == 503 and "Nothing you sent before has been lost" in elsewhere.get_data(as_text=True)

    storage_endpoint.start()
    first = supplier.client.get(supplier.question_url("organisation", "organisation_name"))
    assert 'value="Acme Joinery Ltd"' in first.get_data(as_text=True)  # acknowledged before the outage, still there
    assert supplier.answer("organisation", "organisation_location", "Leeds").status_code == 303
    supplier.complete_all({"organisation_name": "Acme Joinery Ltd", "organisation_location": "Leeds"})
    assert supplier.submit().status_code == 303
    [key] = open_store(storage).keys("submissions/")
    answers = open_store(storage).read_json(key)["answers"]
    assert answers["organisation_name"] == "Acme Joinery Ltd" and answers["organisation_location"] == "Leeds"


class SlowProxy:
    """A loopback TCP proxy that holds each response from upstream for `delay` seconds before passing it on."""

    def __init__(self, upstream_port: int):
        self.upstream_port, self.delay = upstream_port, 0.0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pipe, args=(client, upstream, 0), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True).start()

    def _pipe(self, source, target, delay):
        try:
            while chunk := source.recv(65536):
                time.sleep(self.delay if delay is None else delay)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                end.close()

    def close(self):
        self.listener.close()


def test_slow_storage_gives_the_try_again_page_not_a_hang(built, storage_endpoint, monkeypatch):
    proxy = SlowProxy(int(storage_endpoint.url.rsplit(":", 1)[1]))
    try:
        supplier, _ = _supplier(built, proxy.url, monkeypatch)
        task_list = supplier.start()

        def slow_down():
            proxy.delay = 60.0  # far longer than the function waits: only its own timeout can end the request

        refused = _answer_while(supplier, "organisation_name", "Acme Joinery Ltd", slow_down)
        assert refused.status_code == 503
        assert 'value="Acme Joinery Ltd"' in refused.get_data(as_text=True)
        assert supplier.client.get(task_list).status_code == 503

        proxy.delay = 0.05  # slow, but within the timeouts: the answer is saved
        assert supplier.answer("organisation", "organisation_name", "Acme Joinery Ltd").status_code == 303
    finally:
        proxy.close()


# A writer that creates records as fast as it can, printing each key once create() has returned.
WRITER = """
import hashlib, json, sys
from functions.storage import FileStore
store, round_ = FileStore(sys.argv[1]), sys.argv[2]
for n in range(100000):
    body = (round_ + str(n)) * 20000
    store.create_json(f"records/{round_}/{n:06d}.json", {"body": body, "sha256": hashlib.sha256(body.encode()).hexdigest()},
                      metadata={"round": round_})
    print(f"records/{round_}/{n:06d}.json", flush=True)
"""


def test_killing_a_writer_never_leaves_a_partial_record(tmp_path):
    import hashlib

    root = tmp_path / "storage"
    rng = random.Random(20261123)
    acknowledged = []
    for round_ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), f"r{round_}"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
        )
        first = writer.stdout.readline()  # started and wrote one; now kill it at a random moment
        time.sleep(rng.uniform(0.0, 0.3))
        writer.send_signal(signal.SIGKILL)
        printed, _ = writer.communicate()
        acknowledged += [first.strip(), *printed.split()]
    store = FileStore(root)
    keys = store.keys()
    assert set(acknowledged) <= set(keys), "an acknowledged record is missing"
    assert len(keys) - len(acknowledged) <= 6  # at most one written but not yet acknowledged per kill
    for key in keys:
        record = store.read_json(key)  # whole JSON, or this raises
        assert hashlib.sha256(record["body"].encode()).hexdigest() == record["sha256"], key
        assert store.read_metadata(key) == {"round": key.split("/")[1]}
