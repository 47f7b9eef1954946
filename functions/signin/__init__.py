"""Signing in by emailed single-use link, with sessions kept in storage (DESIGN.md decision 13): the one mechanism
behind officers' sign-in (functions/council/) and suppliers' (functions/suppliers/), each under its own prefix.
contacts.py says who may sign in as a supplier; it is here, below both the suppliers' pages and the contracts that
grant it, so that neither folder imports the other both ways."""

from urllib.parse import urlsplit


def safe_next(target: str | None, area: str) -> str | None:
    """A page under `area` ("/council/", "/supplier/") to return to after signing in; anything else (another site,
    a scheme, another area) is ignored, so a sign-in link can never send anyone elsewhere."""
    if not target or not target.startswith(area) or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
