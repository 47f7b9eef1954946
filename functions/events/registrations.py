"""Registrations for events, kept write-once in storage: register, then view and cancel by private link.

Under events/<slug>/ (beside the places and waiting list of functions/events/places.py):
  registrations/<id>/<version>.json   what the person told us; a change is a new version
  emails/<sha256 of email>/<n>.json    which registration an email address has; a new one only after a cancellation
  links/<sha256 of token>.json         a private link to a registration; only the hash is kept, never the link
  reminded/<id>.json                   the reminder was sent
  changes/<sequence>/<id>.json         the email about the event's change to that SEQUENCE was sent to <id>
  changes/<sequence>/done.json         everyone registered before that change has been told
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portal.events.model import REGISTRATION_RETENTION_DAYS, Event
from portal.clock import now

from .places import Places, Standing, prefix, read_snapshot
from ..storage import AlreadyExists, NotFound, Store, read_json_many

ATTEMPTS = 5  # two requests for the same email at once: the loser finds the winner's registration


class RegistrationClosed(Exception):
    """The closing time has passed, or the event has started."""


class RegistrationNotFound(LookupError):
    """No registration answers to that private link."""


def _now() -> datetime:
    return now()


def _delete_after(now: datetime) -> str:
    """When the bucket's lifecycle rule deletes what is written now, as the privacy notice says."""
    return (now + timedelta(days=REGISTRATION_RETENTION_DAYS)).date().isoformat()


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def email_digest(email: str) -> str:
    """The same address in any case is the same person."""
    return digest(email.strip().lower())


@dataclass(frozen=True)
class Registration:
    id: str
    event: str
    version: int
    created_at: str
    updated_at: str
    delete_after: str
    details: dict

    def stored(self) -> dict:
        return {
            "id": self.id,
            "event": self.event,
            "version": self.version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "delete_after": self.delete_after,
            "details": self.details,
        }


@dataclass(frozen=True)
class Tally:
    """How an event stands: registrations with a place, on the waiting list, and cancelled."""

    confirmed: int
    waiting: int
    cancelled: int


@dataclass(frozen=True)
class Outcome:
    """What registering did: the registration, its new private link, where it stands, and who else got a place."""

    registration: Registration
    token: str
    standing: Standing
    already: bool = False  # the address had a registration already: nothing was changed
    promoted: list = field(default_factory=list)  # registrations given a freed place along the way


