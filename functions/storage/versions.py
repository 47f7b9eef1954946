"""Write-once versioned records: `<prefix><NNNNNN>.json`, where the newest version is the current value."""

import random
import time

from .contract import AlreadyExists, Store

# Every collision means another writer stored its version first, so writers at once all get theirs in the end (the
# same post fifty times at once, fifty versions); a writer gives up only if this many others came first.
ATTEMPTS = 500


def latest(store: Store, prefix: str):
    """The newest version's value under `prefix` (ending in '/'), or None when there is none."""
    versions = store.keys(prefix)
    return store.read_json(versions[-1]) if versions else None


def all_versions(store: Store, prefix: str) -> list:
    """Every version's value, oldest first."""
    return [store.read_json(key) for key in store.keys(prefix)]


def write_at(store: Store, prefix: str, number: int, value: dict) -> int:
    """Store `value` as version `number` under `prefix`, or raise AlreadyExists: for a writer that must be exactly
    the next after the version it read (a form that says what it was opened on). Returns `number`."""
    store.create_json(f"{prefix}{number:06d}.json", value)
    return number


def append(store: Store, prefix: str, value: dict) -> int:
    """Store `value` as the next version under `prefix`; returns its number. Never overwrites."""
    for _ in range(ATTEMPTS):
        versions = store.keys(prefix)
        number = int(versions[-1].rsplit("/", 1)[1].split(".")[0]) + 1 if versions else 1
        try:
            return write_at(store, prefix, number, value)
        except AlreadyExists:
            time.sleep(random.uniform(0, 0.02))  # writers that collided should not collide again straight away
            continue
    raise AlreadyExists(f"could not add a version under {prefix} after {ATTEMPTS} attempts")
