"""Each contract's summary, kept when its records are written (decision 14), so that the council's contract list
and a contract page read one small record per contract rather than every version, return and review.

`contract-summaries/<contract_id>/<NNNNNN>.json`: a derived cache, not a record. `refresh` writes the next version
and deletes the older ones; whoever writes a contract, a return or a review calls it afterwards. It keeps the
figures per period and what was sent and decided, never a status: where a period stands depends on the day it is
read (due becomes overdue), so `commitment_summaries` and `schedule` work it out for `today`.
The contract list reads neither: it reads the index, `contract-index/<NNNNNN>.json`, one small entry per contract
(what the list shows and the due dates it counts from), which `refresh` updates too. Writers add its next version
at exactly the next number, so two at once never lose an entry: the loser reads the new one and tries again.
`flask --app portal rebuild-contract-summaries` makes them all again from the records.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from portal.contracts import CommitmentSummary, Period, PeriodFigures, period_status, reporting_periods, summarise
from portal.contracts.combining import over_time
from portal.questionnaire.numbers import stored_number

import random
import time

from ..storage import AlreadyExists, NotFound, StorageError, Store, versions
from . import summary_index
from .records import Contracts, deserialise_commitment, sent_returns, serialise, serialise_commitment

PREFIX = "contract-summaries/"
INDEX = "contract-index/"
INDEX_ATTEMPTS = 50  # writers of different contracts at once each get a turn; more collisions than this is a fault


def _period(period: Period) -> dict:
    return {
        "frequency": period.frequency,
        "number": period.number,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "due": period.due.isoformat(),
        "partial": period.partial,
    }


def _read_period(data: dict) -> Period:
    return Period(
        data["frequency"],
        data["number"],
        date.fromisoformat(data["start"]),
        date.fromisoformat(data["end"]),
        date.fromisoformat(data["due"]),
        data["partial"],
    )


def _number(value):
    return None if value is None else stored_number(value)


def _decimal(value):
    return None if value is None else Decimal(value)


def build(contract_id: str, store: Store, content, today: date) -> dict | None:
    """The summary of the contract as its records stand now; None if there is no such contract."""
    contracts = Contracts(store)
    found = contracts.get(contract_id)
    if found is None:
        return None
    contract, version = found
    returns, reviews = sent_returns(store, contract_id), contracts.reviews(contract_id)
    latest = {}
    for sent in returns:
        if sent.version > latest.get(sent.period_id, 0):
            latest[sent.period_id] = sent.version
    decided = {(r.period_id, r.version): r.outcome for r in reviews}  # the last decision on a version stands
    schedule = [
        {**_period(p), "sent_version": latest.get(p.id), "outcome": decided.get((p.id, latest.get(p.id)))}
        for p in reporting_periods(contract, content.contracts.return_due_days)
    ]
    commitments = [
        {
            "commitment": serialise_commitment(s.commitment),
            "unit": s.unit,
            "combine": s.combine,
            "periods": [
                {
                    **_period(f.period),
                    "committed": stored_number(f.committed),
                    "claimed": _number(f.claimed),
                    "verified": _number(f.verified),
                    "sent_version": latest.get(f.period.id),
                    "outcome": decided.get((f.period.id, latest.get(f.period.id))),
                }
                for f in s.periods
            ],
        }
        for s in summarise(contract, returns, reviews, content, today)
    ]
    return {
        "contract_id": contract_id,
        "version": version,
        "contract": serialise(contract),
        "returns_sent": len(returns),
        "reviews": len(reviews),
        "schedule": schedule,
        "commitments": commitments,
    }


def _drop_older(store: Store, folder: str, number: int) -> None:
    """Tidying, not a record: a version left behind when this fails costs a listing one more key, no more."""
    for key in store.keys(folder):
        if int(key.rsplit("/", 1)[1].split(".")[0]) < number:
            _forget(store, key)


def _forget(store: Store, key: str) -> None:
    try:
        store.delete(key)
    except StorageError:  # gone already, or storage failing: the next writer or rebuild tidies it
        pass


def refresh(store: Store, contract_id: str, content, today: date, index: bool = True) -> dict | None:
    """Write the contract's summary afresh (after any write to its records), drop the older ones, and put its entry
    in the contract list's index (unless `index` is False: rebuild_all writes the index once at the end)."""
    summary = build(contract_id, store, content, today)
    if summary is None:
        return None
    folder = f"{PREFIX}{contract_id}/"
    _drop_older(store, folder, versions.append(store, folder, summary))
    if index:
        _index_with(store, {contract_id: list_entry(summary)})
        summary_index.put(store, summary)  # for the pages across all contracts (summary_index.py)
    return summary


def list_entry(summary: dict) -> dict:
    """What the contract list shows of a contract, and the due dates of the returns not sent, to count overdue ones."""
    contract = summary["contract"]
    return {
        "contract_id": summary["contract_id"],
        "version": summary["version"],
        **{k: contract[k] for k in ("title", "reference", "supplier_name", "value", "start", "end")},
        "commitments": len(contract["commitments"]),
        "unsent_due": [p["due"] for p in summary["schedule"] if not p["sent_version"]],
        "to_review": sum(1 for p in summary["schedule"] if p["sent_version"] and not p["outcome"]),
    }


