"""The audit log: one write-once record per sign-in, view, status change and download, never edited.

Records are at `audit/<YYYY-MM-DD>/<ISO time>-<random>.json`, so keys sort by time and a day is one listing.
"""

import secrets
from datetime import datetime

from portal.clock import now

from ..storage import Store

PREFIX = "audit/"


def record(
    store: Store, who: str, action: str, subject: str, ip: str, details: dict | None = None, at: datetime | None = None
) -> dict:
    """Append one record: `who` is an officer's email or "system"; `subject` what it was about (a reference)."""
    at = at or now()
    entry = {"at": at.isoformat(), "who": who, "action": action, "subject": subject, "ip": ip, "details": details or {}}
    store.create_json(f"{PREFIX}{at:%Y-%m-%d}/{at:%Y-%m-%dT%H:%M:%S.%fZ}-{secrets.token_hex(6)}.json", entry)
    return entry


def keys_newest_first(store: Store) -> list[str]:
    return sorted(store.keys(PREFIX), reverse=True)


def read(store: Store, keys: list[str]) -> list[dict]:
    return [store.read_json(key) for key in keys]
