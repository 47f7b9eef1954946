"""The summaries' sharded index (functions/contracts/summary_index.py): every contract's newest summary, kept by
each refresh, never losing one when writers race, and rebuilt with the summaries; without it, the summaries."""

from concurrent.futures import ThreadPoolExecutor

from functions.contracts import summary_index
from functions.contracts.monitoring import every_summary
from portal import create_app
from tests.conftest import CONTENT
from tests.contract_factory import contract, record, send


def test_every_summary_is_in_the_index_however_writers_race(storage_url, store):
    app = create_app({"PORTAL_CONTENT": CONTENT, "PORTAL_STORAGE": storage_url})
    made = [record(app, store, contract(f"Contract {n}", f"EXC-{n}")) for n in range(3)]
    kept = store.read_json(store.keys(f"contract-summaries/{made[0]}/")[-1])
    fakes = [{**kept, "contract_id": f"0{n:011x}"} for n in range(12)]  # twelve contracts in one shard
    with ThreadPoolExecutor(max_workers=8) as pool:  # their summaries written at once
        list(pool.map(lambda s: summary_index.put(store, s), fakes))
    found = {s["contract_id"]: s for s in every_summary(store)}
    assert set(made) | {f["contract_id"] for f in fakes} == set(found)
    summary_index.put(store, fakes[0])  # the next write drops whatever older versions a racing writer left
    assert len(store.keys("summary-index/0/")) == 1
    send(app, store, made[1], "2026-04-01--2026-06-30", {"LE01": "5"})  # a refresh replaces its summary
    assert {s["contract_id"]: s["returns_sent"] for s in every_summary(store)}[made[1]] == 1


def test_without_an_index_the_summaries_are_read_and_a_rebuild_makes_it(storage_url, store):
    app = create_app({"PORTAL_CONTENT": CONTENT, "PORTAL_STORAGE": storage_url})
    made = {record(app, store, contract(f"Contract {n}", f"EXC-{n}")) for n in range(2)}
    for key in store.keys("summary-index/"):
        store.delete(key)  # storage from before the index
    assert {s["contract_id"] for s in every_summary(store)} == made
    result = app.test_cli_runner().invoke(args=["rebuild-contract-summaries"])
    assert result.exit_code == 0, result.output
    assert store.keys("summary-index/") and {s["contract_id"] for s in summary_index.read_all(store)} == made