def _read_index(store: Store) -> tuple[int, dict]:
    """The newest index's number and its entries by contract id; (0, {}) before the first."""
    for _ in range(INDEX_ATTEMPTS):
        keys = store.keys(INDEX)
        if not keys:
            return 0, {}
        try:
            return int(keys[-1].rsplit("/", 1)[1].split(".")[0]), store.read_json(keys[-1])["contracts"]
        except NotFound:  # replaced between listing and reading
            continue
    raise NotFound(INDEX)


def _index_with(store: Store, entries: dict, replace_all: bool = False) -> None:
    for _ in range(INDEX_ATTEMPTS):
        number, current = _read_index(store)
        value = {"contracts": entries if replace_all else {**current, **entries}}
        try:
            store.create_json(f"{INDEX}{number + 1:06d}.json", value)
        except AlreadyExists:  # another writer's version came first: start again from it
            time.sleep(random.uniform(0, 0.05))
            continue
        mine = f"{INDEX}{number + 1:06d}.json"
        if store.keys(INDEX)[-1] != mine:
            # The number was free only because a newer version had replaced and deleted it: ours is not the newest,
            # so start again from the newest (adding the same entries again changes nothing else).
            _forget(store, mine)
            continue
        # Each version is deleted by one writer only, the one that replaced it: deletes never race.
        if number:
            _forget(store, f"{INDEX}{number:06d}.json")
        return
    raise AlreadyExists(f"could not add a version under {INDEX} after {INDEX_ATTEMPTS} attempts")


def replace_index(store: Store, entries: dict) -> None:
    """The list's index made afresh from `entries` (contract id -> list_entry), its older versions dropped."""
    _index_with(store, entries, replace_all=True)
    _drop_older(store, INDEX, int(store.keys(INDEX)[-1].rsplit("/", 1)[1].split(".")[0]))


def listed(store: Store) -> list[dict]:
    """Every contract's list entry: one listing and one read, however many contracts."""
    return list(_read_index(store)[1].values())


def summary(store: Store, contract_id: str, content, today: date) -> dict | None:
    """The contract's kept summary; made now if it has none (a refresh that failed, or a contract from before)."""
    keys = store.keys(f"{PREFIX}{contract_id}/")
    if keys:
        try:
            return store.read_json(keys[-1])
        except NotFound:  # replaced between listing and reading
            pass
    return refresh(store, contract_id, content, today)


def _status(period: dict, today: date) -> str:
    sent = SimpleNamespace(version=period["sent_version"]) if period["sent_version"] else None
    review = SimpleNamespace(version=period["sent_version"], outcome=period["outcome"]) if period["outcome"] else None
    return period_status(_read_period(period), today, sent, review)


def schedule(summary: dict, today: date) -> list[dict]:
    """The contract's reporting periods in the order they end: {"period": Period, "status", "sent_version"}."""
    return [
        {"period": _read_period(p), "status": _status(p, today), "sent_version": p["sent_version"]} for p in summary["schedule"]
    ]


def commitment_summaries(summary: dict, today: date) -> list[CommitmentSummary]:
    """The core's CommitmentSummary per commitment, with where each period stands on `today`."""
    found = []
    for kept in summary["commitments"]:
        figures = tuple(
            PeriodFigures(
                _read_period(p), Decimal(p["committed"]), _decimal(p["claimed"]), _decimal(p["verified"]), _status(p, today)
            )
            for p in kept["periods"]
        )
        how = kept.get("combine", "add")  # summaries kept before measures said how are of counts, which add
        found.append(
            CommitmentSummary(
                commitment=deserialise_commitment(kept["commitment"]),
                unit=kept["unit"],
                periods=figures,
                committed_total=over_time([f.committed for f in figures], how),
                committed_to_date=over_time([f.committed for f in figures if f.period.end < today], how),
                claimed_to_date=over_time([f.claimed for f in figures], how),
                verified_to_date=over_time([f.verified for f in figures], how),
                combine=how,
            )
        )
    return found


def counts(entry: dict, today: date) -> dict:
    """From a list entry: how many returns are overdue (not sent, past their due date) and how many wait for review."""
    day = today.isoformat()
    return {"overdue": sum(1 for due in entry["unsent_due"] if due < day), "to_review": entry["to_review"]}


def rebuild_all(store: Store, content, today: date) -> int:
    """Every contract's summary, and the list's index, afresh from the records; how many contracts."""
    entries, every = {}, []
    for contract_id in Contracts(store).ids():
        summary = refresh(store, contract_id, content, today, index=False)
        if summary is not None:
            entries[contract_id] = list_entry(summary)
            every.append(summary)
    replace_index(store, entries)
    summary_index.rebuild(store, every)
    return len(entries)
