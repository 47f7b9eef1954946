"""Contracts kept write-once and versioned, reviews beside them, and the summaries the council's pages read."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from functions.contracts import summaries
from functions.contracts.records import Contracts, deserialise, deserialise_return, serialise, serialise_return, contract_prefix
from functions.storage import open_store, versions

from .test_contracts_summary import CONTENT_LOADED, CONTRACT, RETURNS, REVIEWS

OFFICER = "admin@exampleshire.gov.uk"


@pytest.fixture
def store(storage_url):
    return open_store(storage_url)


def send(store, contract_id, sent):
    """What returns.py does when a contact sends a return: the layout in the contracts storage note."""
    versions.append(
        store,
        f"{contract_prefix(contract_id)}returns/{sent.period_id}/sent/",
        {"return": serialise_return(sent), "by": "ann@roadworks.example", "at": "2026-07-02T10:00:00+00:00"},
    )


def test_a_contract_and_its_returns_read_back_exactly_as_written():
    assert deserialise(serialise(CONTRACT)) == CONTRACT
    for sent in RETURNS:
        assert deserialise_return(serialise_return(sent)) == sent
        assert deserialise_return({"return": serialise_return(sent), "by": "x", "at": "y"}) == sent


def test_a_variation_is_a_new_version_with_its_reason_and_the_history_keeps_both(store):
    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, OFFICER)
    assert contracts.get(contract_id) == (CONTRACT, 1)
    varied = replace(CONTRACT, value=Decimal(1_300_000))
    assert contracts.vary(contract_id, varied, OFFICER, "Extra resurfacing") == 2
    assert contracts.get(contract_id) == (varied, 2)
    assert [(h["version"], h["contract"].value, h["reason"]) for h in contracts.history(contract_id)] == [
        (1, Decimal(1_250_000), ""),
        (2, Decimal(1_300_000), "Extra resurfacing"),
    ]
    assert contracts.ids() == [contract_id]
    assert contracts.get("not-an-id") is None and contracts.get("../officers") is None


def test_contacts_may_sign_in_for_their_contract_and_one_removed_by_a_variation_stops(store):
    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, OFFICER)
    assert contracts.may_report("Ann@roadworks.example", contract_id)
    assert not contracts.may_report("bob@roadworks.example", contract_id)
    contracts.vary(contract_id, replace(CONTRACT, supplier_contacts=("bob@roadworks.example",)), OFFICER, "Ann left")
    assert not contracts.may_report("ann@roadworks.example", contract_id)
    assert contracts.may_report("bob@roadworks.example", contract_id)


def test_the_summary_follows_every_write_and_reads_as_the_cores(store):
    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, OFFICER)
    today = date(2026, 11, 1)
    summaries.refresh(store, contract_id, CONTENT_LOADED, today)
    for sent in RETURNS:
        send(store, contract_id, sent)
    for review in REVIEWS:
        contracts.review(contract_id, review, OFFICER)
    summaries.refresh(store, contract_id, CONTENT_LOADED, today)
    assert len(store.keys(f"contract-summaries/{contract_id}/")) == 1  # a cache: the older one is gone

    from portal.contracts import summarise

    expected = summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, today)
    kept = summaries.summary(store, contract_id, CONTENT_LOADED, today)
    assert summaries.commitment_summaries(kept, today) == expected
    # A day later the same summary tells the day's statuses: the last quarter's return is overdue in June 2027.
    later = date(2027, 6, 1)
    assert summaries.commitment_summaries(kept, later) == summarise(CONTRACT, RETURNS, REVIEWS, CONTENT_LOADED, later)
    [entry] = summaries.listed(store)
    assert entry["contract_id"] == contract_id and entry["title"] == "Highways maintenance"
    assert summaries.counts(entry, later) == {"overdue": 1, "to_review": 2}
    assert summaries.counts(entry, today) == {"overdue": 0, "to_review": 2}
    assert len(store.keys("contract-index/")) == 1


def test_rebuilding_makes_every_summary_again_from_the_records(store):
    contracts = Contracts(store)
    ids = {contracts.create(CONTRACT, OFFICER) for _ in range(3)}
    assert summaries.listed(store) == []
    assert summaries.rebuild_all(store, CONTENT_LOADED, date(2026, 5, 1)) == 3
    assert {e["contract_id"] for e in summaries.listed(store)} == ids


def test_refreshes_at_once_lose_no_contract_from_the_list(store):
    """Each refresh adds the list's next version at exactly the next number: one that collides reads and retries."""
    from concurrent.futures import ThreadPoolExecutor

    contracts = Contracts(store)
    ids = [contracts.create(CONTRACT, OFFICER) for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda i: summaries.refresh(store, i, CONTENT_LOADED, date(2026, 5, 1)), ids))
    assert sorted(e["contract_id"] for e in summaries.listed(store)) == sorted(ids)


