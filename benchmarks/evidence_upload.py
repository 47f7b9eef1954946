"""What the function holds while it checks and attaches an uploaded evidence file, for files of 1, 5 and 25 MB.

The browser's post goes straight to S3 (here moto's server, in its own process, so that its memory is not
counted). Then the function's `uploaded` view runs in this process under tracemalloc: it moves the file inside
S3, asks S3 for its size, reads its head for the type, and streams it in 1 MB ranges for the SHA-256.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boto3  # noqa: E402
import requests  # noqa: E402

from functions.storage import S3Store  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from tests.evidence_files import pdf  # noqa: E402
from tests.supplier import Supplier  # noqa: E402

MB = 1024 * 1024
BUCKET = "portal-benchmark"
FORM = re.compile(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(endpoint, timeout=10)
            return server, endpoint
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start")


class CountingStore(S3Store):
    """The S3 store, counting the bytes that ranged reads bring into the function."""

    bytes_read = 0

    def read_range(self, key, start, length):
        data = super().read_range(key, start, length)
        CountingStore.bytes_read += len(data)
        return data


def measure(size_mb: int, build_assets: Path) -> dict:
    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": PROJECT_ROOT / "content",
            "PORTAL_ASSETS": build_assets,
            "PORTAL_STORAGE": f"s3://{BUCKET}/bench-{size_mb}",
        }
    )
    assessment = app.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    from functions.assessment.records import Drafts

    app.extensions["portal.drafts"] = Drafts(CountingStore(BUCKET, f"bench-{size_mb}"))
    page = supplier.client.get(f"{supplier.task_list}evidence/carbon-reduction-plan/").get_data(as_text=True)
    action, form = FORM.search(page).groups()
    data = pdf(padding=size_mb * MB - 2048)  # a real PDF just under the size
    posted = requests.post(
        action, data=dict(HIDDEN.findall(form)), files={"file": ("plan.pdf", data)}, allow_redirects=False, timeout=120
    )
    back = urlsplit(posted.headers["Location"]).path
    del data, posted
    CountingStore.bytes_read = 0
    tracemalloc.start()
    started = time.perf_counter()
    response = supplier.client.get(back)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    [entry] = app.extensions["portal.drafts"].load(assessment, supplier.task_list.rstrip("/").rsplit("/", 1)[1]).evidence
    return {"size": entry["size"], "seconds": seconds, "peak": peak, "read": CountingStore.bytes_read}


def main():
    server, endpoint = start_moto()
    saved = {
        name: os.environ.get(name)
        for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    }
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "benchmark",
            "AWS_SECRET_ACCESS_KEY": "benchmark",
            "AWS_DEFAULT_REGION": "eu-west-2",
        }
    )
    try:
        boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        with tempfile.TemporaryDirectory() as work:
            from build import build

            build(PROJECT_ROOT / "content", Path(work) / "site", Path(work) / "assets")
            print(
                "| file | function's peak Python memory | read for the checks | read for the SHA-256, 1 MB at a time "
                "| time to check and attach |"
            )
            print("| ---: | ---: | ---: | ---: | ---: |")
            for size_mb in (1, 5, 25):
                row = measure(size_mb, Path(work) / "assets")
                # The SHA-256 reads the file exactly once; everything else read is what the checks asked for.
                print(
                    f"| {row['size'] / MB:.1f} MB | {row['peak'] / MB:.2f} MB | {(row['read'] - row['size']) / 1024:.0f} KB "
                    f"| {row['size'] / MB:.1f} MB | {row['seconds']:.2f} s |"
                )
    finally:
        server.terminate()
        server.wait(10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


if __name__ == "__main__":
    main()
