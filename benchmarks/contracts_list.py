"""The council's contract list and a contract page with 500 contracts of 20 returns each, S3 at 20 ms a request.

Each contract runs five years, reported quarterly (20 periods), with two commitments and a return sent for every
period, one in four reviewed: stored through the app's own record layer (functions.contracts) into moto's S3
server over HTTP (and a folder on disk, for comparison). Then a signed-in officer asks for the contract list and
one contract's page twice each: first as a freshly started function has them (a new app, so a new store and
connections), then warm. Each request's storage calls are counted by the store itself, and on S3 its HTTP
requests by botocore's events; while measuring, every S3 request waits 20 ms first, as a request from Lambda to
S3 in the same region takes 10 to 30 ms. Both pages read what is kept when records are written (decision 14):
the list its index (one record, an entry per contract), a contract page its summary; never the 10,000 returns.

    .venv/bin/python benchmarks/contracts_list.py          # 500 contracts
    .venv/bin/python benchmarks/contracts_list.py 100      # another size
"""

import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.council_list import ENVIRONMENT, REGION, CountingFileStore, CountingS3Store  # noqa: E402
from benchmarks.evidence_zip import moto_server  # noqa: E402
from functions.contracts import summaries  # noqa: E402
from functions.contracts.records import Contracts, contract_prefix, serialise_return  # noqa: E402
from functions.storage import versions  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from portal.contracts import Commitment, Contract, Return, ReturnLine, Review, reporting_periods  # noqa: E402
from tests.officer import VIEWER, Clock, council_app_with_officers, signed_in  # noqa: E402

BUCKET = "benchmark-contracts-list"
S3_REQUEST_MS = 20
TODAY = date(2031, 6, 1)  # after every period of the contracts below has ended
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-000",
    "Roadworks Ltd",
    Decimal(1_250_000),
    date(2026, 4, 1),
    date(2031, 3, 31),
    "officer@exampleshire.gov.uk",
    ("contact@roadworks.example",),
    (
        Commitment("LE01", Decimal("4.5"), "per_period", "quarterly", "Local hires"),
        Commitment("WB06", Decimal(100), "per_period", "quarterly", "Volunteering"),
    ),
)


def seed(store, content, count: int) -> str:
    """`count` contracts of 20 sent returns each; the id of the last. Each summary is kept as its records are written,
    the list's index once at the end (as rebuild-contract-summaries does): 500 writers of one index at once would
    measure moto's patience, not the pages."""
    contracts = Contracts(store)

    def one(number: int) -> str:
        contract = replace(CONTRACT, title=f"Contract {number:04d}", reference=f"EXC-2026-{number:04d}")
        contract_id = contracts.create(contract, "admin@exampleshire.gov.uk")
        for index, period in enumerate(reporting_periods(contract, content.contracts.return_due_days)):
            sent = Return(
                period.id,
                (
                    ReturnLine("LE01", Decimal(4), "Payroll", "", ("EX1",)),
                    ReturnLine("WB06", Decimal(90), "Timesheets", "", ("EX2",)),
                ),
                "Ann",
                "Director",
            )
            versions.append(
                store,
                f"{contract_prefix(contract_id)}returns/{period.id}/sent/",
                {"return": serialise_return(sent), "by": "contact@roadworks.example", "at": "2031-01-01T00:00:00+00:00"},
            )
            if index % 4 == 0:
                contracts.review(contract_id, Review(period.id, 1, "accepted", ""), "admin@exampleshire.gov.uk")
        return contract_id, summaries.list_entry(summaries.refresh(store, contract_id, content, TODAY, index=False))

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(one, range(count)))
    summaries.replace_index(store, dict(made))
    return made[-1][0]


def slow_s3(store) -> None:
    """Every S3 request waits S3_REQUEST_MS first, as a real one would take."""
    store.client.meta.events.register("before-send.s3.*", lambda **_: time.sleep(S3_REQUEST_MS / 1000))


def measure(assets: Path, storage_url: str, make_store, count: int, work: Path, s3: bool) -> list[tuple]:
    seeding_store = make_store()
    seeding_store.reset()
    app = council_app_with_officers(
        assets, storage_url, work / "outbox", Clock(datetime(2031, 6, 1, 9, tzinfo=timezone.utc)), "http://localhost"
    )
    started = time.perf_counter()
    last = seed(seeding_store, app.extensions["portal.content"], count)
    print(f"<!-- seeded {count} contracts in {time.perf_counter() - started:.0f} s -->", flush=True)
    results = []
    for path, expect in (("/council/contracts/", f"{count} contracts"), (f"/council/contracts/{last}/", "Reporting schedule")):
        # A new app and store for the first request: a freshly started function, nothing cached, no connections.
        app = council_app_with_officers(
            assets, storage_url, work / "outbox", Clock(datetime(2031, 6, 1, 9, tzinfo=timezone.utc)), "http://localhost"
        )
        officer = signed_in(app, VIEWER, work / "outbox")
        store = make_store()
        if s3:
            slow_s3(store)
        app.extensions["portal.store"] = store  # the app's one store (functions.storage.app_store), counted
        for which in ("first", "second"):
            store.reset()
            started = time.perf_counter()
            response = officer.client.get(path)
            seconds = time.perf_counter() - started
            html = response.get_data(as_text=True)
            assert response.status_code == 200 and expect in html, html[:500]
            results.append(
                (
                    path.split("/")[2] and ("list" if path.endswith("contracts/") else "contract page"),
                    which,
                    seconds,
                    dict(store.calls),
                )
            )
    return results


def main(count: int = 500) -> None:
    from build import build

    print(
        f"| store | contracts | page | request | time (S3 at {S3_REQUEST_MS} ms a request) | records read | listings "
        "| HTTP requests to S3 |"
    )
    print("| --- | ---: | --- | --- | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory() as work, moto_server() as url:
        work = Path(work)
        build(PROJECT_ROOT / "content", work / "site", work / "assets")
        # Patient S3 while seeding, as the tests are: moto on a busy machine can take longer than a deployed wait.
        os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": url, "PORTAL_S3_READ_TIMEOUT": "60"})
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        for backend in ("S3", "file"):
            place = work / backend
            place.mkdir()
            if backend == "file":
                storage_url, make_store = str(place / "storage"), lambda: CountingFileStore(place / "storage")
            else:
                storage_url, make_store = f"s3://{BUCKET}/contracts", lambda: CountingS3Store(BUCKET, "contracts")
            for page, which, seconds, calls in measure(work / "assets", storage_url, make_store, count, place, backend == "S3"):
                http = (
                    ", ".join(
                        f"{n:,} {name.removeprefix('HTTP ')}" for name, n in sorted(calls.items()) if name.startswith("HTTP ")
                    )
                    or "n/a"
                )
                print(
                    f"| {backend} | {count:,} | {page} | {which} | {seconds:.2f} s | {calls.get('read', 0):,} "
                    f"| {calls.get('keys', 0)} | {http} |",
                    flush=True,
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
