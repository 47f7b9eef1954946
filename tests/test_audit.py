"""No dependency has a known vulnerability, unless tests/known_vulnerabilities.toml accepts it with a reason.

Both audits ask their registry over the network (PyPI's JSON API, the npm registry's advisories).
"""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT

ALLOWED = tomllib.loads((Path(__file__).parent / "known_vulnerabilities.toml").read_text())["vulnerability"]


def test_every_accepted_vulnerability_says_why():
    for entry in ALLOWED:
        assert entry.get("id") and entry.get("package") and len(entry.get("reason", "")) > 20, entry


def _unaccepted(found: list[tuple[str, str, list[str]]]) -> list[str]:
    """found: (package, version, ids that name one vulnerability) -> those no allow-list entry covers."""
    accepted = {(entry["package"].lower(), entry["id"]) for entry in ALLOWED}
    return [
        f"{package} {version}: {' / '.join(ids)}"
        for package, version, ids in found
        if not any((package.lower(), i) in accepted for i in ids)
    ]


def test_python_dependencies_have_no_known_vulnerabilities():
    pip_audit = Path(sys.executable).parent / "pip-audit"
    # Every package installed in .venv (the functions' dependencies and the tools'), except the portal itself.
    result = subprocess.run(
        [str(pip_audit), "--local", "--skip-editable", "--progress-spinner", "off", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout or "{}")
    assert "dependencies" in report, f"pip-audit did not run:\n{result.stderr}"
    assert len(report["dependencies"]) > 50
    found = [
        (d["name"], d["version"], [v["id"], *v.get("aliases", [])]) for d in report["dependencies"] for v in d.get("vulns", [])
    ]
    assert _unaccepted(found) == []


def test_npm_dependencies_have_no_known_vulnerabilities():
    result = subprocess.run(["npm", "audit", "--json"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout or "{}")
    if "vulnerabilities" not in report:
        # Some networks let the registry's downloads (GET) through but refuse its advisories endpoint (POST).
        refused = report.get("statusCode") in (403, 405) or report.get("code") in ("ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT")
        assert refused, f"npm audit did not run:\n{result.stdout}{result.stderr}"
        pytest.skip(f"this network refuses npm's advisories endpoint: {report.get('message')}")
    found = [
        (
            name,
            item.get("range", ""),
            [str(v.get("url", v.get("source", ""))).rsplit("/", 1)[-1] for v in item["via"] if isinstance(v, dict)] or [name],
        )
        for name, item in report["vulnerabilities"].items()
    ]
    assert _unaccepted(found) == []
