"""Package each Lambda entry in functions/handlers.py as a zip holding only what it imports.

What a function imports is found by running it: a fresh Python process imports the entry, calls it once with an
API Gateway event (in a throwaway folder), then imports every module our own code names anywhere, including imports
made inside functions (WeasyPrint, boto3). The zip holds our code, the content and the built assets it reads at
run time, and the installed distributions those imports need, with their own requirements. The zip is the same
bytes for the same inputs: files in sorted order, fixed dates and permissions, no bytecode.
"""
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from .config import PROJECT_ROOT

OUR_PACKAGES = ("portal", "functions")
# Run-time files besides our packages: the council's content, and the built assets (pages name them by the manifest),
# where portal/config.py looks for them by default.
ASSETS = PROJECT_ROOT / "build" / "assets"
# Sources that only the build reads.
BUILD_ONLY = ("portal/assets/",)
# botocore ships a model of every AWS service (about 25 MB); the functions call only these.
BOTOCORE_SERVICES = {"s3", "sesv2"}
_BOTOCORE_SERVICE_DATA = re.compile(r"botocore/data/([^/]+)/")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# What the probe sends each entry: an HTTP API (payload v2) request for the home page, which renders a page.
PROBE_EVENT = {
    "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "", "cookies": [],
    "headers": {"host": "localhost", "accept": "text/html", "x-forwarded-proto": "https"},
    "requestContext": {"domainName": "localhost", "stage": "$default",
                       "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"}},
    "isBase64Encoded": False,
}

# Runs in a fresh interpreter: prints the top-level names of every module that was not loaded at start-up.
_PROBE = r"""
import ast, importlib, json, os, sys, tempfile
before = set(sys.modules)
name, event = sys.argv[1], json.loads(sys.argv[2])
with tempfile.TemporaryDirectory() as scratch:
    os.environ.update(PORTAL_VAR=scratch, PORTAL_STORAGE=os.path.join(scratch, "storage"), PORTAL_SECRET_KEY="probe" * 8,
                      PORTAL_EMAIL="outbox:" + os.path.join(scratch, "outbox"))
    import functions.handlers as handlers
    try:
        getattr(handlers, name)(event, None)
    except Exception:
        pass  # an entry that wants another kind of event has still imported what it needs
    seen = set()
    while True:
        ours = [m for n, m in list(sys.modules.items()) if n.split(".")[0] in ("portal", "functions") and n not in seen
                and getattr(m, "__file__", None)]
        if not ours:
            break
        for module in ours:
            seen.add(module.__name__)
            for node in ast.walk(ast.parse(open(module.__file__, encoding="utf-8").read())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        base = ".".join(module.__name__.split(".")[:len(module.__name__.split(".")) - node.level
                                        + (1 if module.__file__.endswith("__init__.py") else 0)] + ([base] if base else []))
                    names = [base]
                for imported in names:
                    try:
                        importlib.import_module(imported)
                    except Exception:
                        pass  # an optional import, or one needing a native library this machine lacks
print(json.dumps(sorted({n.split(".")[0] for n in set(sys.modules) - before})))
"""


def entries() -> list[str]:
    """The Lambda entries: the public functions of functions/handlers.py that take (event, context)."""
    source = (PROJECT_ROOT / "functions" / "handlers.py").read_text()
    return re.findall(r"(?m)^def ([a-z][a-z0-9_]*)\(event, context\):", source)


