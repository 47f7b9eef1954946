"""Whose address the council pages count and record: CloudFront's header only behind CloudFront, else the socket's;
and behind CloudFront, nothing reaches the functions without the secret header CloudFront adds."""

import pytest

from functions.council import audit
from functions.storage import open_store
from portal.headers import ORIGIN_SECRET_HEADER
from tests.officer import ADMIN, Clock, OfficerBrowser, council_app_with_officers

SECRET = "s" * 48


@pytest.fixture
def app_for(built, tmp_path):
    return lambda **config: council_app_with_officers(
        built[1], str(tmp_path / "storage"), tmp_path / "outbox", Clock(), "http://localhost", **config
    )


def _ask(app, number: int, headers: dict) -> int:
    """Ask for a sign-in link for a different stranger each time (so only the per-address limit can refuse)."""
    browser = OfficerBrowser(app.test_client(), None)
    browser.client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    return browser.ask_for_link(f"stranger{number}@example.com").status_code


def test_a_forged_viewer_address_does_not_get_round_the_sign_in_limit(app_for):
    app = app_for()
    answers = [_ask(app, n, {"CloudFront-Viewer-Address": f"203.0.113.{n}:443"}) for n in range(31)]
    assert answers == [303] * 30 + [429]


def test_behind_cloudfront_its_viewer_address_is_counted_and_audited(app_for, tmp_path):
    app = app_for(PORTAL_BEHIND_CLOUDFRONT=True)
    assert [_ask(app, n, {"CloudFront-Viewer-Address": f"203.0.113.{n}:443"}) for n in range(31)] == [303] * 31
    assert _ask(app, 99, {"CloudFront-Viewer-Address": "[2001:db8::7]:51234"}) == 303
    assert [_ask(app, 100 + n, {"CloudFront-Viewer-Address": "198.51.100.9:1"}) for n in range(31)][-1] == 429

    # An officer's request is audited with the address the limit counts.
    browser = OfficerBrowser(app.test_client(), tmp_path / "outbox")
    browser.client.environ_base["HTTP_CLOUDFRONT_VIEWER_ADDRESS"] = "192.0.2.5:9"
    browser.sign_in(ADMIN)
    store = open_store(str(tmp_path / "storage"))
    signed_in = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "signed-in"]
    assert [e["ip"] for e in signed_in] == ["192.0.2.5"]


@pytest.mark.parametrize("sent, status", [(None, 403), ("wrong", 403), ("s" * 47, 403), (SECRET, 200)])
def test_with_an_origin_secret_only_requests_through_cloudfront_are_answered(app_for, sent, status):
    app = app_for(PORTAL_BEHIND_CLOUDFRONT=True, PORTAL_ORIGIN_SECRET=SECRET)
    headers = {ORIGIN_SECRET_HEADER: sent} if sent is not None else {}
    assert app.test_client().get("/council/sign-in", headers=headers).status_code == status
    assert app.test_client().get("/council/api/openapi.json", headers=headers).status_code == status
