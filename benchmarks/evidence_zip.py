"""A ZIP of 1,000 evidence files (2 GiB) built from S3 into S3: how long it takes, and the builder's peak memory.

moto's S3 server runs on loopback in a process of its own, keeping objects larger than 1 MiB on disk; each ZIP is
built in a fresh child process, so that its peak memory (VmHWM, the most it ever had resident) is the builder's
alone. Every ZIP is then downloaded, opened with zipfile and each manifest hash checked, and deleted.

    .venv/bin/python benchmarks/evidence_zip.py            # 10, 100 and 1,000 files
    .venv/bin/python benchmarks/evidence_zip.py 10 100     # chosen sizes
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.config import PROJECT_ROOT  # noqa: E402

BUCKET = "benchmark-evidence"
REGION = "eu-west-2"
FILE_BYTES = 2 * 1024 * 1024
FILES_PER_SUBMISSION = 10
SIZES = (10, 100, 1000)
MEMORY_BUDGET_MB = 150
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "benchmark", "AWS_SECRET_ACCESS_KEY": "benchmark", "AWS_DEFAULT_REGION": REGION}


def seed(store, files: int) -> None:
    """`files` evidence files of random bytes, FILES_PER_SUBMISSION to a submission, stored as the portal stores them."""

    def one(number: int) -> dict:
        data = os.urandom(FILE_BYTES)
        key = f"evidence/bench/{number:05d}"
        store.create(key, data, "application/pdf")
        return {
            "id": f"{number:05d}",
            "key": key,
            "name": f"evidence {number:05d}.pdf",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": "application/pdf",
            "uploaded_at": "2026-11-20T09:00:00+00:00",
            "slots": ["policy"],
            "valid_until": None,
        }

    with ThreadPoolExecutor(max_workers=4) as pool:
        evidence = list(pool.map(one, range(files)))
    for start in range(0, files, FILES_PER_SUBMISSION):
        reference = f"SV-BENC-{start // FILES_PER_SUBMISSION:04d}"
        store.create_json(
            f"submissions/readiness/{reference}/000001.json",
            {
                "reference": reference,
                "assessment": "readiness",
                "questionnaire_version": 2,
                "submitted_at": f"2026-11-20T10:{start // FILES_PER_SUBMISSION % 60:02d}:00+00:00",
                "answers": {},
                "readiness": {},
                "carbon_reduction_plan": None,
                "evidence": evidence[start : start + FILES_PER_SUBMISSION],
            },
        )


def build(files: int) -> None:
    """In the child process: ZIP the evidence of enough submissions to make `files` files; print what it cost."""
    from functions.exports.packs import evidence_zip
    from functions.exports.submissions import find_submissions
    from functions.storage import open_store
    from portal.content import load_content

    store = open_store(f"s3://{BUCKET}")
    assessments = load_content(PROJECT_ROOT / "content").assessments
    submissions = sorted(find_submissions(store, assessments), key=lambda s: s.record["reference"])
    wanted = submissions[: files // FILES_PER_SUBMISSION]
    before, cpu = peak_mb(), time.process_time()
    started = time.perf_counter()
    key = evidence_zip(store, wanted)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"key": key, "seconds": seconds, "ready_mb": before, "cpu_seconds": time.process_time() - cpu, "peak_mb": peak_mb()}
        )
    )


def peak_mb() -> float:
    """The most memory this process has had resident. Not ru_maxrss: on Linux a child inherits its parent's."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def verify(store, key: str, files: int) -> int:
    """Open the ZIP with zipfile and check every manifest entry against its bytes; return the ZIP's size."""
    with tempfile.NamedTemporaryFile(dir=os.environ.get("TMPDIR"), suffix=".zip") as copy:
        with store.open(key) as stream:
            while chunk := stream.read(8 * 1024 * 1024):
                copy.write(chunk)
        copy.flush()
        with zipfile.ZipFile(copy.name) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            assert len(manifest["files"]) == files and not manifest["skipped"], manifest["skipped"]
            for entry in manifest["files"]:
                digest = hashlib.sha256()
                with archive.open(entry["path"]) as member:
                    while chunk := member.read(1024 * 1024):
                        digest.update(chunk)
                assert digest.hexdigest() == entry["sha256"] == entry["sha256_when_uploaded"], entry["path"]
        return os.path.getsize(copy.name)


@contextmanager
def moto_server():
    """moto's S3 server on loopback, in its own process; yields its URL and stops it afterwards.

    Not in this process, as tests/conftest.py has it: moto holds a multipart upload's parts and a whole object in
    memory while completing or serving it (several GB here), which real S3 does not.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "MOTO_S3_DEFAULT_KEY_BUFFER_SIZE": str(1024 * 1024)}
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(sizes=SIZES) -> None:
    import boto3

    from functions.storage import open_store

    with moto_server() as url:
        os.environ.update({**ENVIRONMENT, "AWS_ENDPOINT_URL": url})
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        store = open_store(f"s3://{BUCKET}")
        started = time.perf_counter()
        seed(store, max(sizes))
        print(
            f"Stored {max(sizes)} evidence files of {FILE_BYTES // 1024 // 1024} MiB in {time.perf_counter() - started:.0f} s\n"
        )
        print("| files | evidence | ZIP | time | MB/s | builder's CPU | peak memory | memory before building |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        peaks = []
        for files in sizes:
            child = subprocess.run(
                [sys.executable, __file__, "--build", str(files)], capture_output=True, text=True, env=os.environ
            )
            if child.returncode:
                sys.exit(f"Building the ZIP of {files} files failed:\n{child.stderr}")
            result = json.loads(child.stdout.strip().splitlines()[-1])
            zip_bytes = verify(store, result["key"], files)
            s3.delete_object(Bucket=BUCKET, Key=result["key"])  # not store.delete, whose search for versions is slow in moto
            evidence_mib = files * FILE_BYTES / 1024 / 1024
            peaks.append(result["peak_mb"])
            print(
                f"| {files:,} | {evidence_mib:,.0f} MiB | {zip_bytes / 1024 / 1024:,.0f} MiB | "
                f"{result['seconds']:.1f} s | {evidence_mib / result['seconds']:.0f} | {result['cpu_seconds']:.1f} s | "
                f"{result['peak_mb']:.0f} MB | "
                f"{result['ready_mb']:.0f} MB |"
            )
        verdict = "within" if max(peaks) < MEMORY_BUDGET_MB else "OVER"
        print(
            f"\nPeak memory {max(peaks):.0f} MB: {verdict} the {MEMORY_BUDGET_MB} MB budget. "
            "Every manifest hash matched the bytes in the ZIP."
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build(int(sys.argv[2]))
    else:
        main(tuple(int(size) for size in sys.argv[1:]) or SIZES)
