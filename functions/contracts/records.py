"""Contracts as write-once versioned records, and officers' reviews of returns.

- `contracts/<id>/versions/<NNNNNN>.json`: {"contract": serialise(contract), "reason", "by", "at"}; version 1 is
  the contract as recorded, each later one a variation with its reason. The newest is the contract now.
- `contracts/<id>/reviews/<period_id>/<NNNNNN>.json`: {"review": serialise_review(review), "by", "at"}.
- `contracts/<id>/returns/<period_id>/sent/<NNNNNN>.json`: written by returns.py; read here with
  `deserialise_return`, which takes the Return alone or wrapped as {"return": ..., "by", "at"}.

Every supplier contact named in a contract is granted sign-in for it (functions.suppliers); a contact that a
variation removes is withdrawn at once.
"""

import secrets
from datetime import date

from portal.clock import now
from portal.contracts import Commitment, Contract, Return, ReturnLine, Review
from portal.questionnaire.numbers import stored_number
from decimal import Decimal

from ..storage import AlreadyExists, Store, read_json_many, versions
from ..signin.contacts import SupplierContacts

PREFIX = "contracts/"


def contract_prefix(contract_id: str) -> str:
    return f"{PREFIX}{contract_id}/"


def serialise(contract: Contract) -> dict:
    return {
        "title": contract.title,
        "reference": contract.reference,
        "supplier_name": contract.supplier_name,
        "value": stored_number(contract.value),
        "start": contract.start.isoformat(),
        "end": contract.end.isoformat(),
        "contract_manager": contract.contract_manager,
        "supplier_contacts": list(contract.supplier_contacts),
        "commitments": [serialise_commitment(c) for c in contract.commitments],
        "notice_id": contract.notice_id,
        "ppon": contract.ppon,
    }


def deserialise(data: dict) -> Contract:
    return Contract(
        title=data["title"],
        reference=data["reference"],
        supplier_name=data["supplier_name"],
        value=Decimal(data["value"]),
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        contract_manager=data["contract_manager"],
        supplier_contacts=tuple(data["supplier_contacts"]),
        commitments=tuple(deserialise_commitment(c) for c in data["commitments"]),
        notice_id=data.get("notice_id"),
        ppon=data.get("ppon"),
    )


def serialise_commitment(commitment: Commitment) -> dict:
    return {
        "measure_code": commitment.measure_code,
        "quantity": stored_number(commitment.quantity),
        "basis": commitment.basis,
        "frequency": commitment.frequency,
        "delivery_note": commitment.delivery_note,
        "profile": [stored_number(p) for p in commitment.profile],
    }


def deserialise_commitment(data: dict) -> Commitment:
    return Commitment(
        data["measure_code"],
        Decimal(data["quantity"]),
        data["basis"],
        data["frequency"],
        data["delivery_note"],
        tuple(Decimal(p) for p in data.get("profile", ())),
    )


def serialise_return(sent: Return) -> dict:
    return {
        "period_id": sent.period_id,
        "version": sent.version,
        "correction_reason": sent.correction_reason,
        "declared_by_name": sent.declared_by_name,
        "declared_by_role": sent.declared_by_role,
        "lines": [
            {
                "measure_code": line.measure_code,
                "quantity": stored_number(line.quantity),
                "method": line.method,
                "narrative": line.narrative,
                "postcode_districts": list(line.postcode_districts),
                "attributable": line.attributable,
            }
            for line in sent.lines
        ],
    }


def deserialise_return(data: dict) -> Return:
    data = data.get("return", data)  # a sent record may wrap it with who sent it and when
    return Return(
        period_id=data["period_id"],
        declared_by_name=data["declared_by_name"],
        declared_by_role=data["declared_by_role"],
        version=data["version"],
        correction_reason=data.get("correction_reason"),
        lines=tuple(
            ReturnLine(
                line["measure_code"],
                Decimal(line["quantity"]),
                line["method"],
                line["narrative"],
                tuple(line.get("postcode_districts", ())),
                line.get("attributable", True),
            )
            for line in data["lines"]
        ),
    )


def serialise_review(review: Review) -> dict:
    return {
        "period_id": review.period_id,
        "version": review.version,
        "outcome": review.outcome,
        "note": review.note,
        "verified": {code: stored_number(q) for code, q in review.verified.items()},
        "verified_reasons": dict(review.verified_reasons),
    }


def deserialise_review(data: dict) -> Review:
    data = data.get("review", data)
    return Review(
        data["period_id"],
        data["version"],
        data["outcome"],
        data["note"],
        {code: Decimal(q) for code, q in data.get("verified", {}).items()},
        dict(data.get("verified_reasons", {})),
    )


def sent_records(store: Store, contract_id: str, period_id: str | None = None) -> list[dict]:
    """Every version sent for the contract (or one period of it), by period then version:
    {"return": Return, "by", "at", "evidence": {measure code: [file ids]}} ("" and {} where the record does not say)."""
    folder = f"{contract_prefix(contract_id)}returns/" + (f"{period_id}/sent/" if period_id else "")
    keys = [k for k in store.keys(folder) if "/sent/" in k]
    return [
        {"return": deserialise_return(v), "by": v.get("by", ""), "at": v.get("at", ""), "evidence": v.get("evidence") or {}}
        for v in read_json_many(store, keys)
    ]


def sent_returns(store: Store, contract_id: str) -> list[Return]:
    """Every version of every return sent for the contract, by period then version."""
    return [sent["return"] for sent in sent_records(store, contract_id)]


class ChangedMeanwhile(Exception):
    """Another variation was saved after the version a form showed: this one was not."""


