"""Saves of one draft at once (two tabs, a double click, fifty uploads landing together): each keeps what it changed,
and a question never ends up with more files than it takes (functions/assessment/draft_merge.py)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from functions.assessment.records import Drafts
from functions.storage import open_store
from portal.content import load_content
from portal.evidence.checks import EvidenceRejected

from .conftest import CONTENT


@pytest.fixture(scope="module")
def assessment():
    return load_content(CONTENT).assessment("readiness")


@pytest.fixture
def drafts(storage_url):
    return Drafts(open_store(storage_url))


def _file(n, slot):
    return {"id": f"f{n:02d}", "key": f"evidence/x/f{n:02d}", "name": f"policy {n}.pdf", "size": 10, "slots": [slot]}


def test_two_tabs_saving_from_the_same_version_keep_both_answers_and_sections(drafts, assessment):
    draft = drafts.start(assessment)
    first, second = (q.id for q in assessment.questions[:2])
    drafts.save(assessment, draft, answers={first: "A"}, completed=("one",))
    drafts.save(assessment, draft, answers={second: "B"}, completed=("two",))  # read before the first was saved
    latest = drafts.load(assessment, draft.token)
    assert latest.answers == {first: "A", second: "B"} and set(latest.completed) == {"one", "two"}
    assert latest.version == 3


def test_a_tab_removing_a_file_and_another_adding_one_keep_both_changes(drafts, assessment):
    slot = assessment.evidence_slots[0].id
    draft = drafts.save(assessment, drafts.start(assessment), evidence=(_file(1, slot), _file(2, slot)))
    drafts.save(assessment, draft, evidence=(_file(2, slot),))  # one tab takes f01 off
    drafts.save(assessment, draft, evidence=(*draft.evidence, _file(3, slot)))  # the other, unaware, adds f03
    assert [e["id"] for e in drafts.load(assessment, draft.token).evidence] == ["f02", "f03"]


def test_fifty_files_added_at_once_keep_every_one_the_question_takes_and_refuse_the_rest(drafts, assessment):
    slot = assessment.evidence_slots[0]
    draft = drafts.start(assessment)

    def add(n):
        try:
            drafts.save(assessment, draft, evidence=(_file(n, slot.id),))
            return f"f{n:02d}"
        except EvidenceRejected:
            return None

    with ThreadPoolExecutor(max_workers=50) as pool:
        kept = [found for found in pool.map(add, range(50)) if found]
    stored = drafts.load(assessment, draft.token).evidence
    assert len(kept) == slot.max_files and sorted(e["id"] for e in stored) == sorted(kept)
