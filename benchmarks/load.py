"""Load test: 200 suppliers saving answers and uploading small files for 60 s against the app `make run` serves.

For each of the file store and S3 (moto's server), it starts `flask --app portal run` on loopback, runs locust
headless (benchmarks/locustfile.py), then reads every acknowledged answer and file back from storage. Prints
throughput and latency, and exits 1 on any failed request, error in the simulated suppliers, or lost answer or file.
Usage: python benchmarks/load.py [users] [seconds]  (run `python build.py` first)
"""

import csv
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from functions.assessment.records import Drafts  # noqa: E402
from functions.storage import open_store  # noqa: E402
from portal.content import load_content  # noqa: E402

BIN = Path(sys.executable).parent
BUCKET = "portal-load"
# moto's server, as `moto_server` runs it (Werkzeug, a thread per connection), with changes that keep its
# answers but stop it doing work S3 does not, each request holding Python's GIL in the one process:
# - listing objects (each draft's load does) and an object's versions (each upload's claim does) by prefix, as S3
#   does: moto steps through every object in the bucket for a listing, and for versions deep-copies each, 0.6 s
#   at 3,000 objects, failing (TypeError, so a 500) when another request deletes an object meanwhile;
# - keeping connections open between requests (HTTP/1.1), as S3 does, rather than a new one and a new thread
#   for each request;
# - finding which of its services a request is for once, not again for every request: moto lists its package's
#   folders for that (a listdir and 150 stat calls) inside a lock that every request waits for;
# - no line on stderr for every request, which the benchmark throws away: writing it waits for a lock too.
MOTO_SERVER = """
import functools, logging, sys, threading
from moto import backends
from moto.s3.models import S3Backend
from moto.s3.utils import _VersionedKeyStore
from moto.server import main
from werkzeug.serving import WSGIRequestHandler

backends.list_of_moto_modules = functools.cache(lambda modules=backends.list_of_moto_modules: tuple(modules()))
logging.getLogger("werkzeug").setLevel(logging.WARNING)
WSGIRequestHandler.protocol_version = "HTTP/1.1"

list_objects, list_versions, get_bucket = S3Backend.list_objects, S3Backend.list_object_versions, S3Backend.get_bucket
listing = threading.local()

class PrefixView:
    def __init__(self, bucket, prefix):
        self._bucket, self.keys = bucket, _VersionedKeyStore()
        for key, versions in list(dict.items(bucket.keys)):  # a snapshot: list() of a dict view holds the GIL
            if key.startswith(prefix):
                dict.__setitem__(self.keys, key, list(versions))

    def __getattr__(self, name):
        return getattr(self._bucket, name)

def list_prefix_objects(self, bucket, prefix, *args, **options):
    return list_objects(self, PrefixView(bucket, prefix or ""), prefix, *args, **options)

def list_prefix_versions(self, bucket_name, prefix="", **options):
    listing.prefix = prefix or ""
    try:
        return list_versions(self, bucket_name, prefix=prefix, **options)
    finally:
        del listing.prefix

def get_bucket_or_view(self, bucket_name):
    bucket = get_bucket(self, bucket_name)
    prefix = getattr(listing, "prefix", None)
    return bucket if prefix is None else PrefixView(bucket, prefix)

S3Backend.list_objects, S3Backend.list_object_versions = list_prefix_objects, list_prefix_versions
S3Backend.get_bucket = get_bucket_or_view
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def _process(command: list[str], env: dict, ready_url: str):
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(ready_url)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def _storage(kind: str, scratch: Path):
    """(PORTAL_STORAGE, extra environment) for a fresh store of `kind`."""
    if kind == "file":
        yield str(scratch / "storage"), {}
        return
    port = _free_port()
    # One Python process standing in for S3 is far slower than S3: past the app's S3 timeouts (2 s to connect, 4 s
    # to read) it would show the storage-unavailable page, and boto3's retries load moto further. So unless the
    # environment says otherwise, the app waits for moto as long as it takes.
    aws = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "load",
        "AWS_SECRET_ACCESS_KEY": "load",
        "AWS_DEFAULT_REGION": "eu-west-2",
        **{name: os.environ.get(name, "120") for name in ("PORTAL_S3_CONNECT_TIMEOUT", "PORTAL_S3_READ_TIMEOUT")},
    }
    with _process([sys.executable, "-c", MOTO_SERVER, str(port)], {**os.environ, **aws}, aws["AWS_ENDPOINT_URL"]):
        import boto3

        boto3.client(
            "s3",
            endpoint_url=aws["AWS_ENDPOINT_URL"],
            region_name="eu-west-2",
            aws_access_key_id="load",
            aws_secret_access_key="load",
        ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield f"s3://{BUCKET}/load", aws


def _read_back(storage: str, aws: dict, acknowledged: list[dict]) -> tuple[int, int]:
    """How many acknowledged answers and files are missing from storage.

    Every save is a write-once version of the draft, so each answer must be in one of them. Each file must be on
    the newest version's evidence list with the SHA-256 of what was sent, and its stored bytes must hash to it.
    """
    os.environ.update(aws)  # boto3 reads the endpoint and credentials from the environment, as the app did
    assessment = load_content(ROOT / "content").assessment("readiness")
    drafts = Drafts(open_store(storage))
    answers, files = {}, {}
    for ack in acknowledged:
        if "file" in ack:
            files.setdefault(ack["token"], {})[ack["id"]] = ack["sha256"]
        else:
            answers.setdefault(ack["token"], set()).add(ack["value"])

    def missing(token):
        versions = [drafts.store.read_json(key) for key in drafts.store.keys(drafts._prefix(assessment.id, token))]
        stored = {version["answers"].get("organisation_name") for version in versions}
        evidence = {entry["id"]: entry for entry in versions[-1].get("evidence", [])} if versions else {}
        return (
            len(answers.get(token, set()) - stored),
            sum(not _file_kept(drafts.store, evidence.get(file_id), sha256) for file_id, sha256 in files.get(token, {}).items()),
        )

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(missing, answers.keys() | files.keys()))
    return sum(a for a, _ in counts), sum(f for _, f in counts)


def _file_kept(store, entry: dict | None, sha256: str) -> bool:
    return bool(entry) and entry["sha256"] == sha256 and hashlib.sha256(store.read(entry["key"])).hexdigest() == sha256


def run(kind: str, users: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch_dir, _storage(kind, Path(scratch_dir)) as (storage, aws):
        scratch = Path(scratch_dir)
        port = _free_port()
        env = {
            **os.environ,
            **aws,
            "PORTAL_STORAGE": storage,
            "PORTAL_VAR": str(scratch / "var"),
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            "LOAD_ACKNOWLEDGED": str(scratch / "acknowledged.jsonl"),
        }
        # What `make run` runs (the Makefile's run target), on a port of its own.
        with (
            _process(
                [str(BIN / "flask"), "--app", "portal", "run", "--host", "127.0.0.1", "--port", str(port)],
                env,
                f"http://127.0.0.1:{port}/",
            ),
            open(scratch / "locust.log", "w") as log,
        ):
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(max(users // 10, 1)),
                    "--run-time",
                    f"{seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(scratch / "locust"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        acknowledged = [json.loads(line) for line in (scratch / "acknowledged.jsonl").read_text().splitlines()]
        with open(scratch / "locust_stats.csv") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        errors = [f"{row['Name']}: {row['Error']} ({row['Occurrences']})" for row in _csv(scratch / "locust_failures.csv")]
        errors += [f"{row['Message']} ({row['Count']})\n{row['Traceback']}" for row in _csv(scratch / "locust_exceptions.csv")]
        missing_answers, missing_files = _read_back(storage, aws, acknowledged)
        return {
            "rows": rows,
            "errors": errors,
            "answers": sum("value" in ack for ack in acknowledged),
            "files": sum("file" in ack for ack in acknowledged),
            "missing_answers": missing_answers,
            "missing_files": missing_files,
        }


def _csv(path: Path) -> list[dict]:
    with open(path) as file:
        return list(csv.DictReader(file))


REQUESTS = (
    "start",
    "question page",
    "answer that asks for evidence",
    "save answer",
    "evidence page",
    "upload to storage",
    "attach",
    "Aggregated",
)


def main(users: int = 200, seconds: int = 60) -> int:
    print(f"{users} suppliers for {seconds} s each run, on loopback, against `flask --app portal run` (as make run).\n")
    print("| storage | request | requests | failures | requests/s | p50 | p95 | p99 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    problems = []
    for kind in ("file", "s3"):
        result = run(kind, users, seconds)
        for name in REQUESTS:
            row = result["rows"].get(name)
            if row:
                print(
                    f"| {kind} | {name} | {row['Request Count']} | {row['Failure Count']} "
                    f"| {float(row['Requests/s']):.1f} | {row['50%']} ms | {row['95%']} ms | {row['99%']} ms |"
                )
        print(
            f"| {kind} | answers acknowledged, then read back from storage | {result['answers']} "
            f"| {result['missing_answers']} missing | | | | |"
        )
        print(
            f"| {kind} | files acknowledged, then read back from storage | {result['files']} "
            f"| {result['missing_files']} missing | | | | |"
        )
        problems += [f"{kind}: {error}" for error in result["errors"]]
        problems += [f"{kind}: {result[m]} {m.replace('_', ' ')}" for m in ("missing_answers", "missing_files") if result[m]]
    print("\n".join(["", *problems]) if problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
