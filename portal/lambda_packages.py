"""Package each Lambda entry in functions/handlers.py as a zip holding only what it imports.

What a function imports is found by running it: a fresh Python process imports the entry, calls it once with an
API Gateway event (in a throwaway folder), then imports every module our own code names anywhere, including imports
made inside functions (WeasyPrint, boto3). The zip holds our code, the content and the built assets it reads at
run time, and the distributions those imports need, with their own requirements. Those come from wheels that pip
fetches for Lambda's runtime (the Python version and processor infra/template.yaml names), at the versions installed
here, so no code compiled for the build machine is shipped. Each wheel must match its sha256 in the committed lock
(infra/lambda-lock.txt, written by `python build.py --lock`), so a file replaced on the index is refused. Beside each
module goes its bytecode, compiled by a CPython of the runtime's version found on this machine (none found: no
bytecode, and build.py says so). The zip is the same bytes for the same inputs: files in sorted order, fixed dates and
permissions, bytecode that names the module by its place in the zip and checks no date.
"""
import functools
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from .config import PROJECT_ROOT
from .content import snapshot as content_snapshot
from .lambda_bytecode import BytecodeError, bytecode, runtime_python

OUR_PACKAGES = ("portal", "functions")
# Run-time files besides our packages: the council's content, and the built assets (pages name them by the manifest),
# where portal/config.py looks for them by default.
ASSETS = PROJECT_ROOT / "build" / "assets"
# The content as loaded by the build, one file per digest of content/: each package holds it (_content_snapshot).
CONTENT_SNAPSHOTS = PROJECT_ROOT / "build" / "lambda-content"
# Sources that only the build reads.
BUILD_ONLY = ("portal/assets/",)
TEMPLATE = PROJECT_ROOT / "infra" / "template.yaml"
# Every wheel the functions ship for the template's runtime, with its sha256 (portal/lambda_packages.write_lock).
LOCK = PROJECT_ROOT / "infra" / "lambda-lock.txt"
REFRESH_LOCK = "make lock"  # constraints.txt, then this lock (python build.py --lock)
_LOCKED = re.compile(r"(?m)^([A-Za-z0-9._-]+)==(\S+)((?:[ \t]*\\?\n?[ \t]*--hash=sha256:[0-9a-f]{64})+)")
# Wheels installed for a runtime, kept between builds (portal/lambda_packages.site_packages).
SITE_PACKAGES = PROJECT_ROOT / "build" / "lambda-site-packages"
# The glibc of the Amazon Linux under each Lambda Python runtime: 2 for 3.11, 2023 from 3.12.
AMAZON_LINUX_GLIBC = {"3.11": (2, 26), "3.12": (2, 34), "3.13": (2, 34), "3.14": (2, 34)}
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
        # Not the entries' module itself: its other entries' imports are theirs, and this entry's have just run.
        ours = [m for n, m in list(sys.modules.items()) if n.split(".")[0] in ("portal", "functions") and n not in seen
                and n != "functions.handlers" and getattr(m, "__file__", None)]
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


class PackagingError(Exception):
    """The functions cannot be packaged; the message says why."""


def entries() -> list[str]:
    """The Lambda entries: the public functions of functions/handlers.py that take (event, context)."""
    source = (PROJECT_ROOT / "functions" / "handlers.py").read_text()
    return re.findall(r"(?m)^def ([a-z][a-z0-9_]*)\(event, context\):", source)


