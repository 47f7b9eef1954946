"""The wheels a Lambda package ships: for Lambda's Python and processor (infra/template.yaml), at the versions
installed here, each checked against its sha256 in the committed lock (infra/lambda-lock.txt)."""

import functools
import hashlib
import json
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from .config import PROJECT_ROOT

OUR_PACKAGES = ("portal", "functions")
TEMPLATE = PROJECT_ROOT / "infra" / "template.yaml"
# Every wheel the functions ship for the template's runtime, with its sha256 (write_lock below).
LOCK = PROJECT_ROOT / "infra" / "lambda-lock.txt"
REFRESH_LOCK = "make lock"  # constraints.txt, then this lock (python build.py --lock)
_LOCKED = re.compile(r"(?m)^([A-Za-z0-9._-]+)==(\S+)((?:[ \t]*\\?\n?[ \t]*--hash=sha256:[0-9a-f]{64})+)")
# Wheels installed for a runtime, kept between builds (site_packages below).
SITE_PACKAGES = PROJECT_ROOT / "build" / "lambda-site-packages"
# The glibc of the Amazon Linux under each Lambda Python runtime: 2 for 3.11, 2023 from 3.12.
AMAZON_LINUX_GLIBC = {"3.11": (2, 26), "3.12": (2, 34), "3.13": (2, 34), "3.14": (2, 34)}
# botocore ships a model of every AWS service (about 25 MB); the functions call only these.
BOTOCORE_SERVICES = {"s3", "sesv2"}
_BOTOCORE_SERVICE_DATA = re.compile(r"botocore/data/([^/]+)/")


class PackagingError(Exception):
    """The functions cannot be packaged; the message says why."""


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
        return {
            "python_version": self.python,
            "python_full_version": f"{self.python}.0",
            "implementation_version": f"{self.python}.0",
            "platform_machine": self.machine,
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }

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
        raise PackagingError(
            f"{template}: expected one Python runtime for every function (one of "
            f"{', '.join('python' + v for v in AMAZON_LINUX_GLIBC)}) and one architecture (arm64 or x86_64)"
        )
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
    return "\n".join(
        sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata["Name"] and not _editable(d))
    )


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
            raise PackagingError(
                f"The functions need {name} on {runtime}, but it is not installed in .venv: "
                f"add it to pyproject.toml, then run {REFRESH_LOCK}"
            ) from None
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({**runtime.markers(), "extra": extra}):
                todo += [(requirement.name, wanted) for wanted in ("", *requirement.extras)]
    return {name: metadata.version(name) for name in found}


def read_lock(runtime: Runtime, lock: Path = LOCK) -> dict[str, tuple[str, str]]:
    """Canonical name -> (version, the lock's requirement line with its hashes)."""
    text = lock.read_text() if lock.exists() else ""
    if f"# For {runtime}:" not in text:
        raise PackagingError(
            f"{lock} is not a lock for {runtime}, the runtime infra/template.yaml names. "
            f"Refresh it with {REFRESH_LOCK}, then commit it."
        )
    return {canonicalize_name(m[1]): (m[2], m[0]) for m in _LOCKED.finditer(text)}


def locked_requirements(pins: list[str], runtime: Runtime, lock: Path = LOCK) -> list[str]:
    """The lock's lines for what `pins` ship on `runtime`. Stops the build if the lock lacks one or has another
    version than .venv (the tests ran against .venv's)."""
    locked, lines = read_lock(runtime, lock), []
    for name, version in sorted(shipped(pins, runtime).items()):
        if name not in locked:
            raise PackagingError(
                f"{lock} has no {name}, which the functions now ship ({name}=={version}). "
                f"Refresh it with {REFRESH_LOCK}, then commit it."
            )
        if locked[name][0] != version:
            raise PackagingError(
                f"{lock} has {name}=={locked[name][0]}, but .venv has {name}=={version}. "
                f"Refresh it with {REFRESH_LOCK}, then commit it."
            )
        lines.append(locked[name][1])
    return lines


def write_lock(pins: list[str], runtime: Runtime, lock: Path = LOCK) -> int:
    """Lock what `pins` ship on `runtime`: download each wheel pip would choose for the runtime and record its sha256.
    Returns the number of wheels."""
    versions = shipped(pins, runtime)
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-input",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            scratch,
            *runtime.pip_options(),
            *(f"{name}=={v}" for name, v in sorted(versions.items())),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: Location")]
            raise PackagingError(
                f"Could not fetch the functions' wheels for {runtime} (pip needs PyPI):\n" + "\n".join(errors[-15:])
            )
        hashes = {
            canonicalize_name(parse_wheel_filename(wheel.name)[0]): hashlib.sha256(wheel.read_bytes()).hexdigest()
            for wheel in Path(scratch).glob("*.whl")
        }
    header = (
        f"# For {runtime}: every wheel the Lambda functions ship, with its sha256. build.py installs each\n"
        "# function's share with pip install --require-hashes --no-deps, so a file that changes on the index stops\n"
        f"# the build. Made by `{REFRESH_LOCK}` (write_lock below), which downloads the wheels\n"
        "# pip chooses for the runtime at the versions in .venv; refresh it whenever those versions change.\n"
    )
    lock.write_text(
        header
        + "".join(f"{name}=={version} \\\n    --hash=sha256:{hashes[name]}\n" for name, version in sorted(versions.items()))
    )
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
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--no-input",
            "--only-binary=:all:",
            "--target",
            "site",
            "--requirement",
            "requirements.txt",
            *options,
        ]
        result = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: Location")]
            hint = (
                (
                    f"\nA hash that does not match means the index now serves another file than the one {lock} "
                    f"names: find out why before refreshing it ({REFRESH_LOCK})."
                )
                if runtime
                else ""
            )
            raise PackagingError(
                f"Could not fetch the functions' dependencies for {runtime or 'this machine'} "
                f"(pip needs PyPI):\n" + "\n".join(errors[-15:]) + hint
            )
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
