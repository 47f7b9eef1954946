"""build/functions/<name>.zip: a package works on its own, holds only what its entry needs, is built for Lambda's
runtime, and is the same bytes each time."""

import json
import os
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags

from portal import lambda_bytecode, lambda_packages

from .lambda_client import EVENT

# Runs with only the unzipped package and the standard library on sys.path, as Lambda's runtime would run it.
# Starts a self-assessment, follows the redirect to its task list, and prints what came back, and every module of the
# package that Python had to compile from source rather than load from the package's bytecode, and every template
# Jinja had to compile rather than load from the package's compiled templates.
IN_THE_PACKAGE = r"""
import base64, json, os, sys, sysconfig
package, event = sys.argv[1], json.loads(sys.stdin.read())
compiled, templates = [], []
sys.addaudithook(lambda name, args: name == "compile" and isinstance(args[1], str) and args[1].startswith(package)
                 and (compiled if args[1].endswith(".py") else templates).append(args[1]))
sys.path.insert(0, package)
assert not [p for p in sys.path if "site-packages" in p], sys.path
import functions.handlers as handlers

event["requestContext"]["http"]["method"] = "POST"
event["rawPath"] = event["requestContext"]["http"]["path"] = "/assessments/readiness/start"
started = handlers.assessment(event, None)
path, _, query = started["headers"]["location"].split("://", 1)[-1].partition("/")[2].partition("?")
event["requestContext"]["http"]["method"] = "GET"
event["rawPath"] = event["requestContext"]["http"]["path"] = "/" + path
event["rawQueryString"] = query
event["cookies"] = [c.split(";", 1)[0] for c in started.get("cookies", [])]
page = handlers.assessment(event, None)
body = base64.b64decode(page["body"]).decode() if page.get("isBase64Encoded") else page["body"]

import boto3  # the package's own boto3 makes the clients the functions use, with no network call
boto3.client("s3", region_name="eu-west-2"), boto3.client("sesv2", region_name="eu-west-2")
stdlib = sysconfig.get_paths()["stdlib"]
outside = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
                  and not m.__file__.startswith((package, stdlib))})
print(json.dumps({"started": started["statusCode"], "status": page["statusCode"], "headers": page["headers"],
                  "body": body, "outside": outside, "compiled": compiled, "templates": templates, "python": sys.version}))
"""


ELF_MACHINES = {"aarch64": 183, "x86_64": 62}


@pytest.fixture(scope="module")
def here():
    """(runtime, interpreter) to run a package on this machine: Lambda's Python where pyenv or PATH has it, with its
    wheels for this processor; else this interpreter, with its own."""
    version = lambda_packages.lambda_runtime().python
    found = lambda_bytecode.runtime_python(version)
    return (lambda_packages.runtime_here(version), found[0]) if found else (None, Path(sys.executable))


@pytest.fixture(scope="module")
def unpacked(built, here, tmp_path_factory):
    """The self-assessment's package built for `here`, so that it can run here: (folder, names in the zip, Python)."""
    root = tmp_path_factory.mktemp("package")
    package = lambda_packages.package("assessment", root, runtime=here[0], assets=built[1])
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root / "unpacked")
        names = archive.namelist()
    return root / "unpacked", names, here[1]


@pytest.fixture(scope="module")
def every_entry_imports():
    """Each entry's imported top-level names, every entry run afresh, as build.py does."""
    return lambda_packages._probed({})


