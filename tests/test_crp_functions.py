"""The carbon reduction plan through the assessment function: its check on the confirmation page and in the record,
and the plan as a printable page and a PDF, for the supplier's own link only."""

import shutil
import subprocess
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from functions.storage import open_store
from portal import create_app
from portal.content import ContentError

from .conftest import CONTENT
from .supplier import Supplier
from .test_crp import BASELINE_FIGURES, REPORTING_FIGURES, compliant_answers


def today():
    return datetime.now(timezone.utc).date()


def form_data(assessment, answers: dict) -> dict:
    """Stored answers as a supplier would type them into the forms."""
    data = {}
    for question_id, value in answers.items():
        question = assessment.question(question_id)
        if question.type == "date":
            year, month, day = value.split("-")
            data[question_id] = [str(int(day)), str(int(month)), year]
        else:
            data[question_id] = value if isinstance(value, list) else str(value)
    return data


def make_app(built, storage, content=CONTENT):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": content,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": str(storage),
            "PORTAL_BASE_URL": "http://localhost",
        }
    )


def send(app, answers: dict) -> tuple[Supplier, str]:
    """A supplier who answers every section (these answers where given) and sends; returns it and its confirmation page."""
    assessment = app.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    supplier.complete_all(form_data(assessment, answers))
    confirmation = supplier.client.get(supplier.submit().headers["Location"])
    assert confirmation.status_code == 200
    return supplier, confirmation.get_data(as_text=True)


def the_record(storage) -> dict:
    store = open_store(str(storage))
    [key] = store.keys("submissions/readiness/")
    return store.read_json(key)


@pytest.fixture(scope="module")
def compliant(built, tmp_path_factory):
    """One supplier with a compliant plan, sent: (app, supplier, confirmation html, storage folder)."""
    storage = tmp_path_factory.mktemp("crp") / "storage"
    app = make_app(built, storage)
    supplier, confirmation = send(app, compliant_answers(today()))
    return app, supplier, confirmation, storage


def test_a_compliant_plan_is_confirmed_with_its_totals_and_the_check_is_kept(compliant):
    app, supplier, confirmation, storage = compliant
    assert "Your carbon reduction plan" in confirmation
    assert "We found nothing missing" in confirmation
    assert "550.80 tonnes CO2e" in confirmation and "440.25 tonnes CO2e" in confirmation
    assert "Down 110.55 tonnes CO2e (20.1%)" in confirmation
    stored = the_record(storage)["carbon_reduction_plan"]
    assert stored["ruleset"] == "ppn-006" and stored["failed"] == []
    assert stored["ruleset_name"] == app.extensions["portal.crp"].default.name
    assert Decimal(stored["totals"]["baseline"]) == Decimal("550.80")


def test_each_shortfall_is_listed_with_how_to_fix_it_and_stored(built, tmp_path):
    answers = compliant_answers(today()) | {"net_zero_target_year": 2060, "has_crp": "unpublished"}
    del answers["crp_web_address"]
    _, confirmation = send(make_app(built, tmp_path / "storage"), answers)
    assert "It falls short in 2 ways" in confirmation
    assert "Your plan must commit to reaching net zero by 2050 at the latest." in confirmation
    assert "Your target year is 2060." in confirmation
    assert "Your plan must be published on your UK website." in confirmation
    assert confirmation.count("How to fix it:") == 2
    assert "PPN 006 (which replaced PPN 06/21)" in confirmation
    assert the_record(tmp_path / "storage")["carbon_reduction_plan"]["failed"] == ["net-zero-target", "published"]


def test_without_a_plan_there_is_no_check_and_no_plan_page(built, tmp_path):
    supplier, confirmation = send(make_app(built, tmp_path / "storage"), {"has_crp": "no"})
    assert "Your carbon reduction plan" not in confirmation
    assert the_record(tmp_path / "storage")["carbon_reduction_plan"] is None
    assert supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan/").status_code == 404
    assert supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan.pdf").status_code == 404


def test_the_plan_page_is_linked_from_the_confirmation_and_has_all_six_parts(compliant):
    _, supplier, confirmation, _ = compliant
    address = f"{supplier.task_list}your-carbon-reduction-plan/"
    assert f'href="{address}"' in confirmation and f'href="{supplier.task_list}your-carbon-reduction-plan.pdf"' in confirmation
    response = supplier.client.get(address)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for part in (
        "1. Our commitment to net zero",
        "2. Baseline emissions",
        "3. Current emissions",
        "4. Emissions reduction targets",
        "5. Carbon reduction projects",
        "6. Declaration and sign-off",
    ):
        assert part in html
    for figure in [*BASELINE_FIGURES.values(), *REPORTING_FIGURES.values()]:
        assert f">{Decimal(figure):,}<" in html, figure
    assert "Acme Joinery Ltd is committed to reaching net zero greenhouse gas emissions by 2045." in html
    assert "Jane Smith" in html and "ISO 14001 certification" in html
    assert f'href="{supplier.task_list}confirmation/"' in html, "Back goes to the confirmation"