def imported_top_level_names(entry: str, event: dict, assets: Path = ASSETS) -> set[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PORTAL_ASSETS": str(assets)}
    result = subprocess.run([sys.executable, "-c", _PROBE, entry, json.dumps(event)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True, env=env)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def _distributions_for(names: set[str]) -> set[str]:
    """The installed distributions that provide `names`, and everything they require (with extras), transitively."""
    providers = metadata.packages_distributions()
    wanted = [Requirement(dist) for name in names - set(sys.stdlib_module_names) - set(OUR_PACKAGES)
              for dist in providers.get(name, [])]
    done: dict[str, set[str]] = {}  # distribution -> the extras whose requirements are already wanted
    while wanted:
        requirement = wanted.pop()
        key = re.sub(r"[-_.]+", "-", requirement.name).lower()
        extras = set(requirement.extras) | ({""} if key not in done else set())
        extras -= done.get(key, set())
        if not extras:
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # an optional requirement that is not installed here
        done.setdefault(key, set()).update(extras)
        for line in dist.requires or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras):
                needed.marker = None
                wanted.append(needed)
    return set(done)


def _distribution_files(dist_name: str) -> dict[str, Path]:
    dist = metadata.distribution(dist_name)
    files = {}
    for entry in dist.files or []:
        path = Path(dist.locate_file(entry))
        name = entry.as_posix()
        # Skip scripts outside site-packages, bytecode, and the stray tests/ package one of them ships.
        if name.startswith(("..", "tests/")) or "__pycache__" in name or name.endswith(".pyc") or not path.is_file():
            continue
        service = _BOTOCORE_SERVICE_DATA.match(name)
        if service and service[1] not in BOTOCORE_SERVICES:
            continue
        files[name] = path
    return files


def _our_files(assets: Path) -> dict[str, Path]:
    files = {}
    for top, folder in [(top, PROJECT_ROOT / top) for top in (*OUR_PACKAGES, "content")] + [("build/assets", assets)]:
        for path in folder.rglob("*"):
            name = f"{top}/{path.relative_to(folder).as_posix()}"
            if path.is_file() and "__pycache__" not in name and not name.startswith(BUILD_ONLY):
                files[name] = path
    return files


def write_zip(files: dict[str, Path], destination: Path) -> None:
    """A zip with the same bytes for the same files: sorted names, fixed dates and permissions."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.external_attr = (0o755 if os.access(files[name], os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].read_bytes(), compresslevel=6)
    partial.replace(destination)


def files_for(entry: str, assets: Path = ASSETS) -> dict[str, Path]:
    """Name in the zip -> file on disk: our code, content and assets, and the distributions the entry imports."""
    return _files(imported_top_level_names(entry, PROBE_EVENT, assets), assets)


def _files(imported: set[str], assets: Path = ASSETS) -> dict[str, Path]:
    files = _our_files(assets)
    for dist in sorted(_distributions_for(imported)):
        files.update(_distribution_files(dist))
    return files


def _code_digest() -> str:
    """What decides an entry's imports: our Python code and the installed distributions' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(p for top in OUR_PACKAGES for p in (PROJECT_ROOT / top).rglob("*.py")):
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + _file_digest(path))
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()


def package(entry: str, destination_dir: Path, assets: Path = ASSETS) -> Path:
    """Write <destination_dir>/<entry>.zip."""
    destination = destination_dir / f"{entry}.zip"
    write_zip(files_for(entry, assets), destination)
    return destination


def package_all(destination_dir: Path) -> list[Path]:
    """Every entry's zip. Entries that import the same files get the same bytes, so each distinct zip is written once.

    Probing and zipping take seconds, so both are skipped when nothing they depend on has changed.
    """
    digests_file = destination_dir / "digests.json"
    digests = json.loads(digests_file.read_text()) if digests_file.exists() else {}
    code = _code_digest()

    def probed(entry):
        if digests.get(f"{entry} imports", {}).get("code") != code:
            names = imported_top_level_names(entry, PROBE_EVENT)
            digests[f"{entry} imports"] = {"code": code, "names": sorted(names)}
        return _files(set(digests[f"{entry} imports"]["names"]))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the probes are separate processes
        contents = dict(zip(entries(), pool.map(probed, entries())))
    destination_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for entry, files in contents.items():
        destination, digest = destination_dir / f"{entry}.zip", _digest(files)
        if destination.exists() and digests.get(entry) == digest:
            continue  # nothing it holds has changed since it was written
        if digest in written:
            shutil.copyfile(written[digest], destination)
        else:
            write_zip(files, destination)
            written[digest] = destination
        digests[entry] = digest
    digests_file.write_text(json.dumps(digests, indent=1, sort_keys=True))
    return [destination_dir / f"{entry}.zip" for entry in contents]


def _digest(files: dict[str, Path]) -> str:
    """Changes whenever a file is added, removed or changed: the build rewrites some files unchanged."""
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(name.encode() + b"\0" + _file_digest(path))
    return digest.hexdigest()


@functools.cache
def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()
