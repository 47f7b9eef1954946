"""Officers' overrides of KPI ratings, and which contracts are published: both write-once records.

- `contracts/<id>/rating-overrides/<MEASURE>/<NNNNNN>.json`: {"band", "reason", "calculated", "by", "at"}. The
  newest stands; it holds only while the figures still give the band the officer overrode (portal.contracts
  .effective_rating), so each is kept, never changed.
- `published-contracts/<id>/<NNNNNN>.json`: {"published": true|false, "by", "at"}: an officer marks a contract for
  the public report (decision 15) or takes it off. One listing of the prefix says which are published now, so the
  site build reads only those contracts' summaries.
"""

import re

from portal.clock import now
from portal.contracts import Override

from ..storage import Store, read_json_many, versions
from .records import contract_prefix

PUBLISHED = "published-contracts/"
_MEASURE = re.compile(r"[A-Z]{2,4}[0-9]{1,3}\Z", re.ASCII)


class Overrides:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def _folder(self, contract_id: str, code: str) -> str:
        if not _MEASURE.match(code):
            raise ValueError(f"not a measure code: {code!r}")
        return f"{contract_prefix(contract_id)}rating-overrides/{code}/"

    def add(self, contract_id: str, code: str, override: Override, by: str) -> int:
        value = {
            "band": override.band,
            "reason": override.reason,
            "calculated": override.calculated,
            "by": by,
            "at": self.clock().isoformat(),
        }
        return versions.append(self.store, self._folder(contract_id, code), value)

    def records(self, contract_id: str) -> dict[str, list[dict]]:
        """Every override of the contract's KPIs, {measure code: [oldest first]}, in one listing."""
        keys = self.store.keys(f"{contract_prefix(contract_id)}rating-overrides/")
        found: dict[str, list[dict]] = {}
        for key, value in zip(keys, read_json_many(self.store, keys)):
            found.setdefault(key.split("/")[-2], []).append(value)
        return found

    def current(self, contract_id: str) -> dict[str, Override]:
        """The newest override of each KPI, as the core reads them."""
        return {
            code: Override(kept[-1]["band"], kept[-1]["reason"], kept[-1]["calculated"])
            for code, kept in self.records(contract_id).items()
        }


def publish(store: Store, contract_id: str, published: bool, by: str, clock=now) -> int:
    return versions.append(store, f"{PUBLISHED}{contract_id}/", {"published": published, "by": by, "at": clock().isoformat()})


def published_ids(store: Store) -> list[str]:
    """The contracts published now: those whose newest record says so (one listing, then one read each)."""
    newest = {}
    for key in store.keys(PUBLISHED):
        newest[key[len(PUBLISHED) :].split("/", 1)[0]] = key  # keys sort: the last of each contract is its newest
    ids = list(newest)
    return [i for i, value in zip(ids, read_json_many(store, [newest[i] for i in ids])) if value.get("published")]


def is_published(store: Store, contract_id: str) -> bool:
    keys = store.keys(f"{PUBLISHED}{contract_id}/")
    return bool(keys) and bool(store.read_json(keys[-1]).get("published"))