def imported_top_level_names(entry: str, event: dict, assets: Path = ASSETS) -> set[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PORTAL_ASSETS": str(assets)}
    result = subprocess.run([sys.executable, "-c", _PROBE, entry, json.dumps(event)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True, env=env)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@dataclass(frozen=True)
class Runtime:
    """Where a package runs: Lambda's Python and processor, as infra/template.yaml names them."""
    python: str  # "3.13"
    machine: str  # "aarch64" or "x86_64"
    # Lambda's runtime ships the lock's wheels. A runtime on this machine (to run a package here under Lambda's
    # Python, as benchmarks/cold_start.py does) has no lock: pip resolves its wheels at the versions installed here.
    locked: bool = True

    @property
    def platforms(self) -> list[str]:
        """The manylinux tags whose wheels load on this runtime's Amazon Linux, newest first."""
        newest = AMAZON_LINUX_GLIBC[self.python][1]  # manylinux_2_17 is the oldest glibc wheels still target
        return [f"manylinux_2_{minor}_{self.machine}" for minor in range(newest, 16, -1)] + [f"manylinux2014_{self.machine}"]

    def pip_options(self) -> list[str]:
        abi = "cp" + self.python.replace(".", "")
        options = ["--implementation", "cp", "--python-version", self.python, "--abi", abi, "--abi", "abi3", "--abi", "none"]
        return options + [option for platform in self.platforms for option in ("--platform", platform)]

    def markers(self) -> dict[str, str]:
        """The environment markers (PEP 508) that requirements are evaluated against on this runtime. The patch
        release is taken as .0 and the kernel's release left as the build machine's: no requirement we ship asks."""
        return {"python_version": self.python, "python_full_version": f"{self.python}.0",
                "implementation_version": f"{self.python}.0", "platform_machine": self.machine,
                "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
                "platform_python_implementation": "CPython"}

    def __str__(self) -> str:
        return f"python{self.python} on {self.machine}"


def runtime_here(python: str) -> Runtime:
    """Python `python` on this machine's processor, with wheels resolved here rather than from the lock."""
    return Runtime(python, platform.machine(), locked=False)


def lambda_runtime(template: Path = TEMPLATE) -> Runtime:
    """The Runtime and Architectures of the template's Globals: every function runs on them."""
    text = template.read_text()
    pythons = set(re.findall(r"(?m)^\s+Runtime: python(\d+\.\d+)$", text))
    architectures = set(re.findall(r"(?m)^\s+Architectures: \[(arm64|x86_64)\]$", text))
    if len(pythons) != 1 or len(architectures) != 1 or not pythons <= set(AMAZON_LINUX_GLIBC):
        raise PackagingError(f"{template}: expected one Python runtime for every function (one of "
                             f"{', '.join('python' + v for v in AMAZON_LINUX_GLIBC)}) and one architecture (arm64 or x86_64)")
    return Runtime(pythons.pop(), {"arm64": "aarch64", "x86_64": "x86_64"}[architectures.pop()])


def _pins(names: set[str]) -> list[str]:
    """The installed distributions that provide `names`, at the versions the tests ran against."""
    providers = _providers()
    dists = {dist for name in names - set(sys.stdlib_module_names) - set(OUR_PACKAGES) for dist in providers.get(name, [])}
    return sorted(f"{dist}=={metadata.version(dist)}" for dist in dists)


@functools.cache
def _providers() -> dict[str, list[str]]:
    return metadata.packages_distributions()


@functools.cache
def _constraints() -> str:
    """Every installed distribution's version (but the portal's own), so that what the pins need comes at the
    versions tested here too."""
    return "\n".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
                            if d.metadata["Name"] and not _editable(d)))


def _editable(dist: metadata.Distribution) -> bool:
    return bool(json.loads(dist.read_text("direct_url.json") or "{}").get("dir_info", {}).get("editable"))


def shipped(pins: list[str], runtime: Runtime) -> dict[str, str]:
    """The distributions `pins` name and all they require on `runtime`, extras included: canonical name -> the
    version installed here. Markers are evaluated for the runtime, not for the Python running the build."""
    found: dict[str, set[str]] = {}
    todo = [(pin.split("==")[0], "") for pin in pins]
    while todo:
        name, extra = todo.pop()
        if extra in found.setdefault(canonicalize_name(name), set()):
            continue
        found[canonicalize_name(name)].add(extra)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            raise PackagingError(f"The functions need {name} on {runtime}, but it is not installed in .venv: "
                                 f"add it to pyproject.toml, then run {REFRESH_LOCK}") from None
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({**runtime.markers(), "extra": extra}):
                todo += [(requirement.name, wanted) for wanted in ("", *requirement.extras)]
    return {name: metadata.version(name) for name in found}


def read_lock(runtime: Runtime, lock: Path = LOCK) -> dict[str, tuple[str, str]]:
    """Canonical name -> (version, the lock's requirement line with its hashes)."""
    text = lock.read_text() if lock.exists() else ""
    if f"# For {runtime}:" not in text:
        raise PackagingError(f"{lock} is not a lock for {runtime}, the runtime infra/template.yaml names. "
                             f"Refresh it with {REFRESH_LOCK}, then commit it.")
    return {canonicalize_name(m[1]): (m[2], m[0]) for m in _LOCKED.finditer(text)}


def locked_requirements(pins: list[str], runtime: Runtime, lock: Path = LOCK) -> list[str]:
    """The lock's lines for what `pins` ship on `runtime`. Stops the build if the lock lacks one or has another
    version than .venv (the tests ran against .venv's)."""
    locked, lines = read_lock(runtime, lock), []
    for name, version in sorted(shipped(pins, runtime).items()):
        if name not in locked:
            raise PackagingError(f"{lock} has no {name}, which the functions now ship ({name}=={version}). "
                                 f"Refresh it with {REFRESH_LOCK}, then commit it.")
        if locked[name][0] != version:
            raise PackagingError(f"{lock} has {name}=={locked[name][0]}, but .venv has {name}=={version}. "
                                 f"Refresh it with {REFRESH_LOCK}, then commit it.")
        lines.append(locked[name][1])
    return lines


