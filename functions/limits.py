"""The portal's one rate limiter (council sign-in, event registration), kept in storage so that it holds across every
Lambda instance: one write-once marker per request.

Markers live at `council/rate-limits/<window start>/<sha256 of what is limited>/<time>-<random>.json`; a window's
count is one listing. The bucket's lifecycle rule (and `flask --app portal purge`) deletes old windows.
"""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from .storage import Store

PREFIX = "council/rate-limits/"
WINDOW = timedelta(minutes=15)


class RateLimits:
    def __init__(self, store: Store, clock=lambda: datetime.now(timezone.utc)):
        self.store = store
        self.clock = clock

    def allow(self, kind: str, value: str, limit: int) -> bool:
        """Count one request for (kind, value) in the current window, unless `limit` have been counted already."""
        now = self.clock()
        start = datetime.fromtimestamp(now.timestamp() // WINDOW.total_seconds() * WINDOW.total_seconds(), timezone.utc)
        digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
        prefix = f"{PREFIX}{start:%Y%m%dT%H%M%SZ}/{digest}/"
        if len(self.store.keys(prefix)) >= limit:
            return False
        self.store.create_json(f"{prefix}{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.json", {})
        return True
