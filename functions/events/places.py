"""Places at an event, and its waiting list, kept as write-once objects so that no place is ever given twice.

Under events/<slug>/:
  places/<n>/<generation>.json   place n (1..capacity) given to a registration; a conditional create, so only one
                                 request can win each (place, generation)
  waiting/n<number>.json         the number-th to join the waiting list, and who; a conditional create, so each
                                 number is given once and a later joiner always gets a higher one. (Keys
                                 written before numbering, waiting/<time>-<id>.json, sort before them.)
  cancelled/<id>.json            a registration was cancelled

A place is free when it was never given, or when the holder of its newest generation has cancelled (or,
after a rare race, already holds a lower place). Giving a freed place again creates its next generation.
Nothing is overwritten, and every decision is made again from a fresh listing, so a crash or a race
leaves nothing that the next settle() cannot put right.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ..storage import AlreadyExists, Store, read_json_many

SETTLE_ROUNDS = 50  # each round gives at least one place or ends; this only stops a pathological loop
JOIN_ATTEMPTS = 1000  # each failed attempt means someone else joined the waiting list; this only stops a runaway


@dataclass(frozen=True)
class Standing:
    """Where a registration stands: confirmed (with a place), waiting (with a position) or cancelled."""

    status: str
    place: int | None = None
    position: int | None = None


@dataclass
class Snapshot:
    """One listing of an event's objects, sorted into what they mean."""

    places: dict[int, list[str]] = field(default_factory=dict)  # place -> generation keys, oldest first
    waiting: list[tuple[str, str | None]] = field(default_factory=list)  # (key, registration id), joining order
    cancelled: set[str] = field(default_factory=set)
    registrations: dict[str, list[str]] = field(default_factory=dict)  # id -> version keys, oldest first
    emails: dict[str, list[str]] = field(default_factory=dict)  # email digest -> index keys, oldest first
    reminded: set[str] = field(default_factory=set)


FOLDER = "events/"  # each event's objects are in a folder of its own under this


def prefix(slug: str) -> str:
    return f"{FOLDER}{slug}/"


def place_key(slug: str, place: int, generation: int) -> str:
    return f"{prefix(slug)}places/{place:04d}/{generation:04d}.json"


def _stem(key: str) -> str:
    return key.rsplit("/", 1)[1].removesuffix(".json")


def read_snapshot(store: Store, slug: str) -> Snapshot:
    snapshot = Snapshot()
    for key in store.keys(prefix(slug)):
        kind, _, rest = key[len(prefix(slug)) :].partition("/")
        if kind == "places":
            snapshot.places.setdefault(int(rest.split("/")[0]), []).append(key)
        elif kind == "waiting":  # a numbered key names its registration inside; an older one in its name
            stem = _stem(key)
            snapshot.waiting.append((key, stem.rsplit("-", 1)[1] if "-" in stem else None))
        elif kind == "cancelled":
            snapshot.cancelled.add(_stem(key))
        elif kind == "registrations":
            snapshot.registrations.setdefault(rest.split("/")[0], []).append(key)
        elif kind == "emails":
            snapshot.emails.setdefault(rest.split("/")[0], []).append(key)
        elif kind == "reminded":
            snapshot.reminded.add(_stem(key))
    return snapshot


