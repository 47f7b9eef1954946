"""Contracts after the award, their commitments, returns and reviews: plain, frozen records.

Quantities are Decimals in the measure's own unit (decision 16); nothing here adds different units together.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = ["BASES", "FREQUENCIES", "OUTCOMES", "Commitment", "Contract", "Return", "ReturnLine", "Review"]

# How often a commitment is reported, as content/measures/ write it; the number of months in one period.
FREQUENCIES = {"monthly": 1, "quarterly": 3, "six-monthly": 6, "annually": 12, "end-of-contract": None}
BASES = {"per_period": "In each reporting period", "whole_contract": "Over the whole contract"}
OUTCOMES = {"accepted": "Accepted", "queried": "Queried", "rejected": "Rejected"}


@dataclass(frozen=True)
class Commitment:
    """What the supplier promised for one measure: per period, or over the whole contract with a profile."""

    measure_code: str  # like LE01; a contract commits to each measure at most once, so it names the commitment
    quantity: Decimal
    basis: str  # a key of BASES
    frequency: str  # a key of FREQUENCIES
    delivery_note: str
    profile: tuple[Decimal, ...] = ()  # whole_contract only: the amount due in each period, summing to quantity

    def committed_in(self, period_number: int) -> Decimal:
        """The amount committed for the period numbered `period_number` (1 is the first)."""
        if self.basis == "per_period":
            return self.quantity
        return self.profile[period_number - 1] if 0 < period_number <= len(self.profile) else Decimal(0)


@dataclass(frozen=True)
class Contract:
    title: str
    reference: str  # the council's own
    supplier_name: str
    value: Decimal  # pounds
    start: date
    end: date
    contract_manager: str  # an officer's email address
    supplier_contacts: tuple[str, ...]
    commitments: tuple[Commitment, ...]
    notice_id: str | None = None  # Find a Tender, like 012345-2025
    ppon: str | None = None  # the supplier's Public Procurement Organisation Number

    def commitment(self, measure_code: str) -> Commitment | None:
        return next((c for c in self.commitments if c.measure_code == measure_code), None)


@dataclass(frozen=True)
class ReturnLine:
    """What a supplier says they delivered against one commitment in one period."""

    measure_code: str
    quantity: Decimal
    method: str
    narrative: str
    postcode_districts: tuple[str, ...] = ()  # local measures only
    attributable: bool = True  # confirmed: counted for this contract and period only


@dataclass(frozen=True)
class Return:
    """One version of a return for one reporting period; a correction is a later version with a reason."""

    period_id: str
    lines: tuple[ReturnLine, ...]
    declared_by_name: str
    declared_by_role: str
    version: int = 1
    correction_reason: str | None = None

    def line(self, measure_code: str) -> ReturnLine | None:
        return next((l for l in self.lines if l.measure_code == measure_code), None)


@dataclass(frozen=True)
class Review:
    """An officer's decision on one version of a return. Verified quantities count only when accepted."""

    period_id: str
    version: int
    outcome: str  # a key of OUTCOMES
    note: str
    verified: dict[str, Decimal] = field(default_factory=dict)  # measure code -> verified quantity
    verified_reasons: dict[str, str] = field(default_factory=dict)  # measure code -> why it differs from the claim