@pytest.fixture(scope="module")
def for_lambda(built, tmp_path_factory):
    """The self-assessment's package as build.py makes it for Lambda: it holds the most compiled code (WeasyPrint,
    cryptography, Pillow)."""
    package = lambda_packages.package(
        "assessment", tmp_path_factory.mktemp("lambda"), lambda_packages.lambda_runtime(), assets=built[1]
    )
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_an_unzipped_package_serves_a_real_page_with_nothing_else_on_the_path(unpacked, tmp_path):
    directory, _, python = unpacked
    env = {
        "PATH": os.environ["PATH"],
        "PORTAL_STORAGE": str(tmp_path / "storage"),
        "PORTAL_VAR": str(tmp_path / "var"),
        "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # -S: no site-packages; -I: no PYTHONPATH, user site or current directory.
    result = subprocess.run(
        [python, "-I", "-S", "-c", IN_THE_PACKAGE, str(directory)],
        input=json.dumps(EVENT),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["started"] == 303 and answer["status"] == 200
    assert "Not yet started" in answer["body"] and "/assets/portal." in answer["body"]
    assert "frame-ancestors 'none'" in answer["headers"]["content-security-policy"]
    assert answer["outside"] == []
    assert answer["compiled"] == [], "every module it imported should have come from the package's bytecode"
    assert answer["templates"] == [], "every template it showed should have come from the package's compiled templates"
    assert list((tmp_path / "storage" / "drafts").rglob("*.json"))


def test_a_package_holds_no_test_tools_or_unused_aws_models(unpacked):
    _, names, _ = unpacked
    tops = {name.split("/")[0] for name in names}
    assert {"portal", "functions", "content", "flask", "boto3", "botocore"} <= tops
    assert not tops & {"pytest", "_pytest", "moto", "playwright", "hypothesis", "cfnlint", "tests", "var"}
    models = {n.split("/")[2] for n in names if n.startswith("botocore/data/") and n.count("/") > 3}
    assert models == lambda_packages.BOTOCORE_SERVICES
    assert "build/assets/manifest.json" in names


def test_packaging_the_same_files_gives_the_same_bytes(built, tmp_path, monkeypatch):
    """Bytecode too: compiled afresh, into another folder, from files in another place, it is the same bytes."""
    compiler = lambda_packages._compiler(lambda_packages.lambda_runtime()) or (Path(sys.executable), sys.version.split()[0])
    files = lambda_packages._our_files(built[1])
    for attempt in ("first", "second"):
        monkeypatch.setattr(lambda_bytecode, "BYTECODE", tmp_path / f"{attempt}-bytecode")
        lambda_packages.write_zip(lambda_bytecode.bytecode(files, compiler), tmp_path / f"{attempt}.zip")
        os.utime(next(iter(files.values())))  # a rebuild touches files without changing them
        moved = tmp_path / "moved"  # and another checkout holds them elsewhere
        files = {name: _copied(path, moved / name) for name, path in files.items()}
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "first.zip") as archive:
        assert "portal/__pycache__/app.cpython-" + "".join(compiler[1].split(".")[:2]) + ".pyc" in archive.namelist()


def _copied(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(source.read_bytes())
    return destination


def test_every_lambda_package_holds_bytecode_for_lambdas_python_that_checks_no_date(every_entry_imports):
    """Lambda cannot write bytecode, so without it each cold start compiles every module it imports."""
    runtime = lambda_packages.lambda_runtime()
    found = lambda_bytecode.runtime_python(runtime.python)
    if found is None:
        pytest.skip(f"no Python {runtime.python} on this machine (PATH or pyenv), so the packages hold no bytecode")
    magic = subprocess.run(
        [found[0], "-I", "-S", "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tag = "cpython-" + runtime.python.replace(".", "")
    checked = set()
    for entry, names in every_entry_imports.items():
        files = lambda_packages._files(names, runtime)
        modules = [n for n in files if n.endswith(".py")]
        pycs = {n for n in files if n.endswith(".pyc")}
        without = [n for n in modules if _pyc_name(n, tag) not in pycs]
        assert not [n for n in without if n.startswith(("portal/", "functions/"))], entry
        assert len(without) <= len(modules) // 200, f"{entry}: only modules 3.13 cannot compile go without: {without}"
        assert all(n.endswith(f".{tag}.pyc") for n in pycs), entry
        for name in pycs - checked:
            header = files[name].read_bytes()[:8]
            assert header[:4].hex() == magic, f"{name} is not {runtime.python}'s bytecode"
            # PEP 552 flags: 1, hash-based and not checked, so an unzipped file's new date does not make it stale
            assert int.from_bytes(header[4:8], "little") == 1, name
        checked |= pycs


def _pyc_name(module: str, tag: str) -> str:
    folder, _, file = module.rpartition("/")
    return f"{folder}/__pycache__/{file[:-3]}.{tag}.pyc".lstrip("/")


def test_without_lambdas_python_on_this_machine_the_build_says_so_and_ships_no_bytecode(tmp_path, monkeypatch):
    fake = tmp_path / "pyenv" / "versions" / "3.13.1" / "bin" / "python3.13"  # a broken install: it must not be used
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    lambda_bytecode.runtime_python.cache_clear()
    try:
        assert lambda_bytecode.runtime_python("3.13") is None
        assert "No Python 3.13 found on PATH or through pyenv, so the functions hold no bytecode" in lambda_bytecode.report(
            "3.13"
        )
        files = {"portal/app.py": lambda_packages.PROJECT_ROOT / "portal" / "app.py"}
        assert lambda_bytecode.bytecode(files, lambda_bytecode.runtime_python("3.13")) == files
    finally:
        lambda_bytecode.runtime_python.cache_clear()


def test_every_lambda_entry_in_the_template_is_packaged():
    template = (lambda_packages.PROJECT_ROOT / "infra" / "template.yaml").read_text()
    handlers = {
        line.split("functions.handlers.")[1].strip() for line in template.splitlines() if "Handler: functions.handlers." in line
    }
    assert handlers and handlers <= set(lambda_packages.entries())


def test_compiled_code_in_a_lambda_package_is_built_for_lambdas_python_processor_and_glibc(for_lambda):
    runtime = lambda_packages.lambda_runtime()
    glibc = lambda_packages.AMAZON_LINUX_GLIBC[runtime.python]
    libraries = {name: data for name, data in for_lambda.items() if data[:4] == b"\x7fELF"}
    assert any("cryptography/" in name for name in libraries) and any(name.startswith("PIL/") for name in libraries)
    for name, data in libraries.items():
        assert int.from_bytes(data[18:20], "little") == ELF_MACHINES[runtime.machine], f"{name} is for another processor"
        needed = {tuple(map(int, v)) for v in re.findall(rb"GLIBC_(\d+)\.(\d+)", data)}
        assert not needed or max(needed) <= glibc, f"{name} needs glibc {max(needed)}"
        if ".libs/" not in name:  # a wheel's bundled C libraries are loaded by its modules, not imported
            python = runtime.python.replace(".", "")
            assert name.endswith((f".cpython-{python}-{runtime.machine}-linux-gnu.so", ".abi3.so")), name


def test_every_wheel_in_a_lambda_package_is_one_lambdas_python_can_install(for_lambda):
    runtime = lambda_packages.lambda_runtime()
    version = tuple(map(int, runtime.python.split(".")))
    supported = {*cpython_tags(version, platforms=runtime.platforms), *compatible_tags(version, platforms=runtime.platforms)}
    wheels = {name: data.decode() for name, data in for_lambda.items() if name.endswith(".dist-info/WHEEL")}
    assert len(wheels) > 30
    for name, text in wheels.items():
        tags = {Tag(*line.split(": ", 1)[1].strip().split("-")) for line in text.splitlines() if line.startswith("Tag: ")}
        assert tags & supported, f"{name}: {sorted(map(str, tags))}"


def test_a_lambda_package_ships_only_distributions_installed_here_at_the_same_versions(for_lambda):
    """So the tests ran against what ships, and pip-audit (tests/test_audit.py), which audits .venv, covers it."""
    normal = lambda name: re.sub(r"[-_.]+", "_", name).lower()  # noqa: E731
    shipped = {normal(m[1]): m[2] for m in (re.match(r"([^/]+)-([^-/]+)\.dist-info/METADATA$", n) for n in for_lambda) if m}
    installed = {normal(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert {"flask", "boto3", "botocore", "weasyprint", "cryptography", "pillow"} <= set(shipped)
    assert shipped == {name: installed.get(name) for name in shipped}


def test_every_requirement_lambdas_python_needs_is_in_the_package(for_lambda):
    """pip chooses wheels for the runtime but evaluates requirements' markers for the Python running it (pypa/pip#11664),
    so a requirement only Python 3.13 or arm64 needs would be missing on Lambda. Extras' requirements are not checked:
    which extras were asked for is not recorded."""
    runtime = lambda_packages.lambda_runtime()
    on_lambda = {
        "python_version": runtime.python,
        "python_full_version": f"{runtime.python}.0",
        "platform_machine": runtime.machine,
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    normal = lambda name: re.sub(r"[-_.]+", "_", name).lower()  # noqa: E731
    shipped = {normal(m[1]) for m in (re.match(r"([^/]+)-[^-/]+\.dist-info/METADATA$", n) for n in for_lambda) if m}
    missing = set()
    for name, data in for_lambda.items():
        if name.endswith(".dist-info/METADATA"):
            for line in data.decode().split("\n\n", 1)[0].splitlines():
                if line.startswith("Requires-Dist: "):
                    needed = Requirement(line.removeprefix("Requires-Dist: "))
                    if (needed.marker is None or needed.marker.evaluate(on_lambda)) and normal(needed.name) not in shipped:
                        missing.add(f"{name.split('/')[0]} needs {needed}")
    assert not missing


def test_the_runtime_is_read_from_the_template_and_one_runtime_is_required(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("Globals:\n  Function:\n    Runtime: python3.12\n    Architectures: [x86_64]\n")
    runtime = lambda_packages.lambda_runtime(template)
    assert runtime == lambda_packages.Runtime("3.12", "x86_64")
    assert runtime.platforms[0] == "manylinux_2_34_x86_64" and runtime.platforms[-1] == "manylinux2014_x86_64"
    assert ["--python-version", "3.12"] == runtime.pip_options()[2:4] and "cp312" in runtime.pip_options()
    template.write_text(template.read_text() + "  Other:\n    Properties:\n      Runtime: python3.13\n")
    with pytest.raises(lambda_packages.PackagingError, match="one Python runtime"):
        lambda_packages.lambda_runtime(template)


def test_the_committed_lock_has_every_shipped_distribution_at_the_versions_installed_here(for_lambda, every_entry_imports):
    """The lock that build.py installs from names .venv's versions, for every distribution any entry ships."""
    runtime = lambda_packages.lambda_runtime()
    locked = lambda_packages.read_lock(runtime)
    assert {name: version for name, (version, _) in locked.items()} == {name: metadata.version(name) for name in locked}
    every_entry = set().union(*every_entry_imports.values())
    assert set(lambda_packages.shipped(lambda_packages._pins(every_entry), runtime)) == set(locked)
    normal = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    in_the_zip = {normal(m[1]) for m in (re.match(r"([^/]+)-[^-/]+\.dist-info/METADATA$", n) for n in for_lambda) if m}
    assert "weasyprint" in in_the_zip and in_the_zip <= set(locked)
    assert all(re.search(r"--hash=sha256:[0-9a-f]{64}$", line) for _, line in locked.values())


def _a_copy_of_the_lock(tmp_path, change):
    lock = tmp_path / "lambda-lock.txt"
    lock.write_text(change(lambda_packages.LOCK.read_text()))
    return lock


def test_a_wheel_whose_hash_is_not_the_locked_one_stops_the_build_with_pips_reason(tmp_path):
    runtime = lambda_packages.lambda_runtime()
    locked = lambda_packages.read_lock(runtime)["itsdangerous"][1]  # a small wheel that requires nothing
    digest = locked.rsplit(":", 1)[1]
    lock = _a_copy_of_the_lock(tmp_path, lambda text: text.replace(digest, digest[::-1]))
    with pytest.raises(lambda_packages.PackagingError) as raised:
        lambda_packages.site_packages([f"itsdangerous=={metadata.version('itsdangerous')}"], runtime, lock)
    assert "DO NOT MATCH THE HASHES" in str(raised.value) and digest[::-1] in str(raised.value)
    assert str(runtime) in str(raised.value)
    assert not list(lambda_packages.SITE_PACKAGES.glob("tmp*")), "a failed fetch leaves nothing behind"


def test_a_lock_without_a_distribution_a_function_ships_stops_the_build_with_the_command_to_refresh_it(tmp_path):
    runtime = lambda_packages.lambda_runtime()
    lock = _a_copy_of_the_lock(tmp_path, lambda text: re.sub(r"(?m)^markupsafe==.*\n.*\n", "", text))
    with pytest.raises(lambda_packages.PackagingError) as raised:
        lambda_packages.site_packages([f"flask=={metadata.version('flask')}"], runtime, lock)  # Jinja2 needs MarkupSafe
    assert str(lock) in str(raised.value) and "markupsafe" in str(raised.value)
    assert lambda_packages.REFRESH_LOCK in str(raised.value)


def test_a_lock_with_another_version_than_installed_here_stops_the_build(tmp_path):
    runtime = lambda_packages.lambda_runtime()
    lock = _a_copy_of_the_lock(tmp_path, lambda text: text.replace(f"flask=={metadata.version('flask')} ", "flask==0.1 "))
    with pytest.raises(lambda_packages.PackagingError) as raised:
        lambda_packages.site_packages([f"flask=={metadata.version('flask')}"], runtime, lock)
    assert "flask==0.1" in str(raised.value) and f"flask=={metadata.version('flask')}" in str(raised.value)
    assert lambda_packages.REFRESH_LOCK in str(raised.value)


def test_a_lock_for_another_runtime_stops_the_build(tmp_path):
    runtime = lambda_packages.Runtime("3.12", "x86_64")
    with pytest.raises(lambda_packages.PackagingError, match="not a lock for python3.12 on x86_64"):
        lambda_packages.site_packages([f"flask=={metadata.version('flask')}"], runtime)


def test_installs_for_older_versions_are_deleted_and_those_for_this_machine_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(lambda_packages, "SITE_PACKAGES", tmp_path)
    runtime = lambda_packages.Runtime("3.13", "aarch64")
    used, older, here = (tmp_path / name for name in ("3.13-aarch64-new", "3.13-aarch64-old", "this-machine-old"))
    for folder in (used, older, here):
        (folder / "pkg").mkdir(parents=True)
    lambda_packages._forget_other_installs(runtime, {used})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3.13-aarch64-new", "this-machine-old"]


def test_a_function_ships_only_what_its_own_pages_need():
    """A Lambda's probe follows its own imports, not those of the other entries beside it in functions/handlers.py:
    event registration ships no spreadsheet, image or PDF library; the council pages, which export, do."""
    register = lambda_packages.imported_top_level_names("register", lambda_packages.PROBE_EVENT)
    council = lambda_packages.imported_top_level_names("council", lambda_packages.PROBE_EVENT)
    assert {"flask", "icalendar", "functions", "portal"} <= register
    assert not {"openpyxl", "PIL", "weasyprint", "msoffcrypto", "Crypto"} & register
    assert {"openpyxl", "stream_zip"} <= council


def test_the_charter_function_ships_no_pdf_or_spreadsheet_library():
    """Only the council pages print the Charter's certificate (functions/charter/certificate.py)."""
    charter = lambda_packages.imported_top_level_names("charter", lambda_packages.PROBE_EVENT)
    assert {"flask", "functions", "portal"} <= charter
    assert not {"openpyxl", "PIL", "weasyprint"} & charter
