"""The council's returns page and totals with 2,000 contracts of 24 returns each, S3 at 20 ms a request.

Each contract runs two years reported monthly (24 periods) with two commitments. One contract is written through
the app's own record layer (functions.contracts: the contract, 24 sent returns, one in four reviewed) and its
summary made by `summaries.refresh`; the other 1,999 are copies of that summary under their own ids and titles,
with one to five of their latest returns not sent (so overdue), and the summaries' sharded index made from them
(`summary_index.rebuild`, as rebuild-contract-summaries does): both pages read only those, never the returns, so
writing 48,000 returns into moto one by one would take the seeding an hour and change nothing measured.
Then a signed-in officer asks for each page twice: first as a freshly started function has it (a new app, so a new
store and connections), then warm. Storage calls are counted by the store itself, and on S3 its HTTP requests by
botocore's events; while measuring, every S3 request waits 20 ms first, as one from Lambda to S3 takes 10 to 30 ms.

    .venv/bin/python benchmarks/returns_page.py          # 2,000 contracts
    .venv/bin/python benchmarks/returns_page.py 500      # another size
"""

import copy
import os
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.contracts_list import slow_s3  # noqa: E402
from benchmarks.council_list import ENVIRONMENT, REGION, CountingFileStore, CountingS3Store  # noqa: E402
from benchmarks.evidence_zip import moto_server  # noqa: E402
from functions.contracts import summaries, summary_index  # noqa: E402
from functions.contracts.records import Contracts, contract_prefix, serialise_return  # noqa: E402
from functions.storage import versions  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402
from portal.contracts import Commitment, Contract, Return, ReturnLine, Review, reporting_periods  # noqa: E402
from tests.officer import VIEWER, Clock, council_app_with_officers, signed_in  # noqa: E402

BUCKET = "benchmark-returns-page"
TODAY = date(2028, 4, 20)  # every period of the contracts below has ended
NOW = datetime(2028, 4, 20, 9, tzinfo=timezone.utc)
CONTRACT = Contract(
    "Highways maintenance",
    "EXC-2026-000",
    "Roadworks Ltd",
    Decimal(1_250_000),
    date(2026, 4, 1),
    date(2028, 3, 31),
    "officer@exampleshire.gov.uk",
    ("contact@roadworks.example",),
    (
        Commitment("LE01", Decimal("4.5"), "per_period", "monthly", "Local hires"),
        Commitment("WB06", Decimal(100), "per_period", "monthly", "Volunteering"),
    ),
)
MANAGERS = [f"manager{n}@exampleshire.gov.uk" for n in range(12)]


def seed(store, content, count: int) -> None:
    contract_id = Contracts(store).create(CONTRACT, "admin@exampleshire.gov.uk")
    for index, period in enumerate(reporting_periods(CONTRACT, content.contracts.return_due_days)):
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
            {"return": serialise_return(sent), "by": "contact@roadworks.example", "at": "2028-01-01T00:00:00+00:00"},
        )
        if index % 4 == 0:
            Contracts(store).review(
                contract_id, Review(period.id, 1, "accepted", "", {"LE01": Decimal(4)}, {}), "admin@exampleshire.gov.uk"
            )
    template = summaries.refresh(store, contract_id, content, TODAY)
    every = [template]
    for number in range(1, count):
        summary = copy.deepcopy(template)
        summary["contract_id"] = f"{number:012x}"[::-1]  # spread over the shards as random ids are
        summary["contract"].update(
            title=f"Contract {number:04d}", reference=f"EXC-2026-{number:04d}", contract_manager=MANAGERS[number % len(MANAGERS)]
        )
        unsent = 1 + number % 5
        for period in summary["schedule"][-unsent:]:
            period.update(sent_version=None, outcome=None)
        for kept in summary["commitments"]:
            for period in kept["periods"][-unsent:]:
                period.update(sent_version=None, outcome=None, claimed=None, verified=None)
        store.create_json(f"{summaries.PREFIX}{summary['contract_id']}/000001.json", summary)
        every.append(summary)
    summary_index.rebuild(store, every)


def measure(assets: Path, storage_url: str, make_store, count: int, work: Path, s3: bool) -> list[tuple]:
    seeding_store = make_store()
    seeding_store.reset()
    app = council_app_with_officers(assets, storage_url, work / "outbox", Clock(NOW), "http://localhost")
    started = time.perf_counter()
    seed(seeding_store, app.extensions["portal.content"], count)
    print(f"<!-- seeded {count} contracts in {time.perf_counter() - started:.0f} s -->", flush=True)
    results = []
    for path, expect in (
        ("/council/returns/", "returns"),
        ("/council/totals/", f"across {count} contracts"),
        ("/council/returns/?show=overdue&sort=overdue&page=3", "page 3 of"),
    ):
        app = council_app_with_officers(assets, storage_url, work / "outbox", Clock(NOW), "http://localhost")
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
            results.append((path, which, seconds, dict(store.calls)))
    return results


def main(count: int = 2000) -> None:
    from build import build

    print("| store | contracts | page | request | time (S3 at 20 ms a request) | records read | listings | HTTP requests to S3 |")
    print("| --- | ---: | --- | --- | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory() as work, moto_server() as url:
        work = Path(work)
        build(PROJECT_ROOT / "content", work / "site", work / "assets", storage=str(work / "empty"))
        os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": url})
        import boto3

        boto3.client("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        for backend in ("S3", "file"):
            place = work / backend
            place.mkdir()
            if backend == "file":
                storage_url, make_store = str(place / "storage"), lambda: CountingFileStore(place / "storage")
            else:
                storage_url, make_store = f"s3://{BUCKET}/returns", lambda: CountingS3Store(BUCKET, "returns")
            for page, which, seconds, calls in measure(work / "assets", storage_url, make_store, count, place, backend == "S3"):
                http = (
                    ", ".join(
                        f"{n:,} {name.removeprefix('HTTP ')}" for name, n in sorted(calls.items()) if name.startswith("HTTP ")
                    )
                    or "n/a"
                )
                print(
                    f"| {backend} | {count:,} | `{page}` | {which} | {seconds:.2f} s | {calls.get('read', 0):,} "
                    f"| {calls.get('keys', 0)} | {http} |",
                    flush=True,
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
