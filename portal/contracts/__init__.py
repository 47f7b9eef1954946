"""Contracts after the award: commitments, the reporting schedule, returns, reviews and their summaries.

Plain Python (decision 11): no Flask, boto3 or functions; pages and storage build on this surface. Every
reader of posted data returns (value, errors): errors maps a form field's name to its GOV.UK message.
"""
from .chart import bar_chart_svg
from .contract_form import read_contract
from .model import BASES, FREQUENCIES, OUTCOMES, Commitment, Contract, Return, ReturnLine, Review
from .returns import commitments_due, read_return, read_review
from .schedule import STATUSES, Period, commitment_periods, period_status, periods, reporting_periods
from .spreadsheet import CommitmentRow, commitments_from_rows, read_commitment_rows
from .summary import CommitmentSummary, PeriodFigures, summarise, table_rows

__all__ = [
    "BASES", "FREQUENCIES", "OUTCOMES", "STATUSES", "Commitment", "CommitmentRow", "CommitmentSummary", "Contract",
    "Period", "PeriodFigures", "Return", "ReturnLine", "Review", "bar_chart_svg", "commitment_periods",
    "commitments_due", "commitments_from_rows", "period_status", "periods", "read_commitment_rows", "read_contract",
    "read_return", "read_review", "reporting_periods", "summarise", "table_rows",
]
