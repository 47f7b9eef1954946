"""Suppliers' returns kept in storage: drafts to carry on later, and sent versions that are write-once, on both stores."""

import threading
from dataclasses import replace

import pytest
from werkzeug.datastructures import MultiDict

from functions.contracts.records import Contracts, sent_returns
from functions.contracts.returns import Returns, SentMeanwhile
from functions.storage import open_store

from .test_contracts_summary import CONTRACT, Q1, Q2, sent

CONTACT = "ann@roadworks.example"


@pytest.fixture
def store(storage_url):
    return open_store(storage_url)


@pytest.fixture
def contract_id(store):
    return Contracts(store).create(CONTRACT, "officer@exampleshire.gov.uk")


def test_a_draft_keeps_the_answers_as_typed_and_only_the_forms_own_fields(store, contract_id):
    returns = Returns(store)
    form = MultiDict(
        [
            ("lines-LE01-quantity", " 4.5x "),
            ("declared_by_name", "Ann\u202e Smith"),
            ("csrf_token", "t"),
            ("../../officers", "x"),
            ("lines-LE01-evidence", "a" * 32),
            ("lines-LE01-evidence", "../x"),
        ]
    )
    assert returns.save_draft(contract_id, Q1.id, form, 0, CONTACT) == 1
    draft = returns.draft(contract_id, Q1.id)
    assert draft["form"] == {"lines-LE01-quantity": "4.5x", "declared_by_name": "Ann Smith", "lines-LE01-evidence": ["a" * 32]}
    assert (draft["based_on"], draft["by"], draft["number"]) == (0, CONTACT, 1)
    returns.save_draft(contract_id, Q1.id, MultiDict({"declared_by_name": "Bob"}), 0, "bob@roadworks.example")
    assert returns.draft(contract_id, Q1.id)["form"] == {"declared_by_name": "Bob"}  # the newest carries on
    assert returns.draft(contract_id, Q1.id, number=1)["form"]["declared_by_name"] == "Ann Smith"  # and none is lost


def test_sent_versions_are_write_once_and_a_correction_is_the_next_version(store, contract_id):
    returns = Returns(store)
    assert returns.latest(contract_id, Q1.id) is None
    assert returns.send(contract_id, Q1.id, sent(Q1, 5, 12), {}, CONTACT) == 1
    assert returns.send(contract_id, Q1.id, sent(Q1, 4, 12, version=2), {}, CONTACT) == 2
    returns.send(contract_id, Q2.id, sent(Q2, 3, 15), {"LE01": ["b" * 32]}, CONTACT)
    latest = returns.latest(contract_id, Q1.id)
    assert latest["return"] == sent(Q1, 4, 12, version=2) and latest["by"] == CONTACT
    assert returns.sent_version(contract_id, Q2.id, 1)["evidence"] == {"LE01": ["b" * 32]}
    assert returns.sent(contract_id) == {Q1.id: [sent(Q1, 5, 12), sent(Q1, 4, 12, version=2)], Q2.id: [sent(Q2, 3, 15)]}
    assert len(sent_returns(store, contract_id)) == 3  # the officers' side reads the same records


def test_two_contacts_sending_the_same_period_at_once_make_one_version(store, contract_id):
    returns = Returns(store)
    outcomes, start = [], threading.Barrier(2)

    def send(quantity):
        start.wait()
        try:
            outcomes.append(returns.send(contract_id, Q1.id, sent(Q1, quantity, 12), {}, CONTACT))
        except SentMeanwhile as meanwhile:
            outcomes.append(meanwhile.sent["return"])

    threads = [threading.Thread(target=send, args=(q,)) for q in (5, 6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert returns.versions_sent(contract_id, Q1.id) == 1
    stored = returns.latest(contract_id, Q1.id)["return"]
    assert sorted(outcomes, key=str) == sorted([1, stored], key=str)  # the other is told what was sent


def test_a_period_id_from_a_url_never_becomes_another_key(store, contract_id):
    with pytest.raises(ValueError):
        Returns(store).save_draft(contract_id, "../../officers", {}, 0, CONTACT)
    with pytest.raises(ValueError):
        Returns(store).send(contract_id, "2026-04-01--2026-06-30/x", replace(sent(Q1, 1, 1)), {}, CONTACT)
