"""Sessions, kept in storage so that signing out ends them on the server and every instance agrees.

`<prefix><sha256 of the session id>/` (officers' under `council/sessions/`, suppliers' under `suppliers/sessions/`)
holds `started.json` (who, when), one `seen/<time>.json` marker
per minute of activity, and `ended.json` once signed out. The cookie carries only the session id.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal.clock import now

from ..storage import AlreadyExists, NotFound, Store

IDLE_LIMIT = timedelta(minutes=30)
LONGEST = timedelta(hours=8)
WARN_WITHIN = timedelta(minutes=5)  # the page offers "stay signed in" prominently when this close to the end
SEEN_EVERY = timedelta(minutes=1)  # activity is written at most this often, to keep requests cheap
_TIME = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Session:
    token: str
    email: str
    started_at: datetime
    last_seen: datetime

    @property
    def expires_at(self) -> datetime:
        """When it ends if the officer does nothing: 30 minutes idle, and never more than 8 hours in all."""
        return min(self.last_seen + IDLE_LIMIT, self.started_at + LONGEST)

    @property
    def ends_for_good_at(self) -> datetime:
        return self.started_at + LONGEST


class Sessions:
    def __init__(self, store: Store, clock=now, *, prefix: str):
        self.store = store
        self.clock = clock
        self.prefix = prefix

    def _folder(self, token: str) -> str:
        return f"{self.prefix}{hashlib.sha256(token.encode()).hexdigest()}/"

    def start(self, email: str) -> Session:
        token = secrets.token_urlsafe(32)
        now = self.clock().replace(microsecond=0)
        self.store.create_json(f"{self._folder(token)}started.json", {"email": email, "started_at": now.isoformat()})
        return Session(token, email, now, now)

    def find(self, token: str | None) -> Session | None:
        """The live session with this id, or None if it is unknown, signed out or expired."""
        if not token or not isinstance(token, str) or len(token) > 100:
            return None
        folder = self._folder(token)
        session = self._read(folder, self.store.keys(folder), token)
        return session if session is not None and self.clock() < session.expires_at else None

    def find_ended_by_time(self, token: str | None) -> Session | None:
        """The session with this id if it has run out of time (not signed out): whose it was, to keep a post it missed."""
        if not token or not isinstance(token, str) or len(token) > 100:
            return None
        folder = self._folder(token)
        session = self._read(folder, self.store.keys(folder), token)
        return session if session is not None and self.clock() >= session.expires_at else None

    def _read(self, folder: str, keys: list[str], token: str = "") -> Session | None:
        """The session in `folder` (whose keys are `keys`), live or expired; None if it never started or was signed out."""
        if f"{folder}started.json" not in keys or f"{folder}ended.json" in keys:
            return None
        try:
            started = self.store.read_json(f"{folder}started.json")
        except NotFound:
            return None
        started_at = datetime.fromisoformat(started["started_at"])
        seen = [
            datetime.strptime(key.rsplit("/", 1)[1].removesuffix(".json"), _TIME).replace(tzinfo=timezone.utc)
            for key in keys
            if key.startswith(f"{folder}seen/")
        ]
        return Session(token, started["email"], started_at, max([started_at, *seen]))

    def touch(self, session: Session) -> Session:
        """Record activity, which moves the idle timeout on; written at most once a minute."""
        now = self.clock().replace(microsecond=0)
        if now - session.last_seen < SEEN_EVERY:
            return session
        try:
            self.store.create_json(f"{self._folder(session.token)}seen/{now:{_TIME}}.json", {})
        except AlreadyExists:
            pass  # another request this second did the same
        return Session(session.token, session.email, session.started_at, now)

    def end(self, session: Session) -> None:
        try:
            self.store.create_json(f"{self._folder(session.token)}ended.json", {"ended_at": self.clock().isoformat()})
        except AlreadyExists:
            pass

    def end_all(self, email: str) -> int:
        """End every open session of `email`, found from one listing; return how many had not yet expired."""
        folders = {}
        for key in self.store.keys(self.prefix):
            folders.setdefault(self.prefix + key[len(self.prefix) :].split("/", 1)[0] + "/", []).append(key)
        live = 0
        for folder, keys in sorted(folders.items()):
            session = self._read(folder, keys)
            if session is None or session.email != email:
                continue
            live += self.clock() < session.expires_at
            try:
                self.store.create_json(f"{folder}ended.json", {"ended_at": self.clock().isoformat()})
            except AlreadyExists:
                pass  # signed out at the same moment
        return live