@pytest.fixture(scope="module")
def pdf_text(compliant, tmp_path_factory) -> str:
    """The plan's PDF, checked to open (pdftoppm renders every page), as text (pdftotext)."""
    _, supplier, _, _ = compliant
    response = supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reference = the_record(compliant[3])["reference"]
    assert response.headers["Content-Disposition"] == f'attachment; filename="carbon-reduction-plan-{reference}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    folder = tmp_path_factory.mktemp("pdf")
    pdf = folder / "plan.pdf"
    pdf.write_bytes(response.data)
    assert response.data.startswith(b"%PDF-")
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", "40", str(pdf), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 1000 for p in pages), "pdftoppm rendered every page"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_the_pdf_opens_and_holds_every_figure_entered(pdf_text):
    for figure in [*BASELINE_FIGURES.values(), *REPORTING_FIGURES.values()]:
        assert f"{Decimal(figure):,}" in pdf_text, figure
    for total in ("550.80", "440.25", "110.55"):
        assert total in pdf_text
    answers = compliant_answers(today())
    assert str(answers["crp_baseline_year"]) in pdf_text and "2045" in pdf_text


def test_the_pdf_has_the_six_parts_and_the_declaration(pdf_text):
    for part in (
        "Our commitment to net zero",
        "Baseline emissions",
        "Current emissions",
        "Emissions reduction targets",
        "Carbon reduction projects",
        "Declaration and sign-off",
    ):
        assert part in pdf_text
    for words in (
        "Acme Joinery Ltd",
        "Jane Smith",
        "A director",
        "Halve our Scope 1 and 2 emissions",
        "Insulated the workshop roof",
        "Replace both vans",
        "ISO 14001 certification",
    ):
        assert words in pdf_text


def test_a_draft_plan_can_be_seen_and_checked_before_sending(built, tmp_path):
    app = make_app(built, tmp_path / "storage")
    assessment = app.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    supplier.complete_section("carbon-reduction-plan", form_data(assessment, compliant_answers(today())))
    html = supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan/").get_data(as_text=True)
    assert "It is a draft" in html
    assert "Your plan must commit to reaching net zero" in html, "the net zero section is not answered yet"
    assert f'href="{supplier.task_list}"' in html, "Back goes to the task list"
    pdf = supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan.pdf")
    assert pdf.status_code == 200 and 'filename="carbon-reduction-plan-draft.pdf"' in pdf.headers["Content-Disposition"]


def test_a_plan_is_only_reached_through_its_own_link(compliant):
    app, supplier, _, _ = compliant
    stranger = app.test_client()
    for address in (
        "/assessments/readiness/not-a-real-link/your-carbon-reduction-plan/",
        "/assessments/readiness/not-a-real-link/your-carbon-reduction-plan.pdf",
        f"/assessments/nothing/{supplier.task_list.split('/')[3]}/your-carbon-reduction-plan/",
    ):
        assert stranger.get(address).status_code == 404, address


def test_what_a_supplier_typed_is_printed_as_text_never_as_markup(built, tmp_path):
    answers = compliant_answers(today()) | {"crp_planned_projects": '<img src="http://127.0.0.1:9/x"> <b>Solar</b> & more'}
    supplier, _ = send(make_app(built, tmp_path / "storage"), answers)
    html = supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan/").get_data(as_text=True)
    assert "&lt;img src=" in html and "<b>Solar</b>" not in html
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan.pdf").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "<b>Solar</b> & more" in text


def test_when_no_pdf_can_be_made_the_page_says_what_to_do(compliant, monkeypatch):
    from functions.assessment import pages as assessment
    from portal.crp.pdf import PdfUnavailable

    def unavailable(html):
        raise PdfUnavailable("libpango-1.0-0 is not installed")

    monkeypatch.setattr(assessment, "pdf_from_html", unavailable)
    _, supplier, _, _ = compliant
    response = supplier.client.get(f"{supplier.task_list}your-carbon-reduction-plan.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, we cannot make a PDF just now" in html
    assert f'href="{supplier.task_list}your-carbon-reduction-plan/"' in html


def test_the_app_and_so_the_build_refuse_broken_rule_sets(content_copy, built):
    path = content_copy / "crp" / "rulesets.yaml"
    path.write_text(path.read_text().replace("      - published", "      - publish", 1))
    with pytest.raises(ContentError) as raised:
        create_app({"TESTING": True, "PORTAL_CONTENT": content_copy, "PORTAL_ASSETS": built[1]})
    assert "content/crp/rulesets.yaml, line " in str(raised.value)
    assert "'publish' is not a rule the checker knows" in str(raised.value)


def test_a_council_that_chooses_the_stricter_set_sees_it_named(content_copy, built, tmp_path):
    path = content_copy / "crp" / "rulesets.yaml"
    path.write_text(path.read_text().replace("default_ruleset: ppn-006", "default_ruleset: every-scope-3-category", 1))
    _, confirmation = send(make_app(built, tmp_path / "storage", content_copy), compliant_answers(today()))
    assert "with every Scope 3 category reported" in confirmation
    assert "Your plan must also report Scope 3 categories 1, 2, 3" in confirmation
    stored = the_record(tmp_path / "storage")["carbon_reduction_plan"]
    assert stored["ruleset"] == "every-scope-3-category" and stored["failed"] == ["scope-3-further-categories"]
