"""A review an officer posted as their session ran out: kept for a while on the server, tied to that officer and
submission, and put back in the form when they have signed in again, so that nothing they typed is lost.

`council/kept-reviews/<sha256 of email, questionnaire and reference>/<time>.json` holds what was posted; a
`<time>.taken` marker beside it, written once it is back in the form, stops it coming back twice. The purge
deletes them a day later (retention.SHORT_LIVED).
"""

import hashlib
from datetime import datetime, timedelta

from ..storage import AlreadyExists, NotFound, Store

PREFIX = "council/kept-reviews/"
KEPT_FOR = timedelta(hours=2)
_TIME = "%Y%m%dT%H%M%S%fZ"


def _folder(email: str, assessment_id: str, reference: str) -> str:
    return PREFIX + hashlib.sha256(f"{email}\n{assessment_id}\n{reference}".encode()).hexdigest() + "/"


def keep(store: Store, email: str, assessment_id: str, reference: str, status: str, note: str, now: datetime) -> None:
    store.create_json(
        f"{_folder(email, assessment_id, reference)}{now:{_TIME}}.json",
        {"status": status, "note": note, "kept_at": now.isoformat(), "expires_at": (now + KEPT_FOR).isoformat()},
    )


def take(store: Store, email: str, assessment_id: str, reference: str, now: datetime) -> dict | None:
    """The newest review kept for this officer and submission, not yet taken and not expired; marked taken."""
    folder = _folder(email, assessment_id, reference)
    keys = set(store.keys(folder))
    for key in sorted((k for k in keys if k.endswith(".json")), reverse=True):
        if key.removesuffix(".json") + ".taken" in keys:
            return None  # the newest was already put back; anything older is older than what was saved since
        try:
            kept = store.read_json(key)
            if datetime.fromisoformat(kept["expires_at"]) <= now:
                return None
            store.create_json(key.removesuffix(".json") + ".taken", {"taken_at": now.isoformat()})
        except (NotFound, AlreadyExists):  # purged, or put back by another request this moment
            return None
        return kept
    return None