class Contracts:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def _versions(self, contract_id: str) -> str:
        return f"{contract_prefix(contract_id)}versions/"

    def _record(self, contract: Contract, by: str, reason: str) -> dict:
        return {"contract": serialise(contract), "reason": reason, "by": by, "at": self.clock().isoformat()}

    def create(self, contract: Contract, by: str) -> str:
        """Record a new contract; its id. Its supplier contacts may then sign in to report on it."""
        while True:
            contract_id = secrets.token_hex(6)
            if not self.store.keys(self._versions(contract_id)):
                break
        versions.append(self.store, self._versions(contract_id), self._record(contract, by, ""))
        self._grant(contract_id, contract, (), by)
        return contract_id

    def create_once(self, contract: Contract, by: str, form_id: str) -> tuple[str, bool]:
        """Record a new contract under the id its form drew: (its id, whether this call recorded it). The same form
        sent twice, even at the same moment, records one contract; an id another contract has is not taken."""
        if not _valid_id(form_id):
            return self.create(contract, by), True
        try:
            versions.write_at(self.store, self._versions(form_id), 1, self._record(contract, by, ""))
        except AlreadyExists:
            first = self.store.read_json(f"{self._versions(form_id)}000001.json")
            if first["by"] == by and deserialise(first["contract"]) == contract:
                return form_id, False
            return self.create(contract, by), True
        self._grant(form_id, contract, (), by)
        return form_id, True

    def vary(self, contract_id: str, contract: Contract, by: str, reason: str, based_on: int | None = None) -> int:
        """A variation: the contract's next version, with why; contacts it removes are withdrawn at once.

        With `based_on`, the version the officer's form showed, it is written as exactly the next one, or not at all:
        ChangedMeanwhile if another variation came first, even one saved at the same moment."""
        before = self.get(contract_id)
        if before is None:
            raise LookupError(contract_id)
        record = self._record(contract, by, reason)
        if based_on is None:
            number = versions.append(self.store, self._versions(contract_id), record)
        elif before[1] != based_on:
            raise ChangedMeanwhile(contract_id)
        else:
            try:
                number = versions.write_at(self.store, self._versions(contract_id), based_on + 1, record)
            except AlreadyExists:
                raise ChangedMeanwhile(contract_id) from None
        self._grant(contract_id, contract, before[0].supplier_contacts if before[0].title == contract.title else (), by)
        contacts = SupplierContacts(self.store, self.clock)
        for removed in set(before[0].supplier_contacts) - set(contract.supplier_contacts):
            contacts.withdraw(removed, "contract", contract_id, by, f"Removed from the contract: {reason}")
        return number

    def _grant(self, contract_id: str, contract: Contract, already: tuple, by: str) -> None:
        contacts = SupplierContacts(self.store, self.clock)
        for email in contract.supplier_contacts:
            if email not in already:
                contacts.grant(email, "contract", contract_id, contract.title, by)

    def get(self, contract_id: str) -> tuple[Contract, int] | None:
        """The contract now and its version number, or None."""
        keys = self.store.keys(self._versions(contract_id)) if _valid_id(contract_id) else []
        if not keys:
            return None
        return deserialise(self.store.read_json(keys[-1])["contract"]), len(keys)

    def history(self, contract_id: str) -> list[dict]:
        """Every version, oldest first: {"version", "contract", "reason", "by", "at"}."""
        keys = self.store.keys(self._versions(contract_id)) if _valid_id(contract_id) else []
        return [
            {
                "version": n,
                "contract": deserialise(value["contract"]),
                "reason": value["reason"],
                "by": value["by"],
                "at": value["at"],
            }
            for n, value in enumerate(read_json_many(self.store, keys), start=1)
        ]

    def may_report(self, email: str, contract_id: str) -> bool:
        """Whether `email` may sign in as a supplier to report on this contract now."""
        return any(
            g.kind == "contract" and g.subject == contract_id for g in SupplierContacts(self.store, self.clock).grants(email)
        )

    def ids(self) -> list[str]:
        return self.store.folders(PREFIX)

    def review(self, contract_id: str, review: Review, by: str, based_on: int | None = None) -> int:
        """Record an officer's decision on a return version (write-once); its number among the period's reviews.

        With `based_on`, how many of the period's reviews the officer's page showed, it is written as exactly the
        next one, or not at all: ChangedMeanwhile if another review came first (the same form sent twice, too)."""
        value = {"review": serialise_review(review), "by": by, "at": self.clock().isoformat()}
        folder = f"{contract_prefix(contract_id)}reviews/{review.period_id}/"
        if based_on is None:
            return versions.append(self.store, folder, value)
        try:
            return versions.write_at(self.store, folder, based_on + 1, value)
        except AlreadyExists:
            raise ChangedMeanwhile(contract_id) from None

    def reviews(self, contract_id: str) -> list[Review]:
        """Every review of the contract's returns, in the order made."""
        keys = self.store.keys(f"{contract_prefix(contract_id)}reviews/")
        found = [(value["at"], key, deserialise_review(value)) for key, value in zip(keys, read_json_many(self.store, keys))]
        return [review for _, _, review in sorted(found, key=lambda f: (f[0], f[1]))]

    def review_records(self, contract_id: str) -> list[dict]:
        """Reviews with who made them and when, in the order made: for the contract page and the audit of it."""
        keys = self.store.keys(f"{contract_prefix(contract_id)}reviews/")
        found = [{"review": deserialise_review(v), "by": v["by"], "at": v["at"]} for v in read_json_many(self.store, keys)]
        return sorted(found, key=lambda r: r["at"])


def _valid_id(contract_id: str) -> bool:
    """Ids are 12 hex digits; anything else (from a URL) names no contract, and never reaches a storage key."""
    return len(contract_id) == 12 and all(c in "0123456789abcdef" for c in contract_id)
