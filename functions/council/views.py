"""The council function's blueprint, with every page's routes registered on it."""

from . import (
    audit_pages,
    charter_pages,
    contract_pages,
    contract_record_pages,
    contract_review_pages,
    download_pages,
    event_pages,
    export_job_pages,
    export_pages,
    pages,
    ratings_pages,
    report_pages,
    returns_pages,
    signin_pages,
    totals_pages,
)
from .web import council_blueprint

__all__ = ["council_blueprint"]
