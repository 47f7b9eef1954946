"""Package each Lambda entry in functions/handlers.py as a zip holding only what it imports.

What a function imports is found by running it (portal/lambda_probe.py). The zip holds our code, the content (and
the build's snapshot of it, portal/content/snapshot.py) and the built assets it reads at run time, and the
distributions those imports need, with their own requirements. Those come from wheels that pip fetches for Lambda's
runtime (the Python version and processor infra/template.yaml names), at the versions installed here, so no code
compiled for the build machine is shipped. Each wheel must match its sha256 in the committed lock
(infra/lambda-lock.txt, written by `python build.py --lock`), so a file replaced on the index is refused
(portal/lambda_wheels.py). Beside each
module goes its bytecode, compiled by a CPython of the runtime's version found on this machine (none found: no
bytecode, and build.py says so). The zip is the same bytes for the same inputs: files in sorted order, fixed dates and
permissions, bytecode that names the module by its place in the zip and checks no date.
"""

import functools
import hashlib
import json
import os
import shutil
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from .config import PROJECT_ROOT
from . import compiled_templates
from .content import snapshot as content_snapshot
from .lambda_bytecode import BytecodeError, bytecode, runtime_python
from .lambda_probe import PROBE_EVENT, entries, imported_top_level_names
from .lambda_wheels import (
    AMAZON_LINUX_GLIBC,
    BOTOCORE_SERVICES,
    LOCK,
    OUR_PACKAGES,
    REFRESH_LOCK,
    SITE_PACKAGES,
    PackagingError,
    Runtime,
    _pins,
    _site_files,
    lambda_runtime,
    locked_requirements,
    read_lock,
    runtime_here,
    shipped,
    site_packages,
    write_lock,
)

__all__ = [
    "AMAZON_LINUX_GLIBC",
    "BOTOCORE_SERVICES",
    "LOCK",
    "PROBE_EVENT",
    "REFRESH_LOCK",
    "PackagingError",
    "Runtime",
    "entries",
    "imported_top_level_names",
    "lambda_runtime",
    "locked_requirements",
    "lock_all",
    "package",
    "package_all",
    "read_lock",
    "runtime_here",
    "runtime_python",
    "shipped",
    "site_packages",
    "write_lock",
]

# Run-time files besides our packages: the council's content, and the built assets (pages name them by the manifest),
# where portal/config.py looks for them by default.
ASSETS = PROJECT_ROOT / "build" / "assets"
# The content as loaded by the build, one file per digest of content/: each package holds it (_content_snapshot).
CONTENT_SNAPSHOTS = PROJECT_ROOT / "build" / "lambda-content"
# The templates compiled to modules, one folder per digest of them: each package holds them (_compiled_templates).
COMPILED_TEMPLATES = PROJECT_ROOT / "build" / "lambda-templates"
# Sources that only the build reads.
BUILD_ONLY = ("portal/assets/",)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _our_files(assets: Path) -> dict[str, Path]:
    files = {}
    for top, folder in [(top, PROJECT_ROOT / top) for top in (*OUR_PACKAGES, "content")] + [("build/assets", assets)]:
        for path in folder.rglob("*"):
            name = f"{top}/{path.relative_to(folder).as_posix()}"
            if path.is_file() and "__pycache__" not in name and not name.startswith(BUILD_ONLY):
                files[name] = path
    files[content_snapshot.NAME] = _content_snapshot(PROJECT_ROOT / "content")
    folder = _compiled_templates()
    for path in sorted(p for p in folder.rglob("*.py")):
        files[f"{compiled_templates.NAME}/{path.relative_to(folder).as_posix()}"] = path
    return files


@functools.cache  # the same for every entry of a build
def _compiled_templates() -> Path:
    """Every template compiled by the whole portal's Jinja environment, as a Lambda's app would compile it."""
    from .app import create_app

    app = create_app({"PORTAL_CONTENT": PROJECT_ROOT / "content", "PORTAL_SEND_EMAIL_EVERY": 0})
    return compiled_templates.compiled(app.jinja_env, COMPILED_TEMPLATES)


