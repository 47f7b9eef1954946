"""Charter signatories, kept write-once in storage: sign up, confirm, decide, update yearly, leave, raise concerns.

Under charter/:
  signatories/<id>/<NNNNNN>.json   each version of a signatory: what they gave us, their status, who changed it and
                                   why; a change is the next version, created only if nobody made it first
  links/<sha256 of token>.json     a link that confirms the address; only the hash is kept, so a listing reveals no
                                   link (their own pages are supplier pages, behind the supplier sign-in)
  used-links/<sha256>.json         a confirmation link has been used: it works once
  updates/<id>/<NNNNNN>.json       their yearly updates, oldest first
  requested/<id>/<k>.json          the email asking for the k-th anniversary's update was sent
  lapsed/<id>/<k>.json             officers were told the signatory lapsed at their k-th anniversary
  concerns/<id>/<time>-<random>.json   a concern someone raised about them

Statuses: unconfirmed (address not yet confirmed), pending (for officers), approved, declined, left, removed.
Whether an approved signatory has lapsed follows from their dates (portal/charter/yearly.py), so nothing marks it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.charter.register import PublicSignatory, on_register, public_signatory

from ..storage import AlreadyExists, NotFound, Store, read_json_many, versions

PREFIX = "charter/"
CONFIRM_LINK_LASTS = timedelta(days=7)
ENDED = ("declined", "left", "removed")


class LinkNotFound(LookupError):
    """No signatory answers to that link, or it has expired."""


class LinkUsed(LookupError):
    """A confirmation link that has been used already."""


class StatusChanged(Exception):
    """Someone else changed the signatory first, or the change does not apply to their status now."""


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    signatory: str
    purpose: str  # "confirm"
    expires_at: datetime


class Signatories:
    def __init__(self, store: Store, clock):
        self.store = store
        self.clock = clock

    # --- signatories ---

    def _key(self, signatory_id: str, version: int) -> str:
        return f"{PREFIX}signatories/{signatory_id}/{version:06d}.json"

    def sign_up(self, details: dict) -> tuple[dict, str]:
        """A new, unconfirmed signatory and the link that confirms their address."""
        now = self.clock()
        record = {
            "id": secrets.token_hex(8),
            "version": 1,
            "status": "unconfirmed",
            "at": now.isoformat(),
            "by": "signatory",
            "reason": "",
            "created_at": now.isoformat(),
            "joined_on": None,
            "details": details,
        }
        self.store.create_json(self._key(record["id"], 1), record)
        return record, self.new_link(record["id"], "confirm")

    def get(self, signatory_id: str) -> dict:
        if not signatory_id.isalnum() or len(signatory_id) > 32:
            raise NotFound(signatory_id)
        keys = self.store.keys(f"{PREFIX}signatories/{signatory_id}/")
        if not keys:
            raise NotFound(signatory_id)
        return self.store.read_json(keys[-1])

    def history(self, signatory_id: str) -> list[dict]:
        return read_json_many(self.store, self.store.keys(f"{PREFIX}signatories/{signatory_id}/"))

    def everyone(self) -> list[dict]:
        """Every signatory's newest version, newest sign-up first."""
        newest = {}
        for key in self.store.keys(f"{PREFIX}signatories/"):
            newest[key.split("/")[-2]] = key  # keys sort by version within a signatory
        records = read_json_many(self.store, list(newest.values()))
        return sorted(records, key=lambda r: r["created_at"], reverse=True)

    def change(self, record: dict, status: str, by: str, reason: str = "", allowed_from: tuple = (), **fields) -> dict:
        """The next version with a new status; StatusChanged if the record is not the newest any more, or its status is
        not one of `allowed_from`: two officers deciding at once, or a signatory leaving twice, change it once."""
        if allowed_from and record["status"] not in allowed_from:
            raise StatusChanged(record["status"])
        changed = {
            **record,
            **fields,
            "version": record["version"] + 1,
            "status": status,
            "by": by,
            "reason": reason,
            "at": self.clock().isoformat(),
        }
        try:
            self.store.create_json(self._key(record["id"], changed["version"]), changed)
        except AlreadyExists:
            raise StatusChanged(record["status"]) from None
        return changed

    # --- private links ---

    def new_link(self, signatory_id: str, purpose: str) -> str:
        token = secrets.token_urlsafe(24)
        self.store.create_json(
            f"{PREFIX}links/{digest(token)}.json",
            {"signatory": signatory_id, "purpose": purpose, "expires_at": (self.clock() + CONFIRM_LINK_LASTS).isoformat()},
        )
        return token

    def link(self, token: str, purpose: str) -> Link:
        if not token or len(token) > 64:
            raise LinkNotFound(token)
        try:
            found = self.store.read_json(f"{PREFIX}links/{digest(token)}.json")
        except NotFound:
            raise LinkNotFound(token) from None
        link = Link(found["signatory"], found["purpose"], datetime.fromisoformat(found["expires_at"]))
        if link.purpose != purpose or link.expires_at <= self.clock():
            raise LinkNotFound(token)
        return link

    def confirm(self, token: str) -> dict:
        """Use a confirmation link, once: the signatory goes to officers. LinkUsed the second time."""
        link = self.link(token, "confirm")
        record = self.get(link.signatory)
        try:
            self.store.create_json(f"{PREFIX}used-links/{digest(token)}.json", {"at": self.clock().isoformat()})
        except AlreadyExists:
            raise LinkUsed(token) from None
        try:
            return self.change(
                record, "pending", "signatory", allowed_from=("unconfirmed",), confirmed_at=self.clock().isoformat()
            )
        except StatusChanged:
            raise LinkUsed(token) from None

    # --- yearly updates ---

    def updates(self, signatory_id: str) -> list[dict]:
        return read_json_many(self.store, self.store.keys(f"{PREFIX}updates/{signatory_id}/"))

    def add_update(self, record: dict, update: dict, today: date, by: str) -> dict:
        value = {**update, "on": today.isoformat(), "at": self.clock().isoformat(), "by": by}
        versions.append(self.store, f"{PREFIX}updates/{record['id']}/", value)
        return value

    def mark(self, kind: str, signatory_id: str, anniversary: int) -> bool:
        """A write-once marker ("requested" or "lapsed"): True if this call made it, False if it was there."""
        try:
            self.store.create_json(f"{PREFIX}{kind}/{signatory_id}/{anniversary:04d}.json", {"at": self.clock().isoformat()})
            return True
        except AlreadyExists:
            return False

    def unmark(self, kind: str, signatory_id: str, anniversary: int) -> None:
        """The email failed: let the next run try again."""
        self.store.delete(f"{PREFIX}{kind}/{signatory_id}/{anniversary:04d}.json")

    # --- concerns ---

    def raise_concern(self, signatory_id: str, concern: dict) -> dict:
        now = self.clock()
        value = {**concern, "signatory": signatory_id, "at": now.isoformat()}
        self.store.create_json(f"{PREFIX}concerns/{signatory_id}/{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.json", value)
        return value

    def concerns(self) -> list[dict]:
        """Every concern, newest first."""
        keys = self.store.keys(f"{PREFIX}concerns/")
        return sorted(read_json_many(self.store, keys), key=lambda c: c["at"], reverse=True)

    # --- the register ---

    def register(self, today: date, charter) -> list[PublicSignatory]:
        """The public register on `today`: approved signatories that have not lapsed, by organisation name."""
        listed = []
        for record in self.everyone():
            if record["status"] != "approved":
                continue
            updates = self.updates(record["id"])
            if on_register(record, updates, today, charter):
                listed.append(public_signatory(record, updates))
        return sorted(listed, key=lambda s: s.organisation.casefold())


def app_signatories() -> Signatories:
    """The app's signatories over its one store and clock; Flask is imported only here."""
    from flask import current_app

    from portal.clock import now

    from ..storage import app_store

    if "portal.signatories" not in current_app.extensions:
        current_app.extensions["portal.signatories"] = Signatories(app_store(), clock=now)
    return current_app.extensions["portal.signatories"]


def live_register(app):
    """For an app that serves the site and every function at once (make run): the register read on each request."""
    from portal.clock import now, uk_today

    from ..storage import app_store

    return lambda: Signatories(app_store(app), now).register(uk_today(), app.extensions["portal.content"].charter)
