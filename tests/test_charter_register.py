"""The public register of Charter signatories (issue 20, item 3): frozen by build.py from storage, read-only; only
approved signatories, only what they agreed to publish, never an email address; filters as pages."""

import pytest

from build import build
from functions.storage import open_store

from .charter_people import approve, charter_app, sign_up_and_confirm
from .conftest import CONTENT
from functions.charter.signatories import Signatories
from .officer import Clock


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


def ids_by_email(storage_url) -> dict:
    return {r["details"]["email"]: r["id"] for r in Signatories(open_store(storage_url), Clock()).everyone()}


def listing(store) -> list[tuple[str, bytes]]:
    return [(key, store.read(key)) for key in store.keys("")]


@pytest.fixture
def signed(built, storage_url, outbox):
    """Three sign-ups: one approved that publishes its statement, one approved that publishes its signatory, one
    still waiting for officers."""
    app = charter_app(built[1], storage_url, outbox)
    client = app.test_client()
    sign_up_and_confirm(client, outbox, 1, size="micro", commitments=["carbon"], publish=["statement"])
    sign_up_and_confirm(
        client, outbox, 2, size="large", commitments=["fair-pay", "carbon"], publish=["signatory"], statement="Kept private"
    )
    sign_up_and_confirm(client, outbox, 3)
    found = ids_by_email(storage_url)
    for n in (1, 2):
        assert approve(app, outbox, found[f"pat{n}@example.com"]).status_code == 303
    return found


def test_the_rebuilt_register_lists_approved_signatories_with_only_what_they_agreed_to(signed, storage_url, built, tmp_path):
    store = open_store(storage_url)
    before = listing(store)
    site = tmp_path / "site"
    build(CONTENT, site, built[1], storage=storage_url)
    assert listing(store) == before  # read-only
    register = (site / "charter/register/index.html").read_text()
    assert "Green Firm 1 Ltd" in register and "Green Firm 2 Ltd" in register and "Green Firm 3 Ltd" not in register
    everything = "".join(p.read_text() for p in site.rglob("*.html"))
    assert "@example.com" not in everything
    first = (site / f"charter/register/{signed['pat1@example.com']}/index.html").read_text()
    assert "We care about Exampleshire." in first and "Pat Person 1" not in first
    second = (site / f"charter/register/{signed['pat2@example.com']}/index.html").read_text()
    assert "Kept private" not in second and "Signed by Pat Person 2, Director." in second
    assert 'action="/charter/concern/' in second


def test_the_filters_are_pages(signed, storage_url, built, tmp_path):
    site = tmp_path / "site"
    build(CONTENT, site, built[1], storage=storage_url)
    fair_pay = (site / "charter/register/commitment/fair-pay/index.html").read_text()
    assert "Green Firm 2 Ltd" in fair_pay and "Green Firm 1 Ltd" not in fair_pay
    micro = (site / "charter/register/size/micro/index.html").read_text()
    assert "Green Firm 1 Ltd" in micro and "Green Firm 2 Ltd" not in micro
    assert "No signatories match this filter." in (site / "charter/register/size/medium/index.html").read_text()
    assert 'href="/charter/register/size/micro/"' in (site / "charter/register/index.html").read_text()


def test_with_nobody_signed_the_register_says_so_and_is_linked_from_the_charter_and_home_pages(site_dir):
    assert "Nobody has signed the Charter yet." in (site_dir / "charter/register/index.html").read_text()
    for page in ("index.html", "charter/index.html"):
        assert 'href="/charter/register/"' in (site_dir / page).read_text()


def test_make_runs_app_shows_the_register_as_storage_has_it_now(built, storage_url, outbox):
    app = charter_app(built[1], storage_url, outbox)
    assert "Nobody has signed the Charter yet." in app.test_client().get("/charter/register/").get_data(as_text=True)
    sign_up_and_confirm(app.test_client(), outbox, 4)
    approve(app, outbox, ids_by_email(storage_url)["pat4@example.com"])
    assert "Green Firm 4 Ltd" in app.test_client().get("/charter/register/").get_data(as_text=True)
