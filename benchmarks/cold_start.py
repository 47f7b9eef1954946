"""Cold start of each Lambda entry, run from its unzipped package as Lambda runs it.

build/functions/<entry>.zip holds wheels for Lambda's processor, which may not be this one's, so each entry is
packaged again here with the same files but this machine's wheels (portal/lambda_packages.py, runtime None). Unzip
it, then in fresh processes with only the package and the standard library on sys.path, and no bytecode written
(Lambda's /var/task is read-only), time importing the entry's module and then its first request (GET / as an HTTP
API payload v2 event). The size shown is Lambda's zip's (run `python build.py` first).
Usage: python benchmarks/cold_start.py [runs]
"""
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.lambda_packages import PROBE_EVENT, entries, package  # noqa: E402

PACKAGES = Path(__file__).resolve().parent.parent / "build" / "functions"
IMPORT_BUDGET_MS = 300

_COLD = r"""
import json, os, sys, tempfile, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import functions.handlers as handlers
imported = time.perf_counter()
with tempfile.TemporaryDirectory() as scratch:
    os.environ.update(PORTAL_VAR=scratch, PORTAL_STORAGE=os.path.join(scratch, "storage"), PORTAL_SECRET_KEY="bench" * 8,
                      PORTAL_EMAIL="outbox:" + os.path.join(scratch, "outbox"))
    result = getattr(handlers, sys.argv[2])(json.loads(sys.argv[3]), None)
    answered = time.perf_counter()
status = result.get("statusCode", "-") if isinstance(result, dict) else "-"
print(json.dumps({"import": imported - started, "first": answered - imported, "status": status}))
"""


def cold_start(directory: Path, entry: str, bytecode: bool = False) -> dict:
    flags = ["-I", "-S"] + ([] if bytecode else ["-B"])
    result = subprocess.run([sys.executable, *flags, "-c", _COLD, str(directory), entry, json.dumps(PROBE_EVENT)],
                            capture_output=True, text=True, check=True, cwd=directory)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _median_ms(timings, key) -> float:
    return statistics.median(t[key] for t in timings) * 1000


def main(runs: int = 5):
    print(f"Median of {runs} fresh processes per entry, from the unzipped package. 'As packaged' has no bytecode, as on")
    print("Lambda; 'with bytecode' compiled the package first (python -m compileall), to show what shipping it would save.\n")
    print("| entry | package (zip) | import | first request | import + first request, with bytecode | import budget |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for entry in entries():
        for_lambda = PACKAGES / f"{entry}.zip"
        with tempfile.TemporaryDirectory() as unpacked:
            with zipfile.ZipFile(package(entry, Path(unpacked), runtime=None)) as archive:
                archive.extractall(unpacked)
            timings = [cold_start(Path(unpacked), entry) for _ in range(runs)]
            # Not checked: olefile ships a Python 2 module (olefile2.py) that nothing imports and that cannot compile.
            subprocess.run([sys.executable, "-m", "compileall", "-q", unpacked], capture_output=True)
            compiled = [cold_start(Path(unpacked), entry, bytecode=True) for _ in range(runs)]
        imported, first = _median_ms(timings, "import"), _median_ms(timings, "first")
        verdict = "within" if imported <= IMPORT_BUDGET_MS else "OVER"
        print(f"| {entry} | {for_lambda.stat().st_size / 1e6:.1f} MB | {imported:.0f} ms | {first:.0f} ms "
              f"(status {timings[0]['status']}) | {_median_ms(compiled, 'import') + _median_ms(compiled, 'first'):.0f} ms "
              f"| {verdict} {IMPORT_BUDGET_MS} ms |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
