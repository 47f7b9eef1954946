"""The supplier function's blueprint, with every page's routes registered on it."""
from . import contract_pages, pages, evidence_pages, return_pages, signin_pages  # noqa: F401  (each module adds its routes to the blueprint)
from .web import supplier_blueprint

__all__ = ["supplier_blueprint"]
