"""Contracts after the award: commitments, the reporting schedule, returns, reviews and their summaries; and
from those summaries, KPI ratings, Contract Performance Notice rows, totals, chasing plans and the public report.

Plain Python (decision 11): no Flask, boto3 or functions; pages and storage build on this surface. Reading a
commitments spreadsheet is `portal.contracts.spreadsheet`, imported only by the page that does it: kept out of
this package's surface so that the site and every function importing the core do not ship openpyxl with it. Every
reader of posted data returns (value, errors): errors maps a form field's name to its GOV.UK message.
"""

from .chart import bar_chart_svg
from .chasing import KINDS, Reminder, chasing_plan
from .contract_form import read_contract
from .model import BASES, FREQUENCIES, OUTCOMES, Commitment, Contract, Return, ReturnLine, Review
from .notice import NOTICE_COLUMNS, KpiRow, kpi_rows, notice_table
from .public_report import (
    DATA_DICTIONARY,
    DeliveringContract,
    PublicMeasure,
    PublicPriority,
    PublicReport,
    open_data_rows,
    public_report,
)
from .ratings import BANDS, Override, Rating, effective_rating, rate_commitment, rate_contract, read_override
from .returns import commitments_due, read_return, read_review
from .schedule import (
    STATUSES,
    Period,
    commitment_periods,
    hidden_by_change,
    period_of,
    period_status,
    periods,
    reporting_periods,
)
from .summary import CommitmentSummary, PeriodFigures, summarise, table_rows
from .totals import (
    Figures,
    MeasureTotal,
    OutcomeTotals,
    PriorityTotals,
    by_priority,
    financial_year,
    financial_year_label,
    measure_totals,
    money_value,
)

__all__ = [
    # records, schedule and summaries (issue 18)
    "BASES",
    "FREQUENCIES",
    "OUTCOMES",
    "STATUSES",
    "Commitment",
    "CommitmentSummary",
    "Contract",
    "Period",
    "PeriodFigures",
    "Return",
    "ReturnLine",
    "Review",
    "bar_chart_svg",
    "commitment_periods",
    "hidden_by_change",
    "commitments_due",
    "period_of",
    "period_status",
    "periods",
    "read_contract",
    "read_return",
    "read_review",
    "reporting_periods",
    "summarise",
    "table_rows",
    # ratings and Contract Performance Notices (issue 19)
    "BANDS",
    "NOTICE_COLUMNS",
    "KpiRow",
    "Override",
    "Rating",
    "effective_rating",
    "kpi_rows",
    "notice_table",
    "rate_commitment",
    "rate_contract",
    "read_override",
    # totals across contracts
    "Figures",
    "MeasureTotal",
    "OutcomeTotals",
    "PriorityTotals",
    "by_priority",
    "financial_year",
    "financial_year_label",
    "measure_totals",
    "money_value",
    # chasing returns
    "KINDS",
    "Reminder",
    "chasing_plan",
    # the public report
    "DATA_DICTIONARY",
    "DeliveringContract",
    "PublicMeasure",
    "PublicPriority",
    "PublicReport",
    "open_data_rows",
    "public_report",
]
