"""Load test: 200 suppliers saving answers for 60 s against the app `make run` serves, on each storage.

For each of the file store and S3 (moto's server), it starts `flask --app portal run` on loopback, runs locust
headless, then reads every acknowledged answer back from storage. Prints throughput and latency, and exits 1 on any
error or lost answer. Usage: python benchmarks/load.py [users] [seconds]  (run `python build.py` first)
"""
import csv
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

from functions.records import Drafts  # noqa: E402
from functions.storage import open_store  # noqa: E402
from portal.content import load_content  # noqa: E402

BIN = Path(sys.executable).parent
BUCKET = "portal-load"


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
    aws = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "load", "AWS_SECRET_ACCESS_KEY": "load",
           "AWS_DEFAULT_REGION": "eu-west-2"}
    with _process([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], {**os.environ, **aws},
                  aws["AWS_ENDPOINT_URL"]):
        import boto3

        boto3.client("s3", endpoint_url=aws["AWS_ENDPOINT_URL"], region_name="eu-west-2", aws_access_key_id="load",
                     aws_secret_access_key="load").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield f"s3://{BUCKET}/load", aws


def _read_back(storage: str, aws: dict, acknowledged: list[dict]) -> int:
    """How many acknowledged answers are missing from storage (each save is a write-once version of the draft)."""
    os.environ.update(aws)  # boto3 reads the endpoint and credentials from the environment, as the app did
    assessment = load_content(ROOT / "content").assessment("readiness")
    drafts = Drafts(open_store(storage))
    by_token = {}
    for ack in acknowledged:
        by_token.setdefault(ack["token"], set()).add(ack["value"])

    def missing(token):
        prefix = drafts._prefix(assessment.id, token)
        stored = {drafts.store.read_json(key)["answers"].get("organisation_name") for key in drafts.store.keys(prefix)}
        return len(by_token[token] - stored)

    with ThreadPoolExecutor(8) as pool:
        return sum(pool.map(missing, by_token))


def run(kind: str, users: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch_dir, _storage(kind, Path(scratch_dir)) as (storage, aws):
        scratch = Path(scratch_dir)
        port = _free_port()
        env = {**os.environ, **aws, "PORTAL_STORAGE": storage, "PORTAL_VAR": str(scratch / "var"),
               "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "LOAD_ACKNOWLEDGED": str(scratch / "acknowledged.jsonl")}
        # What `make run` runs (the Makefile's run target), on a port of its own.
        with _process([str(BIN / "flask"), "--app", "portal", "run", "--host", "127.0.0.1", "--port", str(port)], env,
                      f"http://127.0.0.1:{port}/"), open(scratch / "locust.log", "w") as log:
            subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                            "--users", str(users), "--spawn-rate", str(max(users // 10, 1)), "--run-time", f"{seconds}s",
                            "--host", f"http://127.0.0.1:{port}", "--csv", str(scratch / "locust"), "--only-summary",
                            "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                           env=env, cwd=ROOT, check=True, stdout=log, stderr=subprocess.STDOUT)
        acknowledged = [json.loads(line) for line in (scratch / "acknowledged.jsonl").read_text().splitlines()]
        with open(scratch / "locust_stats.csv") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        return {"rows": rows, "acknowledged": len(acknowledged), "missing": _read_back(storage, aws, acknowledged)}


def main(users: int = 200, seconds: int = 60) -> int:
    print(f"{users} suppliers for {seconds} s each run, on loopback, against `flask --app portal run` (as make run).\n")
    print("| storage | request | requests | failures | requests/s | p50 | p95 | p99 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    problems = 0
    for kind in ("file", "s3"):
        result = run(kind, users, seconds)
        for name in ("start", "question page", "save answer", "Aggregated"):
            row = result["rows"][name]
            print(f"| {kind} | {name} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
                  f"| {row['50%']} ms | {row['95%']} ms | {row['99%']} ms |")
        print(f"| {kind} | answers acknowledged, then read back from storage | {result['acknowledged']} "
              f"| {result['missing']} missing | | | | |")
        problems += int(result["rows"]["Aggregated"]["Failure Count"]) + result["missing"]
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
