"""Every contract's kept summary at once, for the pages and jobs that look across all contracts (the returns
page, totals, chasing, the public report and the annual report)."""
from ..storage import NotFound, Store, read_json_many
from .summaries import PREFIX


def every_summary(store: Store) -> list[dict]:
    """Every contract's newest summary: one listing and one read per contract."""
    newest = {}
    for key in store.keys(PREFIX):
        newest[key[len(PREFIX):].split("/", 1)[0]] = key  # keys sort, so the last of each contract is its newest
    keys = sorted(newest.values())
    try:
        return read_json_many(store, keys, remember=False)
    except NotFound:  # a refresh replaced one between listing and reading: list again
        return read_json_many(store, [store.keys(f"{PREFIX}{k[len(PREFIX):].split('/', 1)[0]}/")[-1] for k in keys],
                              remember=False)
