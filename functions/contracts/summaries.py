"""Each contract's summary, kept when its records are written (decision 14), so that the council's contract list
and a contract page read one small record per contract rather than every version, return and review.

`contract-summaries/<contract_id>/<NNNNNN>.json`: a derived cache, not a record. `refresh` writes the next version
and deletes the older ones; whoever writes a contract, a return or a review calls it afterwards. It keeps the
figures per period and what was sent and decided, never a status: where a period stands depends on the day it is
read (due becomes overdue), so `commitment_summaries` and `schedule` work it out for `today`.
`flask --app portal rebuild-contract-summaries` makes them all again from the records.
"""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from portal.contracts import CommitmentSummary, Period, PeriodFigures, period_status, reporting_periods, summarise
from portal.questionnaire.numbers import stored_number

from ..storage import NotFound, Store, read_json_many, versions
from .records import Contracts, deserialise_commitment, sent_returns, serialise, serialise_commitment

PREFIX = "contract-summaries/"


def _period(period: Period) -> dict:
    return {"frequency": period.frequency, "number": period.number, "start": period.start.isoformat(),
            "end": period.end.isoformat(), "due": period.due.isoformat(), "partial": period.partial}


def _read_period(data: dict) -> Period:
    return Period(data["frequency"], data["number"], date.fromisoformat(data["start"]), date.fromisoformat(data["end"]),
                  date.fromisoformat(data["due"]), data["partial"])


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
    schedule = [{**_period(p), "sent_version": latest.get(p.id),
                 "outcome": decided.get((p.id, latest.get(p.id)))}
                for p in reporting_periods(contract, content.contracts.return_due_days)]
    commitments = [{
        "commitment": serialise_commitment(s.commitment), "unit": s.unit,
        "periods": [{**_period(f.period), "committed": stored_number(f.committed), "claimed": _number(f.claimed),
                     "verified": _number(f.verified), "sent_version": latest.get(f.period.id),
                     "outcome": decided.get((f.period.id, latest.get(f.period.id)))} for f in s.periods],
    } for s in summarise(contract, returns, reviews, content, today)]
    return {"contract_id": contract_id, "version": version, "contract": serialise(contract),
            "returns_sent": len(returns), "reviews": len(reviews), "schedule": schedule, "commitments": commitments}


def refresh(store: Store, contract_id: str, content, today: date) -> dict | None:
    """Write the contract's summary afresh (after any write to its records) and drop the older ones."""
    summary = build(contract_id, store, content, today)
    if summary is None:
        return None
    folder = f"{PREFIX}{contract_id}/"
    number = versions.append(store, folder, summary)
    for key in store.keys(folder):
        if int(key.rsplit("/", 1)[1].split(".")[0]) < number:
            try:
                store.delete(key)
            except NotFound:  # another refresh deleted it first
                pass
    return summary


def summary(store: Store, contract_id: str, content, today: date) -> dict | None:
    """The contract's kept summary; made now if it has none (a refresh that failed, or a contract from before)."""
    keys = store.keys(f"{PREFIX}{contract_id}/")
    if keys:
        try:
            return store.read_json(keys[-1])
        except NotFound:  # replaced between listing and reading
            pass
    return refresh(store, contract_id, content, today)


def all_summaries(store: Store) -> list[dict]:
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


def _status(period: dict, today: date) -> str:
    sent = SimpleNamespace(version=period["sent_version"]) if period["sent_version"] else None
    review = SimpleNamespace(version=period["sent_version"], outcome=period["outcome"]) if period["outcome"] else None
    return period_status(_read_period(period), today, sent, review)


def schedule(summary: dict, today: date) -> list[dict]:
    """The contract's reporting periods in the order they end: {"period": Period, "status", "sent_version"}."""
    return [{"period": _read_period(p), "status": _status(p, today), "sent_version": p["sent_version"]}
            for p in summary["schedule"]]


def commitment_summaries(summary: dict, today: date) -> list[CommitmentSummary]:
    """The core's CommitmentSummary per commitment, with where each period stands on `today`."""
    found = []
    for kept in summary["commitments"]:
        figures = tuple(PeriodFigures(_read_period(p), Decimal(p["committed"]), _decimal(p["claimed"]),
                                      _decimal(p["verified"]), _status(p, today)) for p in kept["periods"])
        found.append(CommitmentSummary(
            commitment=deserialise_commitment(kept["commitment"]), unit=kept["unit"], periods=figures,
            committed_total=sum((f.committed for f in figures), Decimal(0)),
            committed_to_date=sum((f.committed for f in figures if f.period.end < today), Decimal(0)),
            claimed_to_date=sum((f.claimed for f in figures if f.claimed is not None), Decimal(0)),
            verified_to_date=sum((f.verified for f in figures if f.verified is not None), Decimal(0))))
    return found


def counts(summary: dict, today: date) -> dict:
    """For the contract list: how many returns are overdue and how many wait for review."""
    statuses = [_status(p, today) for p in summary["schedule"]]
    return {"overdue": statuses.count("overdue"), "to_review": statuses.count("sent")}


def rebuild_all(store: Store, content, today: date) -> int:
    """Every contract's summary afresh from its records; how many."""
    ids = Contracts(store).ids()
    for contract_id in ids:
        refresh(store, contract_id, content, today)
    return len(ids)
