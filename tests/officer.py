"""A council officer signing in and using the council pages with a test client, and a clock tests can move on."""

import email
import re
import urllib.request
from datetime import datetime, timedelta, timezone
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

from tests.supplier import CSRF

ADMIN, VIEWER = "admin@exampleshire.gov.uk", "viewer@exampleshire.gov.uk"

LINK = re.compile(r"https?://\S+?(/council/sign-in/[A-Za-z0-9_-]+)")


class Clock:
    """PORTAL_CLOCK for tests: the time moves on a microsecond each time it is read (so records keep their order),
    and otherwise only when a test moves it on."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) or match.group(2)


def emails_to(outbox: Path, address: str) -> list:
    found = []
    for file in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(file.read_bytes(), policy=policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def next_email_to(outbox: Path, address: str, known: int, timeout: float = 10):
    """The newest email to `address` once there are more than `known`: a sign-in link's email is delivered just
    after the answer, so a browser can be on the next page before it is in the outbox."""
    import time

    deadline = time.monotonic() + timeout
    while len(found := emails_to(outbox, address)) <= known:
        assert time.monotonic() < deadline, f"no new email to {address} within {timeout} s"
        time.sleep(0.05)
    return found[-1]


def link_in(message) -> str:
    """The path of the sign-in link in an email."""
    return LINK.search(message.get_content()).group(1)


class OfficerBrowser:
    def __init__(self, client, outbox: Path):
        self.client = client
        self.outbox = outbox

    def post(self, url, data=None, form_page=None):
        page = self.client.get(form_page or url)
        response = self.client.post(url, data={**(data or {}), "csrf_token": csrf(page.get_data(as_text=True))})
        response.close()  # as a server does once the answer is sent: what the view left for then (an email) runs
        return response

    def ask_for_link(self, address: str):
        return self.post("/council/sign-in", {"email": address})

    def use_link(self, path: str):
        return self.post(path)

    def sign_in(self, address: str):
        response = self.ask_for_link(address)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        response = self.use_link(link_in(emails_to(self.outbox, address)[-1]))
        assert response.status_code == 303 and urlsplit(response.headers["Location"]).path.startswith("/council/")
        return response


def signed_in(app, address: str, outbox: Path) -> OfficerBrowser:
    """An officer signed in to `app` by the emailed link, as a person would be."""
    officer = OfficerBrowser(app.test_client(), outbox)
    officer.sign_in(address)
    return officer


def follow(officer, response, store=None) -> bytes:
    """The bytes behind a council download's link: S3's over HTTP, the file store's through the app."""
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    link = response.headers["Location"]
    if link.startswith("http"):
        with urllib.request.urlopen(link, timeout=10) as download:
            return download.read()
    download = officer.client.get(link)
    assert download.headers["Content-Disposition"].startswith("attachment;")
    return download.get_data()


def send_submission(app, store, organisation: str = "Acme Cleaning Ltd", clock=None) -> str:
    """A whole self-assessment sent, written with the app's own record layer as the assessment function would;
    set-up, not under test. Returns the reference."""
    from functions.assessment import plans as crp
    from functions.assessment.records import Drafts
    from portal.questionnaire import progress
    from portal.questionnaire.answers import parse_answer
    from tests.supplier import example_answer

    assessment = app.extensions["portal.content"].assessment("readiness")
    answers = {}
    for section in assessment.sections:
        for question in section.questions:  # in order, so that a question's show_if sees the answers before it
            if question in progress.shown_questions(section, answers):
                answers[question.id] = parse_answer(question, example_answer(question))
    answers["organisation_name"] = organisation
    drafts = Drafts(store, clock=clock) if clock else Drafts(store)
    draft = drafts.start(assessment)
    draft = drafts.save(assessment, draft, answers=answers, completed=tuple(s.id for s in assessment.sections))
    with app.app_context():
        return drafts.submit(assessment, draft, plan_check=crp.record_check(assessment))["reference"]


def council_app_with_officers(assets: Path, storage_url: str, outbox: Path, clock: Clock, base_url: str, **config):
    """The portal with an admin and a viewer already added, emailing into `outbox`, on `clock`'s time."""
    from functions.council.officers import Officers
    from functions.storage import open_store
    from portal import create_app
    from tests.conftest import CONTENT

    app = create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": assets,
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{outbox}",
            "PORTAL_BASE_URL": base_url,
            "PORTAL_CLOCK": clock,
            **config,
        }
    )
    officers = Officers(open_store(storage_url))
    officers.add(ADMIN, "admin")
    officers.add(VIEWER, "viewer")
    return app
