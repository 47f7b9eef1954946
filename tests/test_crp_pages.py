"""The carbon reduction plan's pages in real Chromium, served by a real WSGI server: no axe violations, and the PDF
link downloads a file."""

from datetime import datetime, timezone

import pytest

from .browser.axe import axe_violations
from .supplier import Supplier
from .test_crp import compliant_answers
from .test_crp_functions import form_data, make_app
from .live_server import serving_app


@pytest.fixture(scope="module")
def portal(built, tmp_path_factory):
    """(base URL, app) of the portal on a loopback port, with its own storage; stopped after the module."""
    app = make_app(built, tmp_path_factory.mktemp("crp-pages") / "storage")
    app.config["SESSION_COOKIE_SECURE"] = False
    with serving_app(app) as base_url:
        yield base_url, app


def supplier_with_plan(app, answers: dict, send: bool) -> Supplier:
    """Fast set-up through the test client on the same app and storage as the server."""
    assessment = app.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    if send:
        supplier.complete_all(form_data(assessment, answers))
        assert supplier.submit().status_code == 303
    else:
        supplier.complete_section("carbon-reduction-plan", form_data(assessment, answers))
    return supplier


def test_plan_pages_have_no_axe_violations_and_the_pdf_downloads(portal, page):
    base_url, app = portal
    today = datetime.now(timezone.utc).date()
    # A plan with shortfalls, so that the list of findings is on the pages too.
    sent = supplier_with_plan(app, compliant_answers(today) | {"net_zero_target_year": 2060}, send=True)
    draft = supplier_with_plan(app, compliant_answers(today), send=False)
    found = []
    for name, address in (
        ("confirmation", f"{sent.task_list}confirmation/"),
        ("plan", f"{sent.task_list}your-carbon-reduction-plan/"),
        ("draft plan", f"{draft.task_list}your-carbon-reduction-plan/"),
    ):
        response = page.goto(base_url + address)
        assert response.status == 200, name
        found.extend(f"{name}: {violation}" for violation in axe_violations(page))
    assert found == []

    page.goto(base_url + f"{sent.task_list}confirmation/")
    page.get_by_role("link", name="View your carbon reduction plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Carbon reduction plan"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your carbon reduction plan as a PDF").click()
    assert download.value.suggested_filename.startswith("carbon-reduction-plan-SV-")
    assert download.value.suggested_filename.endswith(".pdf")
