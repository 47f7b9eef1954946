"""Every contract's summary in 16 shards, so that the pages that look across all contracts (returns, totals, the
annual report, chasing, the public report) read 16 objects, not one per contract: at 2,000 contracts, one listing
and 16 parallel reads instead of 2,000 reads (see docs/performance.md).

`summary-index/<shard>/<NNNNNN>.json` = {"summaries": {contract_id: summary}}, the shard being the contract id's
first hex digit. Like the contract list's index (summaries.py), a writer adds the shard's next version at exactly
the next number, so two writers at once never lose a summary: the loser reads the new version and tries again;
the older versions are then deleted (a derived cache, not a record). `summaries.refresh` calls `put` after every
write; `rebuild` makes every shard again (flask --app portal rebuild-contract-summaries).
"""

import random
import time

from ..storage import AlreadyExists, NotFound, StorageUnavailable, Store, read_json_many

PREFIX = "summary-index/"
SHARDS = "0123456789abcdef"
ATTEMPTS = 50


def _number(key: str) -> int:
    return int(key.rsplit("/", 1)[1].split(".")[0])


def _newest(store: Store, shard: str) -> tuple[int, dict]:
    for _ in range(ATTEMPTS):
        keys = store.keys(f"{PREFIX}{shard}/")
        if not keys:
            return 0, {}
        try:
            return _number(keys[-1]), store.read_json(keys[-1])["summaries"]
        except NotFound:  # replaced between listing and reading
            continue
    raise NotFound(f"{PREFIX}{shard}/")


def _write(store: Store, shard: str, change) -> None:
    """Write the shard's next version as `change(current summaries)` gives it; older versions are dropped."""
    folder = f"{PREFIX}{shard}/"
    for _ in range(ATTEMPTS):
        number, current = _newest(store, shard)
        key = f"{folder}{number + 1:06d}.json"
        try:
            store.create_json(key, {"summaries": change(dict(current))})
        except AlreadyExists:  # another writer came first: start again from theirs
            time.sleep(random.uniform(0, 0.05))
            continue
        if store.keys(folder)[-1] != key:  # the number was free only because a newer version had deleted it
            continue
        for older in store.keys(folder):
            if _number(older) < number + 1:
                try:
                    store.delete(older)
                except (NotFound, StorageUnavailable):
                    pass  # tidying only: the new version is stored, and the next writer drops what is left
        return
    raise AlreadyExists(f"could not add a version under {folder} after {ATTEMPTS} attempts")


def put(store: Store, summary: dict) -> None:
    """Keep the contract's newest summary in its shard."""
    contract_id = summary["contract_id"]
    _write(store, contract_id[0], lambda current: {**current, contract_id: summary})


def rebuild(store: Store, every: list[dict]) -> None:
    """Every shard afresh from `every` summary."""
    for shard in SHARDS:
        mine = {s["contract_id"]: s for s in every if s["contract_id"][0] == shard}
        _write(store, shard, lambda current, mine=mine: mine)


def read_all(store: Store) -> list[dict] | None:
    """Every summary in the index (one listing, then the newest version of each shard in parallel); None when
    there is no index yet (storage from before it), so that the caller reads the summaries themselves."""
    newest = {}
    for key in store.keys(PREFIX):
        newest[key[len(PREFIX) :].split("/", 1)[0]] = key  # keys sort: the last of each shard is its newest
    if not newest:
        return None
    try:
        shards = read_json_many(store, sorted(newest.values()), remember=False)
    except NotFound:  # a writer replaced a shard between listing and reading
        shards = [{"summaries": _newest(store, shard)[1]} for shard in sorted(newest)]
    return [summary for shard in shards for summary in shard["summaries"].values()]
