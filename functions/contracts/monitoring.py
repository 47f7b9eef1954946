"""Every contract's kept summary at once, for the pages and jobs that look across all contracts (the returns
page, totals, chasing, the public report and the annual report)."""

from ..storage import NotFound, Store, read_json_many
from . import summary_index
from .summaries import PREFIX


def every_summary(store: Store) -> list[dict]:
    """Every contract's newest summary, from the sharded index (summary_index.py); where there is none yet, one
    listing and one read per contract."""
    indexed = summary_index.read_all(store)
    if indexed is not None:
        return indexed
    newest = {}
    for key in store.keys(PREFIX):
        newest[key[len(PREFIX) :].split("/", 1)[0]] = key  # keys sort, so the last of each contract is its newest
    keys = sorted(newest.values())
    try:
        return read_json_many(store, keys, remember=False)
    except NotFound:  # a refresh replaced one between listing and reading: list again
        return read_json_many(
            store, [store.keys(f"{PREFIX}{k[len(PREFIX) :].split('/', 1)[0]}/")[-1] for k in keys], remember=False
        )


def published_summaries(store: Store) -> list[dict]:
    """The kept summaries of the contracts published now (decision 15), read-only: a contract without one yet is
    left out until its summary is made, never made here (the site build writes nothing)."""
    from .overrides import published_ids

    published = set(published_ids(store))
    return [s for s in every_summary(store) if s["contract_id"] in published] if published else []


def public_report_from(store: Store, content, today):
    """The core's PublicReport from the published contracts' summaries."""
    from portal.contracts import public_report

    from .records import deserialise
    from .summaries import commitment_summaries

    return public_report(
        [(deserialise(s["contract"]), commitment_summaries(s, today)) for s in published_summaries(store)], content
    )


def live_report(app):
    """For an app that serves the site and every function at once (make run): the public report read on each
    request, so that a contract published locally shows at once (python build.py freezes it instead)."""
    from portal.clock import uk_today

    from ..storage import app_store

    return lambda: public_report_from(app_store(app), app.extensions["portal.content"], uk_today())
