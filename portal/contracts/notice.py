"""KPI data ready for a Contract Performance Notice (Procurement Act 2023, s.71): one row per KPI.

A KPI is one commitment. Its figures cover the same settled periods its rating counts (see ratings.py), so
the target, the claim, the verified figure and the rating in a row always describe the same stretch of time.
The pages write the rows as CSV or XLSX (and neutralise formulas there); nothing here knows either format.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .combining import over_time
from .ratings import BANDS, Rating, effective_rating, rate_commitment, settled_periods

__all__ = ["NOTICE_COLUMNS", "KpiRow", "kpi_rows", "notice_table"]

# The table's columns, in order: (key of a notice_table row's cells, heading).
# Regulation 39(4) of the Procurement Regulations 2024 lists what the notice holds; these are the parts the
# portal knows. The supplier's postal and email address for the notice are the organisation's, not a contact's.
NOTICE_COLUMNS = (
    ("contract_title", "Contract title"),
    ("contract_reference", "Contract reference"),
    ("notice_id", "Contract notice identifier"),
    ("supplier_name", "Supplier"),
    ("ppon", "Supplier identifier (PPON)"),
    ("kpi", "KPI"),
    ("name", "KPI name"),
    ("unit", "Unit"),
    ("committed_total", "Committed over the whole contract"),
    ("target", "Target for the period covered"),
    ("delivered", "Delivered (claimed by the supplier)"),
    ("verified", "Verified by the council"),
    ("rating", "Rating"),
    ("reason", "Reason for the rating"),
    ("period_from", "Period covered from"),
    ("period_to", "Period covered to"),
)


@dataclass(frozen=True)
class KpiRow:
    measure_code: str
    name: str  # the measure's title from content
    unit: str
    committed_total: Decimal
    target: Decimal  # committed for the settled periods
    delivered: Decimal  # claimed for the settled periods
    verified: Decimal
    rating: Rating  # the effective one: an officer's override where it holds
    period_from: date | None  # None when no period is settled yet
    period_to: date | None


def kpi_rows(summaries, content, overrides=None) -> list[KpiRow]:
    """One row per KPI of a contract, from its CommitmentSummaries; `overrides`: measure code -> Override."""
    overrides = overrides or {}
    thresholds = content.contracts.ratings
    rows = []
    for summary in summaries:
        code = summary.commitment.measure_code
        measure = content.measure(code.lower())
        settled = settled_periods(summary)
        rating = effective_rating(rate_commitment(summary, thresholds), overrides.get(code))
        rows.append(
            KpiRow(
                measure_code=code,
                name=measure.title if measure else code,
                unit=summary.unit,
                committed_total=summary.committed_total,
                target=over_time([f.committed for f in settled], summary.combine),
                delivered=over_time([f.claimed for f in settled], summary.combine),
                verified=over_time([f.verified for f in settled], summary.combine),
                rating=rating,
                period_from=min((f.period.start for f in settled), default=None),
                period_to=max((f.period.end for f in settled), default=None),
            )
        )
    return rows


def notice_table(contract, rows: list[KpiRow]) -> list[list]:
    """The heading row, then one list of cells per KPI in NOTICE_COLUMNS' order. Cells are text, Decimals
    (quantities, in the row's unit) or dates; a writer keeps numbers as numbers and dates as dates."""
    table = [[heading for _, heading in NOTICE_COLUMNS]]
    for row in rows:
        cells = {
            "contract_title": contract.title,
            "contract_reference": contract.reference,
            "notice_id": contract.notice_id or "",
            "supplier_name": contract.supplier_name,
            "ppon": contract.ppon or "",
            "kpi": row.measure_code,
            "name": row.name,
            "unit": row.unit,
            "committed_total": row.committed_total,
            "target": row.target,
            "delivered": row.delivered,
            "verified": row.verified,
            "rating": BANDS[row.rating.band],
            "reason": row.rating.reason,
            "period_from": row.period_from or "",
            "period_to": row.period_to or "",
        }
        table.append([cells[key] for key, _ in NOTICE_COLUMNS])
    return table