class Places:
    """Give places in order, queue the rest, and pass freed places to the waiting list in order."""

    def __init__(self, store: Store):
        self.store = store
        self._holders = {}  # place or waiting-list key -> registration id: the objects never change, so never stale

    def holder(self, key: str) -> str:
        if key not in self._holders:
            self._holders[key] = self.store.read_json(key)["registration"]
        return self._holders[key]

    def held(self, snapshot: Snapshot) -> dict[str, int]:
        """Registration id -> the place it holds (its lowest, if a race ever gave it two)."""
        unread = [keys[-1] for keys in snapshot.places.values() if keys[-1] not in self._holders]
        for key, place in zip(unread, read_json_many(self.store, unread, remember=False)):  # all at once, not in turn
            self._holders[key] = place["registration"]
        holding = {}
        for place in sorted(snapshot.places):
            holder = self.holder(snapshot.places[place][-1])
            if holder not in snapshot.cancelled and holder not in holding:
                holding[holder] = place
        return holding

    def _who_waits(self, snapshot: Snapshot) -> list[str]:
        """The registration behind each waiting-list key, in order, read once per process (the keys never change)."""
        unread = [key for key, registration in snapshot.waiting if registration is None and key not in self._holders]
        for key, entry in zip(unread, read_json_many(self.store, unread, remember=False)):
            self._holders[key] = entry["registration"]
        return [registration or self._holders[key] for key, registration in snapshot.waiting]

    def free_places(self, snapshot: Snapshot, capacity: int, holding: dict[str, int]) -> list[int]:
        given = set(holding.values())
        return [place for place in range(1, capacity + 1) if place not in given]

    def queue(self, snapshot: Snapshot, holding: dict[str, int]) -> list[str]:
        """The waiting list as it stands: in joining order, without anyone cancelled or already given a place."""
        queue = []
        for registration in self._who_waits(snapshot):
            if registration not in snapshot.cancelled and registration not in holding and registration not in queue:
                queue.append(registration)
        return queue

    def standing(self, snapshot: Snapshot, registration: str) -> Standing | None:
        """None for a registration that never got as far as a place or the waiting list."""
        if registration in snapshot.cancelled:
            return Standing("cancelled")
        holding = self.held(snapshot)
        if registration in holding:
            return Standing("confirmed", place=holding[registration])
        queue = self.queue(snapshot, holding)
        if registration in queue:
            return Standing("waiting", position=queue.index(registration) + 1)
        return None

    def _give(self, slug: str, snapshot: Snapshot, place: int, registration: str, now: datetime, from_waiting_list: bool):
        generation = len(snapshot.places.get(place, [])) + 1
        self.store.create_json(
            place_key(slug, place, generation),
            {"registration": registration, "given_at": now.isoformat(), "from_waiting_list": from_waiting_list},
        )

    def take(self, slug: str, capacity: int, registration: str, now: datetime) -> list[str]:
        """Give `registration` a place, or put it on the waiting list; return everyone given a freed place meanwhile.

        Places never given are tried in order, starting after the ones already listed, so a crowd of
        registrations costs a few failed creates rather than a read of every place. When anyone is waiting,
        a newcomer joins the end of the queue rather than jumping it.
        """
        snapshot = read_snapshot(self.store, slug)
        if not snapshot.waiting or not self.queue(snapshot, self.held(snapshot)):
            for place in [p for p in range(1, capacity + 1) if p not in snapshot.places]:
                try:
                    self._give(slug, snapshot, place, registration, now, from_waiting_list=False)
                    return []
                except AlreadyExists:
                    continue  # someone else took it a moment ago: try the next
        # Join at the next number. Losing it to someone else means they joined first: look again and take a later
        # one, so whoever is told "number n" was truly n-th, and nobody else is told the same.
        number = len(snapshot.waiting) + 1
        for _ in range(JOIN_ATTEMPTS):
            try:
                self.store.create_json(
                    f"{prefix(slug)}waiting/n{number:06d}.json", {"registration": registration, "joined_at": now.isoformat()}
                )
                break
            except AlreadyExists:
                number = max(number + 1, len(self.store.keys(f"{prefix(slug)}waiting/")) + 1)
        else:
            raise AlreadyExists(f"could not join the waiting list for {slug}")
        # A place may have been freed between the listing above and joining the queue: settle makes sure it is given.
        return self.settle(slug, capacity, now)

    def settle(self, slug: str, capacity: int, now: datetime) -> list[str]:
        """Give every free place to the first in the queue, in order; return who was given one.

        Safe to run any number of times, by anyone, at once: each place goes to one registration, and
        whoever loses a race looks again.
        """
        given = []
        for _ in range(SETTLE_ROUNDS):
            snapshot = read_snapshot(self.store, slug)
            holding = self.held(snapshot)
            pairs = list(zip(self.free_places(snapshot, capacity, holding), self.queue(snapshot, holding)))
            if not pairs:
                return given
            for place, registration in pairs:
                try:
                    self._give(slug, snapshot, place, registration, now, from_waiting_list=True)
                except AlreadyExists:
                    break  # another request moved first: list again
                given.append(registration)
        return given