def _content_snapshot(root: Path) -> Path:
    """The content loaded, checked and rendered (portal/content/snapshot.py), kept in CONTENT_SNAPSHOTS by its digest."""
    path = CONTENT_SNAPSHOTS / f"{content_snapshot.content_digest(root)[:32]}.pickle"
    if not path.exists():
        CONTENT_SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(content_snapshot.snapshot(root))
        partial.replace(path)
    return path


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


def _compiler(runtime: Runtime | None) -> tuple[Path, str] | None:
    """The interpreter that compiles a package's bytecode: this one for runtime None, else one of the runtime's
    version."""
    if runtime is None:
        return Path(sys.executable), sys.version.split()[0]
    return runtime_python(runtime.python)


def files_for(entry: str, runtime: Runtime | None, assets: Path = ASSETS) -> dict[str, Path]:
    """Name in the zip -> file on disk: our code, content and assets, and the distributions the entry imports."""
    return _files(imported_top_level_names(entry, PROBE_EVENT, assets), runtime, assets)


def _files(imported: set[str], runtime: Runtime | None, assets: Path = ASSETS) -> dict[str, Path]:
    files = {**_site_files(site_packages(_pins(imported), runtime)), **_our_files(assets)}
    try:
        return bytecode(files, _compiler(runtime))
    except BytecodeError as error:
        raise PackagingError(str(error)) from None


def _code_digest() -> str:
    """What decides an entry's imports: our Python code and the installed distributions' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(p for top in OUR_PACKAGES for p in (PROJECT_ROOT / top).rglob("*.py")):
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + _file_digest(path))
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()


def package(entry: str, destination_dir: Path, runtime: Runtime | None, assets: Path = ASSETS) -> Path:
    """Write <destination_dir>/<entry>.zip for `runtime` (None: this interpreter)."""
    destination = destination_dir / f"{entry}.zip"
    write_zip(files_for(entry, runtime, assets), destination)
    return destination


def package_all(destination_dir: Path) -> list[Path]:
    """Every entry's zip. Entries that import the same files get the same bytes, so each distinct zip is written once.

    Probing and zipping take seconds, so both are skipped when nothing they depend on has changed.
    """
    digests_file = destination_dir / "digests.json"
    digests = _digests(destination_dir)
    imports = _probed(digests)
    runtime = lambda_runtime()
    contents = {entry: _files(names, runtime) for entry, names in imports.items()}
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
    _forget_other_installs(runtime, {site_packages(_pins(names), runtime) for names in imports.values()})
    return [destination_dir / f"{entry}.zip" for entry in contents]


def lock_all(destination_dir: Path, lock: Path = LOCK) -> int:
    """Write the lock for what every entry imports, on the template's runtime. Returns the number of wheels."""
    return write_lock(_pins(set().union(*_probed(_digests(destination_dir)).values())), lambda_runtime(), lock)


def _digests(destination_dir: Path) -> dict:
    digests_file = destination_dir / "digests.json"
    return json.loads(digests_file.read_text()) if digests_file.exists() else {}


def _probed(digests: dict) -> dict[str, set[str]]:
    """Each entry's imported top-level names, probed again only if the code or versions changed since `digests`."""
    code = _code_digest()

    def probed(entry):
        if digests.get(f"{entry} imports", {}).get("code") != code:
            names = imported_top_level_names(entry, PROBE_EVENT)
            digests[f"{entry} imports"] = {"code": code, "names": sorted(names)}
        return set(digests[f"{entry} imports"]["names"])

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the probes are separate processes
        return dict(zip(entries(), pool.map(probed, entries())))


def _forget_other_installs(runtime: Runtime, used: set[Path]) -> None:
    """Delete the runtime's installed folders this build did not use (older versions): each is about 100 MB."""
    for folder in SITE_PACKAGES.glob(f"{runtime.python}-{runtime.machine}-*"):
        if folder not in used:
            shutil.rmtree(folder, ignore_errors=True)


def _digest(files: dict[str, Path]) -> str:
    """Changes whenever a file is added, removed or changed: the build rewrites some files unchanged."""
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(name.encode() + b"\0" + _file_digest(path))
    return digest.hexdigest()


@functools.cache
def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()
