"""The supplier function's blueprint, with every page's routes registered on it."""

from . import charter_pages, contract_pages, evidence_pages, pages, return_pages, signin_pages
from .web import supplier_blueprint

__all__ = ["supplier_blueprint"]
