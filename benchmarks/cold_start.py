"""Cold start of each Lambda entry, run from its unzipped package as Lambda runs it, beside the floor.

build/functions/<entry>.zip holds wheels for Lambda's processor, which may not be this one's, so each entry is
packaged again here with the same files, bytecode included, but wheels for this machine: for Lambda's Python (3.13)
where PATH or pyenv has it (portal/lambda_bytecode.py), and run by it; else for this interpreter. Unzip it, then in
fresh processes with only the package and the standard library on sys.path, and no bytecode written (Lambda's
/var/task is read-only), time importing the entry's module and then its first request (GET / as an HTTP API payload
v2 event). The floor is a package holding only Flask, apig-wsgi and a one-route blueprint, built and run the same
way: what any Flask function costs. The size shown is Lambda's zip's (run `python build.py` first).
Usage: python benchmarks/cold_start.py [runs] [--without-bytecode]
"""

import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import lambda_bytecode, lambda_packages  # noqa: E402
from portal.lambda_packages import PROBE_EVENT, entries, package  # noqa: E402

PACKAGES = Path(__file__).resolve().parent.parent / "build" / "functions"
GOAL_MS = 500

_COLD = r"""
import importlib, json, os, sys, tempfile, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
handlers = importlib.import_module(sys.argv[2])
imported = time.perf_counter()
with tempfile.TemporaryDirectory() as scratch:
    os.environ.update(PORTAL_VAR=scratch, PORTAL_STORAGE=os.path.join(scratch, "storage"), PORTAL_SECRET_KEY="bench" * 8,
                      PORTAL_EMAIL="outbox:" + os.path.join(scratch, "outbox"))
    result = getattr(handlers, sys.argv[3])(json.loads(sys.argv[4]), None)
    answered = time.perf_counter()
status = result.get("statusCode", "-") if isinstance(result, dict) else "-"
print(json.dumps({"import": imported - started, "first": answered - imported, "status": status}))
"""

# The floor's whole code: a Lambda entry wrapping a Flask app with one blueprint and one route, built on first use.
FLOOR = """from apig_wsgi import make_lambda_handler

_handler = None


def handler(event, context):
    global _handler
    if _handler is None:
        from flask import Blueprint, Flask, render_template_string

        pages = Blueprint("pages", __name__)

        @pages.route("/")
        def home():
            return render_template_string("<!DOCTYPE html><html lang=en><title>{{ title }}</title><h1>{{ title }}</h1>",
                                          title="Floor")

        app = Flask(__name__)
        app.register_blueprint(pages)
        _handler = make_lambda_handler(app, binary_support=True)
    return _handler(event, context)
"""


def _here():
    """(runtime, interpreter): Lambda's Python with wheels for this machine where there is one, else this one."""
    version = lambda_packages.lambda_runtime().python
    found = lambda_bytecode.runtime_python(version)
    return (lambda_packages.runtime_here(version), found[0]) if found else (None, Path(sys.executable))


def floor_package(destination: Path, runtime) -> Path:
    source = destination / "floor.py"
    source.write_text(FLOOR)
    pins = lambda_packages._pins({"flask", "apig_wsgi"})
    files = {**lambda_packages._site_files(lambda_packages.site_packages(pins, runtime)), "floor.py": source}
    files = lambda_bytecode.bytecode(files, lambda_packages._compiler(runtime))
    lambda_packages.write_zip(files, destination / "floor.zip")
    return destination / "floor.zip"


def cold_start(python: Path, directory: Path, module: str, entry: str) -> dict:
    result = subprocess.run(
        [str(python), "-I", "-S", "-B", "-c", _COLD, str(directory), module, entry, json.dumps(PROBE_EVENT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=directory,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def unpacked(zipped: Path, folder: Path, bytecode: bool) -> Path:
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder, [n for n in archive.namelist() if bytecode or not n.endswith(".pyc")])
    return folder


def _median_ms(timings, key=None) -> float:
    return statistics.median(t[key] if key else t["import"] + t["first"] for t in timings) * 1000


def main(runs: int = 5, bytecode: bool = True):
    runtime, python = _here()
    print(
        f"Median of {runs} fresh processes per entry, from the unzipped package, run by {python} "
        f"({'with' if bytecode else 'without'} the package's bytecode). Each run of an entry follows a run of the "
        "floor, so that the two share whatever else the machine is doing.\n"
    )
    print("| entry | package (zip) | import | first request | import + first request | floor | to the floor | goal |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        floor = unpacked(floor_package(Path(scratch), runtime), Path(scratch) / "floor", bytecode)
        for entry in entries():
            for_lambda = PACKAGES / f"{entry}.zip"
            size = f"{for_lambda.stat().st_size / 1e6:.1f} MB" if for_lambda.exists() else "-"
            folder = unpacked(package(entry, Path(scratch) / entry, runtime), Path(scratch) / entry / "unpacked", bytecode)
            floors, timings = [], []
            for _ in range(runs):
                floors.append(cold_start(python, floor, "floor", "handler"))
                timings.append(cold_start(python, folder, "functions.handlers", entry))
            total, floor_ms = _median_ms(timings), _median_ms(floors)
            print(
                f"| {entry} | {size} | {_median_ms(timings, 'import'):.0f} ms | {_median_ms(timings, 'first'):.0f} ms "
                f"(status {timings[0]['status']}) | {total:.0f} ms | {floor_ms:.0f} ms | {total / floor_ms:.1f}x "
                f"| {'within' if total <= GOAL_MS else 'OVER'} {GOAL_MS} ms |"
            )


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--without-bytecode"]
    main(int(arguments[0]) if arguments else 5, bytecode="--without-bytecode" not in sys.argv)
