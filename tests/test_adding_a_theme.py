"""A council adds a theme by editing content/ alone (a scored section in the questionnaire's YAML and a guidance
page): it reaches the guidance, the quick checklist, the task list, the result, the council list's filter, the
exports and the API, with no Python changed."""

import csv
import io
import re

import pytest
import yaml
from markupsafe import escape

from build import build
from functions.storage import open_store
from portal.content import load_content

from .conftest import CONTENT
from .officer import VIEWER, Clock, council_app_with_officers, follow, send_submission, signed_in
from .supplier import Supplier

QUESTION = {
    "id": "pays_suppliers_promptly",
    "type": "choice",
    "label": "How quickly do you pay your own suppliers?",
    "error_if_empty": "Select how quickly you pay your own suppliers",
    "why": "Late payment puts small businesses in our area at risk.",
    "options": [
        {"value": "within-30-days", "label": "Within 30 days", "points": 2},
        {
            "value": "later",
            "label": "Often later than 30 days",
            "points": 0,
            "advice": "Agree payment terms of 30 days or less and pay on time.",
        },
    ],
}
THEME = {
    "id": "prompt-payment",
    "title": "Prompt payment",
    "summary": "How quickly you pay your own suppliers",
    "scored": True,
    "guidance": "/guidance/prompt-payment/",
    "questions": [QUESTION],
    "evidence": [{"id": "payment-policy", "question": QUESTION["id"], "label": "Your payment policy"}],
}
GUIDANCE = """---
title: Prompt payment
description: What we look for in how quickly you pay the businesses you buy from.
section: what-we-look-for
order: 90
---
We look for suppliers who pay their own suppliers within 30 days.
"""
THEMES_BEFORE = len(load_content(CONTENT).assessment("readiness").scored_sections)


def add_theme(content_dir) -> None:
    """What a council does: add the section before the declaration, which then waits for it, and a guidance page."""
    path = content_dir / "assessments" / "readiness.yaml"
    declaration = yaml.safe_load(path.read_text())
    sections = declaration["sections"]
    last = sections[-1]
    assert last["requires_completed"], "the declaration comes last and waits for the other sections"
    sections.insert(len(sections) - 1, THEME)
    last["requires_completed"].append(THEME["id"])
    path.write_text(yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False))
    (content_dir / "pages" / "prompt-payment.md").write_text(GUIDANCE)


@pytest.fixture
def app(content_copy, built, tmp_path):
    add_theme(content_copy)
    return council_app_with_officers(
        built[1], str(tmp_path / "storage"), tmp_path / "outbox", Clock(), "http://localhost", PORTAL_CONTENT=content_copy
    )


@pytest.fixture
def assessment(app):
    found = app.extensions["portal.content"].assessment("readiness")
    assert len(found.scored_sections) == THEMES_BEFORE + 1 and found.section(THEME["id"]).scored
    return found


def test_the_site_with_a_new_theme_freezes_with_every_link_working(content_copy, tmp_path):
    add_theme(content_copy)
    urls = build(content_copy, tmp_path / "site", tmp_path / "assets")  # raises BrokenLinks on any broken link
    assert {"/guidance/prompt-payment/", "/checklists/readiness/prompt-payment/"} <= set(urls)
    guidance = (tmp_path / "site" / "guidance" / "index.html").read_text()
    assert 'href="/guidance/prompt-payment/"' in guidance


def test_a_new_theme_has_guidance_and_a_quick_checklist_that_stores_nothing(app, assessment):
    client = app.test_client()
    assert 'href="/guidance/prompt-payment/"' in client.get("/guidance/").get_data(as_text=True)
    guidance = client.get(THEME["guidance"]).get_data(as_text=True)
    assert 'href="/checklists/readiness/prompt-payment/"' in guidance
    checklist = client.get("/checklists/readiness/prompt-payment/").get_data(as_text=True)
    assert QUESTION["label"] in checklist and "Within 30 days" in checklist

    store = open_store(app.config["PORTAL_STORAGE"])
    stored_before = store.keys()
    result = client.post("/checklists/readiness/prompt-payment/result", data={QUESTION["id"]: "later"})
    page = result.get_data(as_text=True)
    assert result.status_code == 200
    assert assessment.levels[-1].label in page and QUESTION["options"][1]["advice"] in page
    assert store.keys() == stored_before


def test_a_supplier_is_asked_the_new_theme_and_gets_a_result_for_it(app, assessment):
    supplier = Supplier(app.test_client(), assessment)
    supplier.start()
    task_list = supplier.client.get(supplier.task_list).get_data(as_text=True)
    assert f'href="{supplier.task_list}prompt-payment/"' in task_list and THEME["title"] in task_list

    supplier.complete_all({QUESTION["id"]: "later"})
    assert supplier.client.get(supplier.question_url("prompt-payment", QUESTION["id"])).status_code == 200
    confirmation = supplier.client.get(supplier.submit().headers["Location"]).get_data(as_text=True)
    assert f"{THEME['title']}: {assessment.levels[-1].label}" in confirmation
    assert QUESTION["options"][1]["advice"] in confirmation
    assert f'href="{THEME["guidance"]}"' in confirmation


def test_officers_filter_export_and_fetch_the_new_theme(app, assessment, tmp_path):
    store = open_store(app.config["PORTAL_STORAGE"])
    ready = send_submission(app, store, "Prompt Ltd")  # the first option of each question: Within 30 days
    viewer = signed_in(app, VIEWER, tmp_path / "outbox")

    listed = viewer.client.get("/council/submissions/").get_data(as_text=True)
    assert re.search(r'<option value="prompt-payment"\s*>Prompt payment</option>', listed)
    assert "Prompt payment: Ready" in listed
    filtered = viewer.client.get("/council/submissions/?theme=prompt-payment&level=ready").get_data(as_text=True)
    assert ready in filtered and re.search(r'<option value="prompt-payment"\s+selected', filtered)
    nothing = viewer.client.get("/council/submissions/?theme=prompt-payment&level=getting-started")
    assert ready not in nothing.get_data(as_text=True)

    data = follow(
        viewer,
        viewer.post("/council/exports/submissions?format=csv&assessment=readiness", form_page="/council/submissions/"),
        store,
    )
    [header, row] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    exported = dict(zip(header, row))
    assert exported["Prompt payment: readiness (%)"] == "100"
    assert exported["Prompt payment: readiness level"] == "Ready"
    assert exported[QUESTION["label"]] == "Within 30 days"
    assert 'value="prompt-payment-readiness-level"' in listed, "the column can be chosen for the CSV"

    token = app.test_cli_runner().invoke(args=["issue-api-token", VIEWER]).output.strip().splitlines()[-1]
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    [summary] = api.get("/council/api/submissions").get_json()["items"]
    assert summary["readiness"]["prompt-payment"] == {"percent": 100, "level": "ready"}
    fetched = api.get(f"/council/api/submissions/readiness/{ready}").get_json()
    assert fetched["answers"][QUESTION["id"]] == "within-30-days"
    assert fetched["readiness"]["prompt-payment"]["level"] == "ready"
    assert str(escape(THEME["title"])) in viewer.client.get(f"/council/submissions/readiness/{ready}/").get_data(as_text=True)
