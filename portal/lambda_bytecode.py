"""Bytecode for a Lambda package, compiled by a CPython of Lambda's version found on this machine.

Bytecode depends on Python's version, not on the processor, so a CPython 3.13 here compiles what Lambda's 3.13 on
arm64 loads. None is downloaded: where there is none, the packages go without (portal/lambda_packages.py).
"""

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .config import PROJECT_ROOT

# Bytecode compiled for the packages, one file per module's name, source and compiler (bytecode below).
BYTECODE = PROJECT_ROOT / "build" / "lambda-bytecode"


class BytecodeError(Exception):
    """The compiler itself failed (not a module it cannot compile); the message says why."""


_COMPILE = r"""
import json, py_compile, sys
for source, name, target in json.load(sys.stdin):
    try:  # dfile: the module is named by its place in the zip, not the build machine's path, so the bytes repeat
        py_compile.compile(source, target, name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError:
        pass  # not Python this version compiles (olefile ships a Python 2 module nothing imports): ships as source
"""


@functools.cache
def runtime_python(version: str) -> tuple[Path, str] | None:
    """A CPython `version` ("3.13") on this machine, on PATH or installed by pyenv, and its full version: None if
    there is none. Never downloads one. pyenv's shims are on PATH but fail for a version not selected, so each
    candidate is run to check."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    installed = [
        p
        for p in pyenv_root.glob(f"versions/{version}.*/bin/python{version}")
        if re.fullmatch(rf"{re.escape(version)}\.\d+", p.parent.parent.name)
    ]  # not 3.13.0t and the like
    installed.sort(key=lambda p: int(p.parent.parent.name.rsplit(".", 1)[1]), reverse=True)  # newest patch first
    for candidate in [shutil.which(f"python{version}"), *installed]:
        if not candidate:
            continue
        try:
            result = subprocess.run(
                [candidate, "-I", "-S", "-c", "import sys; print(sys.implementation.cache_tag, sys.version.split()[0])"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except OSError:
            continue
        tag, _, full = result.stdout.strip().partition(" ")
        if result.returncode == 0 and tag == "cpython-" + version.replace(".", ""):
            return Path(candidate), full
    return None


def bytecode(files: dict[str, Path], compiler: tuple[Path, str] | None) -> dict[str, Path]:
    """`files` and, beside each Python module, `__pycache__/<module>.<tag>.pyc` compiled by `compiler`.

    Lambda's /var/task is read-only, so without these every cold start compiles every module it imports. The .pyc
    files are unchecked-hash ones (PEP 552): Python loads them without looking at the source's date, which unzipping
    changes, or hashing the source, which would cost a read of every module. The package never changes once
    deployed, so there is nothing to check. Each is kept in BYTECODE, named for the module's name, source and the
    compiler's version, so a rebuild compiles only what changed and gives the same bytes.
    """
    if compiler is None:
        return dict(files)
    python, version = compiler
    tag = "cpython-" + "".join(version.split(".")[:2])
    folder = BYTECODE / f"{tag}-{version}"
    wanted = {}
    for name, path in files.items():
        if name.endswith(".py"):
            head, _, module = name.rpartition("/")
            key = hashlib.sha256(name.encode() + b"\0" + _source_digest(path)).hexdigest()
            wanted[f"{head}/__pycache__/{module[:-3]}.{tag}.pyc".lstrip("/")] = (path, name, folder / key[:2] / f"{key}.pyc")
    missing = [(str(path), name, str(target)) for path, name, target in wanted.values() if not target.exists()]
    if missing:
        for _, _, target in missing:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        shares = [missing[i :: os.cpu_count() or 1] for i in range(os.cpu_count() or 1)]
        with ThreadPoolExecutor(max_workers=len(shares)) as pool:  # each share compiles in a process of its own
            for result in pool.map(
                lambda share: subprocess.run(
                    [str(python), "-I", "-S", "-c", _COMPILE], input=json.dumps(share), capture_output=True, text=True
                ),
                shares,
            ):
                if result.returncode != 0:
                    raise BytecodeError(f"Compiling the functions' bytecode with {python} failed:\n{result.stderr[-2000:]}")
    return {**files, **{pyc: target for pyc, (_, _, target) in wanted.items() if target.exists()}}


@functools.cache  # a build reads each module once, though every entry's package holds it
def _source_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def report(version: str) -> str:
    """A line for build.py: which Python compiled the packages' bytecode, or that none could."""
    found = runtime_python(version)
    if found:
        return f"Compiled the functions' bytecode with {found[0]} (Python {found[1]}; Lambda's is {version})"
    return (
        f"No Python {version} found on PATH or through pyenv, so the functions hold no bytecode and each cold "
        f"start compiles every module it imports: install Python {version} (pyenv install {version}) and build again"
    )
