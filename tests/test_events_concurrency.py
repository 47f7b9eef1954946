"""Registrations at the same moment, on the file store and on S3 (moto), with storage made slow at random.

Every storage call waits a random few milliseconds first, as a busy S3 does, so that requests overlap where they
would in production: between listing and writing, and between writing and reading back.
"""

import email
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import policy

import pytest

from functions.events.registrations import Registrations
from functions.storage import open_store

from .event_factory import SAMPLE_NOW, content_with_events, details, make_app, upcoming_event

CROWD = 50
CAPACITY = 12
ALREADY_TAKEN = 2


class SlowStore:
    """A store whose every call first waits up to `most` seconds: the injected delay."""

    def __init__(self, store, most=0.02, seed=15):
        self._store, self._most, self._random, self._lock = store, most, random.Random(seed), threading.Lock()

    def __getattr__(self, name):
        value = getattr(self._store, name)
        if name not in ("create", "read", "keys", "delete") or not callable(value):
            return value

        def slow(*args, **kwargs):
            with self._lock:
                pause = self._random.uniform(0, self._most)
            time.sleep(pause)
            return value(*args, **kwargs)

        return slow

    def create_json(self, key, value, metadata=None):
        return type(self._store).create_json(self, key, value, metadata)

    def read_json(self, key):
        return type(self._store).read_json(self, key)


def slow_app(built, storage_url, tmp_path, capacity, slug="popular"):
    content = content_with_events(tmp_path, upcoming_event(slug, capacity=capacity, now=SAMPLE_NOW))
    app = make_app(content, built[1], storage_url, tmp_path / "outbox", clock=lambda: SAMPLE_NOW)
    registrations = Registrations(SlowStore(open_store(storage_url)), clock=lambda: SAMPLE_NOW)
    app.extensions["portal.registrations"] = registrations  # what functions.events.pages uses
    return app, registrations


def emails(outbox) -> list:
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))]


def at_once(app, posts):
    """Each (remote address, form) posted from its own client, all released at the same moment; their statuses."""
    start = threading.Barrier(len(posts))

    def post(item):
        address, form = item
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        start.wait()
        return client.post("/events/popular/register", data=form).status_code

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(post, posts))


def test_fifty_at_once_are_each_told_their_own_place_in_the_queue(built, storage_url, tmp_path):
    app, registrations = slow_app(built, storage_url, tmp_path, CAPACITY)
    event = app.extensions["portal.content"].event("popular")
    for n in range(ALREADY_TAKEN):
        registrations.register(event, details(1000 + n))

    statuses = at_once(app, [(f"10.0.0.{n}", details(n)) for n in range(CROWD)])

    assert statuses == [303] * CROWD
    sent = emails(tmp_path / "outbox")
    told = [
        int(re.search(r"You are number (\d+) on it", m.get_body(("plain",)).get_content()).group(1))
        for m in sent
        if m["Subject"].startswith("You are on the waiting list")
    ]
    assert sorted(told) == list(range(1, CROWD - (CAPACITY - ALREADY_TAKEN) + 1))  # nobody told the same number
    assert len([m for m in sent if m["Subject"].startswith("Your place")]) == CAPACITY - ALREADY_TAKEN
    # What each was told is what is stored.
    stored = {r.details["email"]: s.position for r, s, _ in registrations.everyone("popular") if s.status == "waiting"}
    assert {m["To"]: n for m, n in zip([m for m in sent if m["Subject"].startswith("You are on")], told)} == stored


def test_ten_posts_at_once_for_one_address_make_one_registration_and_no_error(built, storage_url, tmp_path):
    app, registrations = slow_app(built, storage_url, tmp_path, 5)

    statuses = at_once(app, [(f"10.0.1.{n}", details(1, name=f"Try {n}")) for n in range(10)])

    assert set(statuses) <= {303, 429} and statuses.count(303) >= 1, statuses
    everyone = registrations.everyone("popular")
    assert len(everyone) == 1 and everyone[0][1].status == "confirmed"
    assert len(registrations.store.keys("events/popular/registrations/")) == 1  # the losers' records are gone
    assert Counter(m["To"] for m in emails(tmp_path / "outbox")) == {"person1@example.com": statuses.count(303)}


@pytest.mark.parametrize("storage_url", ["s3"], indirect=True)
def test_slow_s3_never_leaves_a_registration_without_a_place_or_a_queue_position(built, storage_url, tmp_path):
    """Once gave a 500 ('NoneType' object has no attribute 'status'): register() returned no standing."""
    app, registrations = slow_app(built, storage_url, tmp_path, 3)
    for round_ in range(3):
        statuses = at_once(app, [(f"10.{round_}.2.{n}", details(100 * round_ + n)) for n in range(12)])
        assert statuses == [303] * 12
    standings = [s for _, s, _ in registrations.everyone("popular")]
    assert len(standings) == 36 and Counter(s.status for s in standings) == {"confirmed": 3, "waiting": 33}


def test_a_burst_from_one_client_gets_no_more_than_the_limit_through(built, storage_url, tmp_path):
    from functions.events.pages import LIMIT_PER_CLIENT

    app, registrations = slow_app(built, storage_url, tmp_path, 100)

    statuses = at_once(app, [("10.9.9.9", details(n)) for n in range(30)])

    assert sorted(statuses) == [303] * LIMIT_PER_CLIENT + [429] * (30 - LIMIT_PER_CLIENT)
    assert len(registrations.everyone("popular")) == LIMIT_PER_CLIENT
    assert len(emails(tmp_path / "outbox")) == LIMIT_PER_CLIENT