def write_lock(pins: list[str], runtime: Runtime, lock: Path = LOCK) -> int:
    """Lock what `pins` ship on `runtime`: download each wheel pip would choose for the runtime and record its sha256.
    Returns the number of wheels."""
    versions = shipped(pins, runtime)
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-input", "--no-deps", "--only-binary=:all:",
                   "--dest", scratch, *runtime.pip_options(), *(f"{name}=={v}" for name, v in sorted(versions.items()))]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: Location")]
            raise PackagingError(f"Could not fetch the functions' wheels for {runtime} (pip needs PyPI):\n"
                                 + "\n".join(errors[-15:]))
        hashes = {canonicalize_name(parse_wheel_filename(wheel.name)[0]): hashlib.sha256(wheel.read_bytes()).hexdigest()
                  for wheel in Path(scratch).glob("*.whl")}
    header = (f"# For {runtime}: every wheel the Lambda functions ship, with its sha256. build.py installs each\n"
              "# function's share with pip install --require-hashes --no-deps, so a file that changes on the index stops\n"
              f"# the build. Made by `{REFRESH_LOCK}` (portal/lambda_packages.write_lock), which downloads the wheels\n"
              "# pip chooses for the runtime at the versions in .venv; refresh it whenever those versions change.\n")
    lock.write_text(header + "".join(f"{name}=={version} \\\n    --hash=sha256:{hashes[name]}\n"
                                     for name, version in sorted(versions.items())))
    return len(versions)


def site_packages(pins: list[str], runtime: Runtime | None, lock: Path = LOCK) -> Path:
    """A folder holding `pins` and everything they require, installed from wheels for `runtime`.

    For Lambda's runtime the wheels are the lock's, each checked against its sha256: pip installs exactly the
    lock's lines for what the pins need on that runtime (`shipped`), with --no-deps, because in hash-checking mode
    every requirement, dependencies included, must be listed and hashed. runtime None means this interpreter, and an
    unlocked runtime (runtime_here) Lambda's Python on this processor (for tests and benchmarks/cold_start.py, which
    run a package here): the lock's hashes are for Lambda's wheels, not this machine's, so pip resolves the pins' requirements itself, constrained to the versions installed here, with no
    hashes. pip takes only wheels built for the runtime, so nothing compiled for the build machine is shipped. The
    folder is kept, named for its inputs (the lock's lines, hashes included), so only a change of runtime, versions or
    hashes fetches again.
    """
    if runtime and runtime.locked:
        requirements = locked_requirements(pins, runtime, lock)
        options = [*runtime.pip_options(), "--require-hashes", "--no-deps"]
        constraints = None  # the lock's lines name every distribution, so pip resolves nothing
        key = hashlib.sha256(json.dumps([options, requirements]).encode()).hexdigest()[:16]
    else:
        requirements, constraints = pins, _constraints()
        options = [*(runtime.pip_options() if runtime else []), "--constraint", "constraints.txt"]
        key = hashlib.sha256(json.dumps([sys.version, options, pins, constraints]).encode()).hexdigest()[:16]
    name = "this-machine" if runtime is None else f"{runtime.python}-{runtime.machine}"
    folder = SITE_PACKAGES / f"{name if runtime is None or runtime.locked else 'here-' + name}-{key}"
    if folder.is_dir():
        return folder
    SITE_PACKAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SITE_PACKAGES) as scratch:
        if constraints is not None:
            (Path(scratch) / "constraints.txt").write_text(constraints)
        (Path(scratch) / "requirements.txt").write_text("\n".join(requirements) + "\n")
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--no-input", "--only-binary=:all:",
                   "--target", "site", "--requirement", "requirements.txt", *options]
        result = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: Location")]
            hint = (f"\nA hash that does not match means the index now serves another file than the one {lock} "
                    f"names: find out why before refreshing it ({REFRESH_LOCK}).") if runtime else ""
            raise PackagingError(f"Could not fetch the functions' dependencies for {runtime or 'this machine'} "
                                 f"(pip needs PyPI):\n" + "\n".join(errors[-15:]) + hint)
        try:
            (Path(scratch) / "site").rename(folder)
        except OSError:
            if not folder.is_dir():  # else another build made the same folder first
                raise
    return folder


@functools.cache  # a folder's contents never change once pip has filled it
def _site_files(site: Path) -> dict[str, Path]:
    files = {}
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        # Skip pip's scripts, bytecode, and the stray tests/ package one of them ships.
        if name.startswith(("bin/", "tests/")) or "__pycache__" in name or not path.is_file():
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
    files[content_snapshot.NAME] = _content_snapshot(PROJECT_ROOT / "content")
    return files


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
