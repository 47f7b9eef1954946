"""The portal's one rate limiter (council sign-in, event registration), kept in storage so that it holds across every
Lambda instance: one write-once marker per request.

Markers live at `council/rate-limits/<window start>/<sha256 of what is limited>/<n>.json`, numbered 1 to the limit
with conditional creates, so that a burst of requests at the same moment cannot all slip in under the count: each
number is taken once, and a request that finds none left is refused. The bucket's lifecycle rule (and
`flask --app portal purge`) deletes old windows.
"""

import hashlib
from datetime import datetime, timedelta, timezone

from portal.clock import now

from functions.storage import AlreadyExists, Store

PREFIX = "council/rate-limits/"
WINDOW = timedelta(minutes=15)


class RateLimits:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def allow(self, kind: str, value: str, limit: int) -> bool:
        """Count one request for (kind, value) in the current window, unless `limit` have been counted already."""
        now = self.clock()
        start = datetime.fromtimestamp(now.timestamp() // WINDOW.total_seconds() * WINDOW.total_seconds(), timezone.utc)
        digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
        prefix = f"{PREFIX}{start:%Y%m%dT%H%M%SZ}/{digest}/"
        for number in range(len(self.store.keys(prefix)) + 1, limit + 1):
            try:
                self.store.create_json(f"{prefix}{number:06d}.json", {"at": now.isoformat()})
                return True
            except AlreadyExists:
                continue  # another request took that number a moment ago
        return False
