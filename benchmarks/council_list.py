"""The council submissions list with 100, 1,000 and 5,000 submissions: time and storage reads, first and second request.

For each size and each store (a folder on disk; S3 through moto's server over HTTP, in a process of its own), the
submissions are stored as the assessment function stores them, one in ten with a review status, in a store of their
own. A signed-in officer then asks for the list page twice through the app's test client: the first request as a
freshly started function has it, the second as a warm one. Each request's storage calls are counted by the store
itself (a subclass of the real one), and on S3 the HTTP requests by botocore's own events. moto on loopback answers
a GET in a few milliseconds when the machine is idle; real S3 takes 10 to 30 ms, so the table also says what the
GETs would cost at 20 ms each, one after another and READ_THREADS at a time.

    .venv/bin/python benchmarks/council_list.py              # 100, 1,000 and 5,000 submissions
    .venv/bin/python benchmarks/council_list.py 100 1000     # chosen sizes
"""

import os
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.evidence_zip import moto_server  # noqa: E402
from functions.storage import READ_THREADS, FileStore, S3Store  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from tests.officer import VIEWER, Clock, council_app_with_officers, signed_in  # noqa: E402
from tests.submission_factory import SUBMITTED, put_submission, typed_answers  # noqa: E402

SIZES = (100, 1000, 5000)
BUCKET = "benchmark-council-list"
REGION = "eu-west-2"
S3_GET_MS = 20  # a GET from Lambda to S3 in the same region takes about 10 to 30 ms
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "benchmark", "AWS_SECRET_ACCESS_KEY": "benchmark", "AWS_DEFAULT_REGION": REGION}


class Counting:
    """A store that counts the calls made to it, by method; the same counts on disk and on S3."""

    def count(self, name: str) -> None:
        with self._lock:
            self.calls[name] += 1

    def reset(self) -> None:
        self.calls, self._lock = Counter(), threading.Lock()

    def read(self, key):
        self.count("read")
        return super().read(key)

    def keys(self, prefix=""):
        self.count("keys")
        return super().keys(prefix)


class CountingFileStore(Counting, FileStore):
    pass


class CountingS3Store(Counting, S3Store):
    """Also counts the HTTP requests botocore sends (a listing of more than 1,000 keys takes several)."""

    def reset(self) -> None:
        super().reset()
        if not getattr(self, "_hooked", False):
            self.client.meta.events.register("before-send.s3.*", lambda request, **_: self.count(f"HTTP {request.method}"))
            self._hooked = True


def seed(store, assessment, count: int) -> None:
    """`count` submissions from as many organisations, a minute apart; every tenth has a review status."""
    from functions.council import reviews

    answers = typed_answers(assessment)

    def one(number: int) -> None:
        record = put_submission(
            store,
            assessment,
            {**answers, "organisation_name": f"Supplier {number:05d} Ltd"},
            submitted_at=SUBMITTED - timedelta(minutes=number),
        )
        if number % 10 == 0:
            reviews.change(store, assessment.id, record["reference"], "looked-at", "", "officer@example.gov.uk")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(count)))


def measure(assets: Path, storage_url: str, store, count: int, work: Path) -> list[dict]:
    """The list page asked for twice by a signed-in officer: seconds and storage calls of each request."""
    app = council_app_with_officers(assets, storage_url, work / "outbox", Clock(), "http://localhost")
    seed(store, app.extensions["portal.content"].assessment("readiness"), count)
    officer = signed_in(app, VIEWER, work / "outbox")
    app.extensions["portal.store"] = store  # the app's one store (functions.storage.app_store), counted
    requests = []
    for _ in range(2):
        store.reset()
        started = time.perf_counter()
        response = officer.client.get("/council/submissions/")
        seconds = time.perf_counter() - started
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and f"{count} submissions" in html, html[:500]
        requests.append({"seconds": seconds, **store.calls})
    return requests


def row(backend: str, count: int, which: str, measured: dict) -> str:
    gets = measured.get("read", 0)
    http = {name.removeprefix("HTTP "): n for name, n in measured.items() if name.startswith("HTTP ")}
    requests = ", ".join(f"{n:,} {method}" for method, n in sorted(http.items())) or "n/a"
    return (
        f"| {backend} | {count:,} | {which} | {measured['seconds']:.2f} s | {gets:,} | {measured.get('keys', 0)} "
        f"| {requests} | {gets * S3_GET_MS / 1000:.1f} s | {-(-gets // READ_THREADS) * S3_GET_MS / 1000:.1f} s |"
    )


def main(sizes=SIZES) -> None:
    from build import build

    print(
        "| store | submissions | request | time | records read (GETs) | listings | HTTP requests to S3 "
        f"| the GETs at {S3_GET_MS} ms, one after another | {READ_THREADS} at a time |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work, moto_server() as url:
        work = Path(work)
        build(PROJECT_ROOT / "content", work / "site", work / "assets")
        os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": url})
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        for count in sizes:
            for backend in ("file", "S3"):
                place = work / f"{backend}-{count}"
                place.mkdir()
                if backend == "file":
                    storage_url, store = str(place / "storage"), CountingFileStore(place / "storage")
                else:
                    storage_url, store = f"s3://{BUCKET}/list-{count}", CountingS3Store(BUCKET, f"list-{count}")
                store.reset()
                first, second = measure(work / "assets", storage_url, store, count, place)
                print(row(backend, count, "first", first))
                print(row(backend, count, "second", second), flush=True)


if __name__ == "__main__":
    main(tuple(int(size) for size in sys.argv[1:]) or SIZES)
