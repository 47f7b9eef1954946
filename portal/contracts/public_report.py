"""The public "Social value delivered" report (decision 15): verified figures only, from published contracts.

Pure: `python build.py` reads the published contracts' summaries from storage and freezes what this returns.
Nothing personal goes in: no contact's or officer's name or email address, no return's narrative or
declaration; a contract is named by its title, the council's reference and the supplier organisation. Figures
are verified quantities in each measure's own unit (decision 16), with pounds only beside a declared proxy.
The open data's columns are described here, beside the code that fills them, because they change together.
"""

from dataclasses import dataclass
from decimal import Decimal

from .totals import financial_year_label, measure_totals, money_value

__all__ = [
    "DATA_DICTIONARY",
    "DeliveringContract",
    "PublicMeasure",
    "PublicPriority",
    "PublicReport",
    "open_data_rows",
    "public_report",
]


@dataclass(frozen=True)
class DeliveringContract:
    title: str
    reference: str  # the council's own
    supplier_name: str  # an organisation, as published in the contract's award notice
    notice_id: str  # Find a Tender's identifier, or ""
    verified: Decimal  # in the measure's unit
    by_year: tuple[tuple[int, Decimal], ...]  # (financial year's start year, verified), years with any only


@dataclass(frozen=True)
class PublicMeasure:
    code: str
    title: str
    unit: str
    outcome: str  # the outcome's id in content
    verified: Decimal  # across the published contracts
    contracts: tuple[DeliveringContract, ...]  # those that delivered any, most first
    proxy: object = None  # content's MoneyProxy, where declared; show `money` beside `verified`, with its source
    money: Decimal | None = None


@dataclass(frozen=True)
class PublicPriority:
    priority: object  # content's Priority
    measures: tuple[PublicMeasure, ...]


@dataclass(frozen=True)
class PublicReport:
    priorities: tuple[PublicPriority, ...]  # only those with something verified, in content's order
    contracts_published: int

    @property
    def empty(self) -> bool:
        """Nothing verified yet: the page says so rather than showing empty tables."""
        return not self.priorities


def _verified_by_year(total) -> tuple[tuple[int, Decimal], ...]:
    return tuple((year, figures.verified) for year, figures in total.by_year if figures.verified)


def public_report(published, content) -> PublicReport:
    """The report from `published`: pairs of (contract, its CommitmentSummaries) that an officer marked for
    publication. Measures no longer in content are left out: the report is organised by the framework."""
    published = list(published)
    delivered: dict[tuple[str, str], list[DeliveringContract]] = {}
    for contract, summaries in published:
        for total in measure_totals([(contract, summaries)], content):
            if total.all_years.verified > 0:
                delivered.setdefault((total.code, total.unit), []).append(
                    DeliveringContract(
                        contract.title,
                        contract.reference,
                        contract.supplier_name,
                        contract.notice_id or "",
                        total.all_years.verified,
                        _verified_by_year(total),
                    )
                )
    measures = []
    for total in measure_totals(published, content):
        contracts = delivered.get((total.code, total.unit))
        if total.priority is None or not contracts or not total.added_up:
            continue  # a rate over several contracts has no total to publish; each contract's is its own
        contracts.sort(key=lambda c: (-c.verified, c.title, c.reference))
        measures.append(
            PublicMeasure(
                total.code,
                total.title,
                total.unit,
                total.outcome,
                total.all_years.verified,
                tuple(contracts),
                total.proxy,
                total.money(total.all_years.verified),
            )
        )
    priorities = tuple(
        PublicPriority(p, tuple(m for m in measures if content.measure(m.code.lower()).priority == p.id))
        for p in content.framework.priorities
    )
    return PublicReport(tuple(p for p in priorities if p.measures), len(published))


# The open data (CSV and JSON): one row per contract, measure and financial year with anything verified.
# (column, type, description); "number" cells are Decimals, written as numbers, never rounded.
DATA_DICTIONARY = (
    (
        "financial_year",
        "text",
        "The UK financial year (1 April to 31 March), like '2026 to 2027'. A reporting period "
        "that spans two years counts in the year it ends in.",
    ),
    ("priority", "text", "The priority in the council's Social Value Framework that the measure serves."),
    ("outcome", "text", "The outcome, within that priority, that the measure serves."),
    ("measure_code", "text", "The measure's code in the framework's menu of measures, like 'LE01'."),
    ("measure", "text", "The measure's title."),
    ("unit", "text", "The unit the figure is counted in. Figures in different units are never added together."),
    (
        "verified",
        "number",
        "How much the council verified as delivered on this contract for this measure in this "
        "financial year, in the unit. Figures a supplier claimed but the council has not "
        "verified are not included.",
    ),
    ("contract_title", "text", "The contract's title."),
    ("contract_reference", "text", "The council's own reference for the contract."),
    ("contract_notice", "text", "The contract's notice identifier on Find a Tender, where it has one."),
    ("supplier", "text", "The organisation that holds the contract."),
    (
        "money_value",
        "number",
        "Only where the council has chosen a money value for the measure: the verified "
        "figure multiplied by that value, in pounds. Otherwise empty.",
    ),
    ("money_value_source", "text", "Where the money value per unit comes from. Empty when there is none."),
)


def open_data_rows(report: PublicReport, content) -> list[dict]:
    """The report as rows keyed by DATA_DICTIONARY's columns, in its order; the pages write CSV and JSON."""
    rows = []
    for group in report.priorities:
        for measure in group.measures:
            outcome = content.outcome(measure.outcome)
            for contract in measure.contracts:
                for year, verified in contract.by_year:
                    rows.append(
                        {
                            "financial_year": financial_year_label(year),
                            "priority": group.priority.title,
                            "outcome": outcome.title if outcome else "",
                            "measure_code": measure.code,
                            "measure": measure.title,
                            "unit": measure.unit,
                            "verified": verified,
                            "contract_title": contract.title,
                            "contract_reference": contract.reference,
                            "contract_notice": contract.notice_id,
                            "supplier": contract.supplier_name,
                            "money_value": money_value(measure.proxy, verified),
                            "money_value_source": measure.proxy.source if measure.proxy else "",
                        }
                    )
    return rows
