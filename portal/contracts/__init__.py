"""Contracts after the award: commitments, the reporting schedule, returns, reviews and their summaries.

Plain Python (decision 11): no Flask, boto3 or functions; pages and storage build on this surface. Every
reader of posted data returns (value, errors): errors maps a form field's name to its GOV.UK message.
"""
from .chart import bar_chart_svg
from .chasing import KINDS, Reminder, chasing_plan
from .contract_form import read_contract
from .model import BASES, FREQUENCIES, OUTCOMES, Commitment, Contract, Return, ReturnLine, Review
from .notice import NOTICE_COLUMNS, KpiRow, kpi_rows, notice_table
from .public_report import (DATA_DICTIONARY, DeliveringContract, PublicMeasure, PublicPriority, PublicReport,
                            open_data_rows, public_report)
from .ratings import BANDS, Override, Rating, effective_rating, rate_commitment, rate_contract, read_override
from .returns import commitments_due, read_return, read_review
from .schedule import STATUSES, Period, commitment_periods, period_status, periods, reporting_periods
from .spreadsheet import CommitmentRow, commitments_from_rows, read_commitment_rows
from .totals import (Figures, MeasureTotal, OutcomeTotals, PriorityTotals, by_priority, financial_year,
                     financial_year_label, measure_totals)
from .summary import CommitmentSummary, PeriodFigures, summarise, table_rows

__all__ = [
    "BANDS", "DATA_DICTIONARY", "DeliveringContract", "PublicMeasure", "PublicPriority", "PublicReport",
    "open_data_rows", "public_report", "BASES", "FREQUENCIES", "KINDS", "Reminder", "chasing_plan", "NOTICE_COLUMNS", "KpiRow", "MeasureTotal", "OutcomeTotals", "PriorityTotals", "OUTCOMES", "STATUSES", "Commitment", "CommitmentRow", "CommitmentSummary", "Contract", "Figures",
    "Override", "Period", "PeriodFigures", "Rating", "Return", "ReturnLine", "Review", "bar_chart_svg", "by_priority", "commitment_periods",
    "commitments_due", "commitments_from_rows", "effective_rating", "financial_year", "financial_year_label", "kpi_rows", "measure_totals", "notice_table", "period_status", "periods", "rate_commitment",
    "rate_contract", "read_commitment_rows", "read_contract", "read_override", "read_return", "read_review",
    "reporting_periods", "summarise", "table_rows",
]