def test_fifty_writers_at_once_each_get_their_own_version(store):
    """The same post fifty times at once: every one is kept, as its own version, and none is told it failed."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=50) as pool:
        numbers = list(pool.map(lambda n: versions.append(store, "drafts-at-once/", {"n": n}), range(50)))
    assert sorted(numbers) == list(range(1, 51))
    assert sorted(v["n"] for v in versions.all_versions(store, "drafts-at-once/")) == list(range(50))


def test_one_contract_refreshed_by_many_at_once_keeps_its_summary(store):
    """Thirty officers' saves of one contract at once each refresh its summary: none fails, and it stays listed."""
    from concurrent.futures import ThreadPoolExecutor

    contract_id = Contracts(store).create(CONTRACT, OFFICER)
    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(lambda _: summaries.refresh(store, contract_id, CONTENT_LOADED, date(2026, 5, 1)), range(30)))
    assert [e["contract_id"] for e in summaries.listed(store)] == [contract_id]
    assert summaries.summary(store, contract_id, CONTENT_LOADED, date(2026, 5, 1))["contract"]["title"] == CONTRACT.title


def test_variations_of_one_version_saved_at_once_make_one_version_and_the_rest_are_told(store):
    """Thirty officers save a variation of version 1 at the same moment: one is the next version, none overwrites."""
    from concurrent.futures import ThreadPoolExecutor

    from functions.contracts.records import ChangedMeanwhile

    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, OFFICER)

    def vary(n):
        try:
            return contracts.vary(contract_id, replace(CONTRACT, title=f"Title {n}"), OFFICER, f"Change {n}", based_on=1)
        except ChangedMeanwhile:
            return "changed meanwhile"

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(vary, range(30)))
    assert answers.count(2) == 1 and answers.count("changed meanwhile") == 29
    [winner] = [n for n, answer in enumerate(answers) if answer == 2]
    assert contracts.get(contract_id) == (replace(CONTRACT, title=f"Title {winner}"), 2)


def test_one_review_sent_thirty_times_at_once_is_recorded_once(store):
    from concurrent.futures import ThreadPoolExecutor

    from functions.contracts.records import ChangedMeanwhile

    contracts = Contracts(store)
    contract_id = contracts.create(CONTRACT, OFFICER)

    def review(_):
        try:
            return contracts.review(contract_id, REVIEWS[0], OFFICER, based_on=0)
        except ChangedMeanwhile:
            return "changed meanwhile"

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(review, range(30)))
    assert answers.count(1) == 1 and answers.count("changed meanwhile") == 29
    assert contracts.reviews(contract_id) == [REVIEWS[0]]


def test_one_record_form_sent_thirty_times_at_once_records_one_contract(store):
    from concurrent.futures import ThreadPoolExecutor

    contracts = Contracts(store)
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: contracts.create_once(CONTRACT, OFFICER, "0123456789ab"), range(30)))
    assert sorted(answers) == [("0123456789ab", False)] * 29 + [("0123456789ab", True)]
    assert contracts.ids() == ["0123456789ab"]