class Registrations:
    def __init__(self, store: Store, clock=_now):
        self.store = store
        self.clock = clock
        self.places = Places(store)

    # --- reading ---

    def _latest(self, keys: list[str]) -> Registration:
        data = self.store.read_json(keys[-1])
        return Registration(**data)

    def get(self, event: Event, registration_id: str) -> Registration:
        keys = self.store.keys(f"{prefix(event.slug)}registrations/{registration_id}/")
        if not keys:
            raise RegistrationNotFound(registration_id)
        return self._latest(keys)

    def find(self, event: Event, token: str) -> Registration:
        """The registration behind a private link."""
        if not token or len(token) > 64:
            raise RegistrationNotFound(token)
        try:
            link = self.store.read_json(f"{prefix(event.slug)}links/{digest(token)}.json")
        except NotFound:
            raise RegistrationNotFound(token) from None
        return self.get(event, link["registration"])

    def standing(self, event: Event, registration_id: str) -> Standing | None:
        return self.places.standing(read_snapshot(self.store, event.slug), registration_id)

    def tally(self, slug: str) -> Tally:
        """Counts from one listing, reading only who holds each place, never the registrations themselves.

        Only the event's slug is needed, so an event taken out of the content still shows what is stored."""
        snapshot = read_snapshot(self.store, slug)
        holding = self.places.held(snapshot)
        return Tally(confirmed=len(holding), waiting=len(self.places.queue(snapshot, holding)), cancelled=len(snapshot.cancelled))

    def everyone(self, slug: str) -> list[tuple[Registration, Standing, bool]]:
        """Every registration that got a place, a spot in the queue or was cancelled, with whether it was reminded."""
        snapshot = read_snapshot(self.store, slug)
        standings = {
            registration_id: self.places.standing(snapshot, registration_id) for registration_id in snapshot.registrations
        }
        # None: a request that lost a race for its email, or never finished
        shown = [registration_id for registration_id, standing in standings.items() if standing is not None]
        latest = read_json_many(self.store, [snapshot.registrations[r][-1] for r in shown], remember=False)
        found = [
            (Registration(**data), standings[registration_id], registration_id in snapshot.reminded)
            for registration_id, data in zip(shown, latest)
        ]
        order = {"confirmed": 0, "waiting": 1, "cancelled": 2}
        return sorted(found, key=lambda r: (order[r[1].status], r[1].place or r[1].position or 0, r[0].created_at))

    # --- writing ---

    def new_link(self, event: Event, registration_id: str) -> str:
        """A fresh private link to the registration; earlier links keep working."""
        token = secrets.token_urlsafe(24)
        self.store.create_json(f"{prefix(event.slug)}links/{digest(token)}.json", {"registration": registration_id})
        return token

    def _write(self, event: Event, registration: Registration) -> None:
        self.store.create_json(
            f"{prefix(event.slug)}registrations/{registration.id}/{registration.version:06d}.json", registration.stored()
        )

    def register(self, event: Event, details: dict) -> Outcome:
        """Register; for an email address that already has a registration (not cancelled), change nothing.

        Anyone can type anyone's address, so a second registration for an address never reads or replaces the
        first: the caller emails the owner their own private link instead (Outcome.already).
        """
        now = self.clock()
        if not event.registration_open(now):
            raise RegistrationClosed(event.slug)
        email_prefix = f"{prefix(event.slug)}emails/{email_digest(details['email'])}/"
        for _ in range(ATTEMPTS):
            index = self.store.keys(email_prefix)
            current = self._current(event, index)
            if current is not None:
                return self._already(event, current, now)
            registration = Registration(
                id=secrets.token_hex(16),
                event=event.slug,
                version=1,
                created_at=now.isoformat(),
                updated_at=now.isoformat(),
                delete_after=_delete_after(now),
                details=details,
            )
            self._write(event, registration)
            try:
                self.store.create_json(f"{email_prefix}{len(index) + 1:06d}.json", {"registration": registration.id})
            except AlreadyExists:
                # Another request with this email claimed it first: ours was never linked to, so it goes.
                self.store.delete(f"{prefix(event.slug)}registrations/{registration.id}/000001.json")
                continue
            token = self.new_link(event, registration.id)
            standing, promoted = self._place(event, registration.id, now)
            return Outcome(registration, token, standing, promoted=[self.get(event, r) for r in promoted if r != registration.id])
        raise AlreadyExists(f"could not register {event.slug} after {ATTEMPTS} attempts")

    def _place(self, event: Event, registration_id: str, now: datetime) -> tuple[Standing, list[str]]:
        """Give the registration a place or a spot in the queue, and where it then stands.

        Taking again is safe (a registration that ends up with two places holds its lowest and frees the other),
        so a registration that a race or a crash left with neither is simply given one again.
        """
        promoted = []
        for _ in range(ATTEMPTS):
            promoted += self.places.take(event.slug, event.capacity, registration_id, now)
            standing = self.standing(event, registration_id)
            if standing is not None:
                return standing, promoted
        raise AlreadyExists(f"could not place registration {registration_id} after {ATTEMPTS} attempts")

    def _current(self, event: Event, index: list[str]) -> Registration | None:
        """The registration an email address has now: None if it has none, or only cancelled ones."""
        if not index:
            return None
        registration_id = self.store.read_json(index[-1])["registration"]
        if self.store.keys(f"{prefix(event.slug)}cancelled/{registration_id}.json"):
            return None
        return self.get(event, registration_id)

    def _already(self, event: Event, current: Registration, now: datetime) -> Outcome:
        """The address has a registration: leave it as it is, with a new private link for its owner's email."""
        standing, promoted = self.standing(event, current.id), []
        if standing is None:
            # The first request stopped (or is still running) before it got a place or joined the queue.
            standing, promoted = self._place(event, current.id, now)
        return Outcome(
            current,
            self.new_link(event, current.id),
            standing,
            already=True,
            promoted=[self.get(event, r) for r in promoted if r != current.id],
        )

    def cancel(self, event: Event, registration: Registration) -> list[Registration]:
        """Cancel, once; return whoever was given the freed place (before the event starts)."""
        now = self.clock()
        try:
            self.store.create_json(f"{prefix(event.slug)}cancelled/{registration.id}.json", {"cancelled_at": now.isoformat()})
        except AlreadyExists:
            pass  # cancelled already: a second press of the button changes nothing
        if now >= event.starts:
            return []
        return [self.get(event, r) for r in self.places.settle(event.slug, event.capacity, now)]

    def mark_reminded(self, event: Event, registration_id: str) -> bool:
        """Record that the reminder is being sent; False if it was sent before."""
        try:
            self.store.create_json(f"{prefix(event.slug)}reminded/{registration_id}.json", {"sent_at": self.clock().isoformat()})
            return True
        except AlreadyExists:
            return False

    def mark_told_of_change(self, event: Event, registration_id: str) -> bool:
        """Record that the email about the event's latest change is being sent; False if it was sent before."""
        try:
            self.store.create_json(
                f"{prefix(event.slug)}changes/{event.sequence:04d}/{registration_id}.json", {"sent_at": self.clock().isoformat()}
            )
            return True
        except AlreadyExists:
            return False

    def unmark_told_of_change(self, event: Event, registration_id: str) -> None:
        self.store.delete(f"{prefix(event.slug)}changes/{event.sequence:04d}/{registration_id}.json")

    def change_told(self, event: Event, done: bool = False) -> bool:
        """Whether everyone has been told of the event's latest change; `done` records that they have."""
        key = f"{prefix(event.slug)}changes/{event.sequence:04d}/done.json"
        if done:
            try:
                self.store.create_json(key, {"at": self.clock().isoformat()})
            except AlreadyExists:
                pass
        return bool(self.store.keys(key))

    def unmark_reminded(self, event: Event, registration_id: str) -> None:
        """The email failed: let the next run try again."""
        self.store.delete(f"{prefix(event.slug)}reminded/{registration_id}.json")


def app_registrations() -> Registrations:
    """The app's registrations over its one store, shared by its pages, commands and schedules. Flask is imported
    only here, when an app asks: the rest of this module is plain Python."""
    from flask import current_app

    from ..storage import app_store

    if "portal.registrations" not in current_app.extensions:
        current_app.extensions["portal.registrations"] = Registrations(app_store(), clock=now)
    return current_app.extensions["portal.registrations"]
