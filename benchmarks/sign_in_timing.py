"""How long asking for a sign-in link takes, for an officer's address and for anyone else's (issue 16, item 3).

The answer's time must not tell a stranger whether an address is an officer's. The app is served over real HTTP on
loopback (as `make run` serves it), on a folder on disk and on S3 through moto's server; one browser session posts
the sign-in form REQUESTS times for an officer and REQUESTS times for a stranger, taking turns, with a pause after each
so that the email sent after an officer's answer is out of the way before the next request (PAUSES). The clock moves on
16 minutes at every reading, so that the rate limits never refuse.

    .venv/bin/python benchmarks/sign_in_timing.py          # 200 requests of each
    .venv/bin/python benchmarks/sign_in_timing.py 50       # fewer
"""

import http.cookiejar
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.evidence_zip import moto_server  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from tests.live_server import serving_app  # noqa: E402
from tests.officer import VIEWER, council_app_with_officers  # noqa: E402

REQUESTS = 200
# Seconds after each answer, so that the officer's email, sent after the answer by the same process, is out of the
# way before the next request (moto answers slowly); on Lambda the scheduled sender sends it, in another process.
PAUSES = {"file": 0.25, "S3 (moto, loopback)": 1.0}
BUCKET = "benchmark-sign-in"
REGION = "eu-west-2"
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "benchmark", "AWS_SECRET_ACCESS_KEY": "benchmark", "AWS_DEFAULT_REGION": REGION}


class RushingClock:
    """16 minutes later at every reading: each request is in a new rate-limit window."""

    def __init__(self):
        self.now = datetime.now(timezone.utc)

    def __call__(self):
        self.now += timedelta(minutes=16)
        return self.now


def timings(base_url: str, requests: int, pause: float) -> dict[str, list[float]]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects())
    page = opener.open(f"{base_url}/council/sign-in").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    csrf = token.group(1) or token.group(2)
    found = {"officer": [], "stranger": []}
    for number in range(requests * 2):
        who = "officer" if number % 2 == 0 else "stranger"
        address = VIEWER if who == "officer" else f"someone{number}@example.com"
        body = urllib.parse.urlencode({"email": address, "csrf_token": csrf}).encode()
        started = time.perf_counter()
        try:
            opener.open(f"{base_url}/council/sign-in", body).read()
        except urllib.error.HTTPError as answer:
            assert answer.code == 303, f"request {number} ({who}) answered {answer.code}"
        found[who].append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(requests: int = REQUESTS) -> None:
    from build import build

    print("| store | requests of each | officer's median | stranger's median | difference |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work, moto_server() as url:
        work = Path(work)
        build(PROJECT_ROOT / "content", work / "site", work / "assets")
        os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": url})
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        for backend, storage in (("file", str(work / "storage")), ("S3 (moto, loopback)", f"s3://{BUCKET}/")):
            app = council_app_with_officers(
                work / "assets", storage, work / f"outbox-{backend[:4]}", RushingClock(), "http://127.0.0.1"
            )
            print(f"<!-- {backend}: started {time.strftime('%H:%M:%S')} -->", flush=True)
            with serving_app(app) as base_url:
                found = timings(base_url, requests, PAUSES[backend])
            officer, stranger = (statistics.median(found[who]) for who in ("officer", "stranger"))
            print(
                f"| {backend} | {requests} | {officer:.1f} ms | {stranger:.1f} ms "
                f"| {abs(officer - stranger) / max(officer, stranger):.1%} |"
            )
            delivered = len(list((work / f"outbox-{backend[:4]}").glob("*.eml")))
            assert delivered == requests, f"{delivered} emails delivered for {requests} officer's requests"


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
