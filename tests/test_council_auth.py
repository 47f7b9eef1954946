"""Officers sign in by single-use emailed link; sessions expire and end on the server; every council route is guarded."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from functions.council.officers import Officers
from functions.storage import open_store
from tests.officer import ADMIN, VIEWER, council_app_with_officers, OfficerBrowser, csrf, emails_to, link_in


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return council_app_with_officers(
        built[1], storage_url, tmp_path / "outbox", clock, "https://portal.example", SESSION_COOKIE_SECURE=True
    )


@pytest.fixture
def browser_for(council_app, tmp_path):
    return lambda: OfficerBrowser(council_app.test_client(), tmp_path / "outbox")


@pytest.fixture
def officer(browser_for):
    return browser_for()


def is_sign_in_redirect(response) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.headers["Location"]).path == "/council/sign-in"


def test_add_officer_prints_a_link_that_signs_them_in(council_app, officer):
    result = council_app.test_cli_runner().invoke(args=["add-officer", "New.Person@Exampleshire.gov.uk", "--role", "admin"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://portal.example/council/sign-in/")
    response = officer.use_link(urlsplit(link).path)
    assert response.status_code == 303
    page = officer.client.get("/council/audit/")  # an admin's page
    assert page.status_code == 200
    assert "Signed in as new.person@exampleshire.gov.uk (admin)" in page.get_data(as_text=True)


def test_add_officer_refuses_a_bad_address_and_role(council_app):
    runner = council_app.test_cli_runner()
    assert runner.invoke(args=["add-officer", "not an address"]).exit_code != 0
    assert runner.invoke(args=["add-officer", "a@b.gov.uk", "--role", "owner"]).exit_code != 0


def test_sign_in_page_says_the_same_for_strangers_and_sends_them_nothing(officer, tmp_path):
    known = officer.ask_for_link(VIEWER)
    unknown = officer.ask_for_link("stranger@example.com")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(emails_to(tmp_path / "outbox", VIEWER)) == 1
    assert emails_to(tmp_path / "outbox", "stranger@example.com") == []


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("x" * 5000 + "@example.com", "Enter an email address in the correct format"),
    ],
)
def test_sign_in_with_a_bad_address_explains(officer, typed, message):
    response = officer.ask_for_link(typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and message in html and "<title>Error: " in html


def test_link_works_once(officer, browser_for, tmp_path):
    officer.ask_for_link(VIEWER)
    path = link_in(emails_to(tmp_path / "outbox", VIEWER)[-1])
    assert officer.use_link(path).status_code == 303
    again = browser_for()
    second = again.client.get(path)
    assert second.status_code == 410 and "already been used" in second.get_data(as_text=True)
    # Posting the button from a page opened before the first use is refused too.
    token = csrf(again.client.get("/council/sign-in").get_data(as_text=True))
    assert again.client.post(path, data={"csrf_token": token}).status_code == 410
    assert is_sign_in_redirect(again.client.get("/council/submissions/"))


def test_link_expires_after_15_minutes(officer, tmp_path, clock):
    officer.ask_for_link(VIEWER)
    path = link_in(emails_to(tmp_path / "outbox", VIEWER)[-1])
    clock.advance(minutes=15, seconds=1)
    response = officer.client.get(path)
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)


def test_made_up_link_is_not_found(officer):
    response = officer.client.get("/council/sign-in/made-up-token")
    assert response.status_code == 404 and "do not recognise this link" in response.get_data(as_text=True)


def test_sign_in_requests_are_rate_limited_per_address(officer, browser_for, tmp_path, clock):
    for _ in range(5):
        assert officer.ask_for_link(VIEWER).status_code == 303
    refused = browser_for().ask_for_link(VIEWER)  # a fresh browser: the limit is kept in storage, not the session
    assert refused.status_code == 429 and "Too many sign-in requests" in refused.get_data(as_text=True)
    assert len(emails_to(tmp_path / "outbox", VIEWER)) == 5
    clock.advance(minutes=15)
    assert officer.ask_for_link(VIEWER).status_code == 303


def test_signed_in_cookie_is_secure_httponly_and_lax(officer):
    response = officer.sign_in(VIEWER)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_returns_to_the_page_asked_for(officer):
    asked = officer.client.get("/council/notifications")
    assert is_sign_in_redirect(asked)
    officer.client.get(asked.headers["Location"])
    response = officer.post(
        "/council/sign-in", {"email": VIEWER, "next": "/council/notifications"}, form_page=asked.headers["Location"]
    )
    assert response.status_code == 303
    path = link_in(emails_to(officer.outbox, VIEWER)[-1])
    assert urlsplit(officer.use_link(path).headers["Location"]).path == "/council/notifications"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/council/", "/council/\\evil", "/events/"])
def test_sign_in_never_sends_anyone_to_another_site(officer, target):
    officer.post("/council/sign-in", {"email": VIEWER, "next": target})
    response = officer.use_link(link_in(emails_to(officer.outbox, VIEWER)[-1]))
    assert response.headers["Location"].endswith("/council/submissions/")


def test_session_ends_after_30_idle_minutes_and_says_why(officer, clock):
    officer.sign_in(VIEWER)
    clock.advance(minutes=29)
    assert officer.client.get("/council/submissions/").status_code == 200  # activity moves the timeout on
    clock.advance(minutes=29)
    assert officer.client.get("/council/submissions/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = officer.client.get("/council/submissions/")
    assert is_sign_in_redirect(response)
    assert "You were signed out" in officer.client.get(response.headers["Location"]).get_data(as_text=True)


def test_page_says_when_the_session_will_end_and_staying_signed_in_moves_it(officer, clock):
    officer.sign_in(VIEWER)
    html = officer.client.get("/council/submissions/").get_data(as_text=True)
    first = re.search(r"we will sign you out at (\d+:\d\d[ap]m)", html).group(1)
    clock.advance(minutes=20)
    response = officer.post("/council/stay-signed-in", {"back": "/council/notifications"}, form_page="/council/notifications")
    assert response.status_code == 303 and response.headers["Location"].endswith("/council/notifications")
    later = re.search(
        r"we will sign you out at (\d+:\d\d[ap]m)", officer.client.get("/council/notifications").get_data(as_text=True)
    ).group(1)
    assert later != first


def test_session_lasts_8_hours_at_most_however_busy(officer, clock):
    officer.sign_in(VIEWER)
    for _ in range(7 * 4 + 3):  # every 15 minutes for 7 hours 45 minutes
        clock.advance(minutes=15)
        assert officer.client.get("/council/notifications").status_code == 200
    assert "the longest we allow" in officer.client.get("/council/notifications").get_data(as_text=True)
    clock.advance(minutes=15, seconds=1)
    assert is_sign_in_redirect(officer.client.get("/council/notifications"))


def test_sign_out_ends_the_session_on_the_server(officer, browser_for):
    officer.sign_in(VIEWER)
    stolen = officer.client.get_cookie("session").value
    response = officer.post("/council/sign-out", form_page="/council/submissions/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/council/signed-out")
    thief = browser_for()
    thief.client.set_cookie("session", stolen)  # the cookie as it was before signing out
    assert is_sign_in_redirect(thief.client.get("/council/submissions/"))


def test_state_changes_without_a_csrf_token_are_refused(officer):
    officer.sign_in(VIEWER)
    response = officer.client.post("/council/sign-out")
    assert response.status_code == 400
    assert officer.client.get("/council/submissions/").status_code == 200  # still signed in


def test_disabled_officer_is_signed_out(officer, council_app, storage_url):
    officer.sign_in(VIEWER)
    officers = Officers(open_store(storage_url))
    officers.change(officers.find(VIEWER), disabled=True)
    assert is_sign_in_redirect(officer.client.get("/council/submissions/"))


# Every council route, found from the URL map: anonymous requests go to sign-in; admins' pages refuse viewers.


def _council_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("council.")]


def _sample(rule) -> str:
    return re.sub(r"<[^>]+>", "x", rule.rule)


def test_every_council_route_sends_anonymous_requests_to_sign_in(council_app, officer):
    public = {"council.sign_in", "council.check_email", "council.use_link", "council.signed_out"}
    rules = _council_rules(council_app)
    assert len(rules) > len(public)
    for rule in rules:
        if rule.endpoint in public:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            page = officer.client.get("/council/sign-in")  # a real CSRF token, so only the sign-in check can refuse
            response = officer.client.open(_sample(rule), method=method, data={"csrf_token": csrf(page.get_data(as_text=True))})
            assert is_sign_in_redirect(response), (method, rule.rule, response.status_code)
            if method == "GET":
                assert parse_qs(urlsplit(response.headers["Location"]).query)["next"] == [_sample(rule)]


def test_every_admin_route_refuses_a_viewer(council_app, officer):
    officer.sign_in(VIEWER)
    admin_only = [
        rule for rule in _council_rules(council_app) if getattr(council_app.view_functions[rule.endpoint], "admin_only", False)
    ]
    assert {rule.endpoint for rule in admin_only} >= {"council.audit_log", "council.audit_export"}
    token = csrf(officer.client.get("/council/submissions/").get_data(as_text=True))  # so only the role refuses
    for rule in admin_only:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = officer.client.open(_sample(rule), method=method, data={"csrf_token": token})
            assert response.status_code == 403, (method, rule.rule)
            assert "Only administrators of the portal can see this page" in response.get_data(as_text=True)


def test_add_officer_link_can_name_the_local_address(council_app):
    result = council_app.test_cli_runner().invoke(args=["add-officer", VIEWER, "--base-url", "http://127.0.0.1:8000"])
    assert result.output.strip().splitlines()[-1].startswith("http://127.0.0.1:8000/council/sign-in/")


# flask --app portal disable-officer EMAIL


def test_disable_officer_ends_their_sessions_and_is_audited(council_app, browser_for, storage_url, tmp_path):
    from functions.council import audit

    first, second, admin = browser_for(), browser_for(), browser_for()
    first.sign_in(VIEWER)
    second.sign_in(VIEWER)
    admin.sign_in(ADMIN)
    result = council_app.test_cli_runner().invoke(args=["disable-officer", VIEWER.upper()])
    assert result.exit_code == 0, result.output
    assert f"Disabled {VIEWER}: they can no longer sign in" in result.output and "Ended 2 open sessions." in result.output
    assert Officers(open_store(storage_url)).find(VIEWER).disabled
    assert is_sign_in_redirect(first.client.get("/council/submissions/"))
    assert is_sign_in_redirect(second.client.get("/council/submissions/"))
    assert admin.client.get("/council/submissions/").status_code == 200  # nobody else is signed out

    # The sessions ended on the server: letting the officer back in does not bring an old cookie back to life.
    assert council_app.test_cli_runner().invoke(args=["add-officer", VIEWER]).exit_code == 0
    assert is_sign_in_redirect(first.client.get("/council/submissions/"))

    store = open_store(storage_url)
    [logged] = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "disabled-officer"]
    assert logged["subject"] == VIEWER and logged["who"] == "system" and logged["details"]["sessions_ended"] == 2


def test_a_disabled_officer_cannot_ask_for_a_link(council_app, browser_for, tmp_path):
    council_app.test_cli_runner().invoke(args=["disable-officer", VIEWER])
    sent = len(emails_to(tmp_path / "outbox", VIEWER))
    assert browser_for().ask_for_link(VIEWER).status_code == 303  # the page says the same as for anyone
    assert len(emails_to(tmp_path / "outbox", VIEWER)) == sent


def test_disabling_twice_says_so(council_app):
    runner = council_app.test_cli_runner()
    runner.invoke(args=["disable-officer", VIEWER])
    again = runner.invoke(args=["disable-officer", VIEWER])
    assert again.exit_code == 0 and f"{VIEWER} was already disabled." in again.output and "Ended 0 open sessions." in again.output


@pytest.mark.parametrize("email", ["nobody@exampleshire.gov.uk", "not an address"])
def test_disable_officer_explains_an_unknown_email_and_changes_nothing(council_app, storage_url, email):
    result = council_app.test_cli_runner().invoke(args=["disable-officer", email])
    assert result.exit_code != 0
    assert f"There is no council officer with the email address {email}" in result.output
    assert not Officers(open_store(storage_url)).find(VIEWER).disabled
