"""build/functions/<name>.zip: a package works on its own, holds only what its entry needs, and is the same bytes each time."""
import json
import os
import subprocess
import sys
import zipfile

import pytest

from portal import lambda_packages

from .lambda_client import EVENT

# Runs with only the unzipped package and the standard library on sys.path, as Lambda's runtime would run it.
# Starts a self-assessment, follows the redirect to its task list, and prints what came back.
IN_THE_PACKAGE = r"""
import base64, json, os, sys, sysconfig
package, event = sys.argv[1], json.loads(sys.stdin.read())
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
                  "body": body, "outside": outside}))
"""


@pytest.fixture(scope="module")
def unpacked(built, tmp_path_factory):
    root = tmp_path_factory.mktemp("package")
    package = lambda_packages.package("assessment", root, assets=built[1])
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root / "unpacked")
        names = archive.namelist()
    return root / "unpacked", names


def test_an_unzipped_package_serves_a_real_page_with_nothing_else_on_the_path(unpacked, tmp_path):
    directory, _ = unpacked
    env = {"PATH": os.environ["PATH"], "PORTAL_STORAGE": str(tmp_path / "storage"), "PORTAL_VAR": str(tmp_path / "var"),
           "PORTAL_SECRET_KEY": "a-test-key-that-is-long-enough-to-sign-cookies", "PYTHONDONTWRITEBYTECODE": "1"}
    # -S: no site-packages; -I: no PYTHONPATH, user site or current directory.
    result = subprocess.run([sys.executable, "-I", "-S", "-c", IN_THE_PACKAGE, str(directory)], input=json.dumps(EVENT),
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["started"] == 303 and answer["status"] == 200
    assert "Not yet started" in answer["body"] and "/assets/portal." in answer["body"]
    assert "frame-ancestors 'none'" in answer["headers"]["content-security-policy"]
    assert answer["outside"] == []
    assert list((tmp_path / "storage" / "drafts").rglob("*.json"))


def test_a_package_holds_no_test_tools_bytecode_or_unused_aws_models(unpacked):
    _, names = unpacked
    tops = {name.split("/")[0] for name in names}
    assert {"portal", "functions", "content", "flask", "boto3", "botocore"} <= tops
    assert not tops & {"pytest", "_pytest", "moto", "playwright", "hypothesis", "cfnlint", "tests", "var"}
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    models = {n.split("/")[2] for n in names if n.startswith("botocore/data/") and n.count("/") > 3}
    assert models == lambda_packages.BOTOCORE_SERVICES
    assert "build/assets/manifest.json" in names


def test_packaging_the_same_files_gives_the_same_bytes(built, tmp_path):
    files = lambda_packages._our_files(built[1])
    lambda_packages.write_zip(files, tmp_path / "first.zip")
    os.utime(next(iter(files.values())))  # a rebuild touches files without changing them
    lambda_packages.write_zip(files, tmp_path / "second.zip")
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()


def test_every_lambda_entry_in_the_template_is_packaged():
    template = (lambda_packages.PROJECT_ROOT / "infra" / "template.yaml").read_text()
    handlers = {line.split("functions.handlers.")[1].strip() for line in template.splitlines() if "Handler: functions.handlers." in line}
    assert handlers and handlers <= set(lambda_packages.entries())
