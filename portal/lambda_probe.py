"""What a Lambda entry imports, found by running it (portal/lambda_packages.py ships the distributions it names).

A fresh Python process imports the entry, calls it once with an API Gateway event (in a throwaway folder), then
imports every module our own code names anywhere, including imports made inside functions (WeasyPrint, boto3).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "build" / "assets"  # the built assets, which the probe's page names
# What the probe sends each entry: an HTTP API (payload v2) request for the home page, which renders a page.
PROBE_EVENT = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/",
    "rawQueryString": "",
    "cookies": [],
    "headers": {"host": "localhost", "accept": "text/html", "x-forwarded-proto": "https"},
    "requestContext": {
        "domainName": "localhost",
        "stage": "$default",
        "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
    },
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


def entries() -> list[str]:
    """The Lambda entries: the public functions of functions/handlers.py that take (event, context)."""
    source = (PROJECT_ROOT / "functions" / "handlers.py").read_text()
    return re.findall(r"(?m)^def ([a-z][a-z0-9_]*)\(event, context\):", source)


def imported_top_level_names(entry: str, event: dict, assets: Path = ASSETS) -> set[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PORTAL_ASSETS": str(assets)}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, entry, json.dumps(event)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))
