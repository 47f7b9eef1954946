"""No overbooking without a database: places are write-once objects, so a crowd cannot take more than there are."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from functions.events.places import Places, place_key, prefix, read_snapshot
from functions.events.registrations import Registrations
from functions.storage import open_store

from .event_factory import SAMPLE_NOW, content_with_events, details, make_app, upcoming_event

CROWD = 50
CAPACITY = 12
ALREADY_TAKEN = 2  # so 10 places are left when the crowd arrives


@pytest.fixture
def crowded_app(built, storage_url, tmp_path):
    content = content_with_events(tmp_path, upcoming_event("popular", capacity=CAPACITY, now=SAMPLE_NOW))
    return make_app(content, built[1], storage_url, tmp_path / "outbox", clock=lambda: SAMPLE_NOW)


def test_fifty_people_at_once_for_ten_places_get_ten_places_and_forty_waiting(crowded_app, storage_url):
    event = crowded_app.extensions["portal.content"].event("popular")
    registrations = Registrations(open_store(storage_url), clock=lambda: SAMPLE_NOW)
    for n in range(ALREADY_TAKEN):
        registrations.register(event, details(1000 + n))
    start = threading.Barrier(CROWD)

    def register(n):
        client = crowded_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"  # fifty people, not one client fifty times
        start.wait()  # everyone presses Register at the same moment
        return client.post("/events/popular/register", data=details(n)).status_code

    with ThreadPoolExecutor(CROWD) as pool:
        statuses = list(pool.map(register, range(CROWD)))

    assert statuses == [303] * CROWD  # no error, nobody turned away
    everyone = registrations.everyone(event.slug)
    emails = [r.details["email"] for r, _, _ in everyone]
    assert sorted(emails) == sorted(details(n)["email"] for n in [*range(CROWD), 1000, 1001])  # none lost, none twice
    by_status = {}
    for registration, standing, _ in everyone:
        by_status.setdefault(standing.status, []).append(standing)
    assert len(by_status["confirmed"]) == CAPACITY  # the 2 who were there first, and exactly 10 of the crowd
    assert sorted(s.place for s in by_status["confirmed"]) == list(range(1, CAPACITY + 1))
    assert sorted(s.position for s in by_status["waiting"]) == list(range(1, CROWD - (CAPACITY - ALREADY_TAKEN) + 1))
    # Each place was given exactly once: no generation beyond the first.
    assert all(len(keys) == 1 for keys in read_snapshot(registrations.store, "popular").places.values())


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "storage"))


def _give(store, slug, place, generation, registration):
    store.create_json(
        place_key(slug, place, generation),
        {"registration": registration, "given_at": SAMPLE_NOW.isoformat(), "from_waiting_list": False},
    )


def _wait(store, slug, when, registration):
    store.create_json(f"{prefix(slug)}waiting/{when}-{registration}.json", {"registration": registration, "joined_at": when})


def test_a_place_a_race_gave_twice_to_one_person_goes_to_the_next_in_the_queue(store):
    _give(store, "e", 1, 1, "ann")
    _give(store, "e", 2, 1, "ann")  # two settles raced and both gave Ann a place
    _wait(store, "e", "20270101T000000000000Z", "bob")
    places = Places(store)
    assert places.settle("e", 2, SAMPLE_NOW) == ["bob"]
    snapshot = read_snapshot(store, "e")
    assert places.standing(snapshot, "ann").place == 1
    assert places.standing(snapshot, "bob").place == 2
    assert snapshot.places[2][-1].endswith("0002/0002.json")


def test_a_freed_place_goes_to_the_queue_in_joining_order_skipping_the_cancelled(store):
    _give(store, "e", 1, 1, "ann")
    for when, who in (("20270101T000001000000Z", "bob"), ("20270101T000002000000Z", "cat"), ("20270101T000003000000Z", "dan")):
        _wait(store, "e", when, who)
    store.create_json(f"{prefix('e')}cancelled/bob.json", {})
    store.create_json(f"{prefix('e')}cancelled/ann.json", {})
    places = Places(store)
    assert places.settle("e", 1, SAMPLE_NOW) == ["cat"]
    snapshot = read_snapshot(store, "e")
    assert places.standing(snapshot, "dan").position == 1
    assert places.settle("e", 1, SAMPLE_NOW) == []  # settled already: running it again changes nothing


def test_raising_the_capacity_gives_new_places_to_those_waiting_before_newcomers(store):
    places = Places(store)
    assert places.take("e", 1, "ann", SAMPLE_NOW) == []
    assert places.take("e", 1, "bob", SAMPLE_NOW) == []  # full: Bob waits
    assert places.standing(read_snapshot(store, "e"), "bob").position == 1
    # The council adds a place in content; the next newcomer must not jump the queue.
    assert places.take("e", 2, "cat", SAMPLE_NOW) == ["bob"]
    snapshot = read_snapshot(store, "e")
    assert places.standing(snapshot, "bob").place == 2
    assert places.standing(snapshot, "cat").position == 1


def test_a_registration_cut_short_before_its_place_is_finished_by_registering_again(store, monkeypatch):
    from portal.content import load_content

    from .conftest import CONTENT

    event = load_content(CONTENT).event("grounds-maintenance-meet-the-buyer")
    registrations = Registrations(store, clock=lambda: SAMPLE_NOW)

    def crash(*args, **kwargs):
        raise RuntimeError("the function stopped here")

    with monkeypatch.context() as patch:
        patch.setattr(registrations.places, "take", crash)
        with pytest.raises(RuntimeError):
            registrations.register(event, details(1))
    assert registrations.everyone(event.slug) == []  # not half-counted
    outcome = registrations.register(event, details(1))
    assert outcome.already and outcome.standing.status == "confirmed"
