"""Reading many JSON records at once, and a cache of what was read: keys are write-once, so it never goes stale."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from .contract import Store, parse_json

__all__ = ["READ_THREADS", "RECORD_CACHE_BYTES", "RECORDS", "read_json_many"]

# read_json_many's reads at once; S3's client keeps as many connections open, so none waits for another's.
READ_THREADS = 16
# read_json_many keeps parsed records up to this many bytes of their JSON (about 4.5 times as much once parsed:
# some 8,000 submissions of 3 KB in about 100 MB), least recently used out first.
RECORD_CACHE_BYTES = 24 * 1024 * 1024


class _RecordCache:
    """Parsed JSON by (store location, key), bounded by the bytes of JSON it holds, least recently used out first.

    Safe to keep for the life of the process because keys are write-once: what a key holds never changes. A key
    deleted (by retention, say) stays here until pushed out, but callers ask only for keys a fresh listing gave them.
    """

    def __init__(self, budget: int):
        from cachetools import LRUCache

        self.budget = budget
        self._entries = LRUCache(maxsize=budget, getsizeof=lambda entry: entry[1])  # -> (value, bytes of JSON)
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe

    @property
    def held(self) -> int:
        return self._entries.currsize

    def get(self, location: str, key: str, missing=None):
        with self._lock:
            entry = self._entries.get((location, key))
        return missing if entry is None else entry[0]

    def put(self, location: str, key: str, value, size: int) -> None:
        with self._lock:
            if (location, key) not in self._entries and size <= self.budget:
                self._entries[(location, key)] = (value, size)

    def forget(self, location: str, key: str) -> None:
        with self._lock:
            self._entries.pop((location, key), None)


RECORDS = _RecordCache(RECORD_CACHE_BYTES)
_UNREAD = object()


def read_json_many(store: Store, keys: list[str], remember: bool = True) -> list:
    """The JSON value at each of `keys`, in their order; NotFound if one has gone.

    Values read before in this process come from memory (keys are write-once); the rest are read READ_THREADS at a
    time, so that a list of a thousand records costs a warm function only its new ones, and a cold one about a
    sixteenth of the time one after another would. The values are shared between callers: never change them.
    remember=False reads them all, and keeps none: for keys that may be deleted and written again with other values
    (an event's places and registrations, whose losers of a race are erased).
    """
    location = store.location
    found = {key: RECORDS.get(location, key, _UNREAD) if remember else _UNREAD for key in keys}
    unread = [key for key, value in found.items() if value is _UNREAD]
    if len(unread) > 1:
        with ThreadPoolExecutor(max_workers=min(READ_THREADS, len(unread))) as pool:
            read = list(pool.map(store.read, unread))
    else:
        read = [store.read(key) for key in unread]
    for key, data in zip(unread, read):
        found[key] = parse_json(data)
        if remember:
            RECORDS.put(location, key, found[key], len(data))
    return [found[key] for key in keys]
