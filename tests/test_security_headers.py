"""Every response carries the design's security headers: each frozen file as the CDN serves it, and every
function route in the URL map, answered or refused (400, 403, 404, 405, 413, 503)."""

from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import urlopen


from portal import create_app

from .conftest import CONTENT
from .function_routes import function_rules, sample_url


def missing_security_headers(headers) -> list[str]:
    """What a security reviewer would flag in these response headers; empty when all is well."""
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"CSP allows unsafe code: {csp}")
    for directive, expected in {"frame-ancestors": ["'none'"], "object-src": ["'none'"], "base-uri": ["'none'"]}.items():
        if directives.get(directive) != expected:
            problems.append(f"CSP {directive} is {directives.get(directive)}")
    if "default-src" not in directives:
        problems.append("CSP has no default-src")
    hsts = headers.get("Strict-Transport-Security", "")
    max_age = [int(p.split("=")[1]) for p in hsts.split(";") if p.strip().startswith("max-age=")]
    if not max_age or max_age[0] < 31536000:
        problems.append(f"HSTS is {hsts!r}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") not in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        problems.append(f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    if "camera=()" not in headers.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy is {headers.get('Permissions-Policy')!r}")
    return problems


def fetch(url: str):
    try:
        with urlopen(url) as response:
            return response.status, response.headers
    except HTTPError as error:
        return error.code, error.headers


def test_every_frozen_file_and_the_404_page_carry_the_headers(static_site, site_dir):
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    paths = ["/" + p.relative_to(site_dir).as_posix() for p in files] + ["/no-such-page/"]
    results = {path: fetch(static_site + path) for path in paths}
    assert results["/no-such-page/"][0] == 404
    problems = {path: missing_security_headers(headers) for path, (_, headers) in results.items()}
    assert {path: found for path, found in problems.items() if found} == {}
    assert len(files) > 50


def _app(built, storage):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(storage),
            "PORTAL_BASE_URL": "http://localhost",
        }
    )


def _requests(app, values):
    """(method, url, options) for every function route: each method it takes, a method it refuses, and hostile posts."""
    for rule in function_rules(app):
        url = sample_url(app, rule, values)
        for method in ("GET", "POST"):
            yield method, url, {}
        if "POST" in rule.methods:
            yield "POST", url, {"headers": {"Sec-Fetch-Site": "cross-site"}}
            yield "POST", url, {"data": {"x": "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)}}


def test_every_function_route_carries_the_headers_whatever_it_answers(built, tmp_path):
    working = _app(built, tmp_path / "storage")
    started = working.test_client().post(f"/assessments/{next(iter(working.extensions['portal.content'].assessments))}/start")
    token = urlsplit(started.headers["Location"]).path.split("/")[3]
    broken_storage = tmp_path / "not-a-folder"
    broken_storage.write_text("storage should be a folder")
    statuses, problems = set(), {}
    for app in (working, _app(built, broken_storage)):
        client = app.test_client()
        for method, url, options in _requests(app, {"token": token}):
            response = client.open(url, method=method, **options)
            statuses.add(response.status_code)
            if found := missing_security_headers(response.headers):
                problems[f"{method} {url} {options.get('headers', '')} -> {response.status_code}"] = found
    assert problems == {}
    assert {200, 400, 403, 404, 405, 413, 503} <= statuses, statuses
    assert statuses.isdisjoint({500}), statuses
