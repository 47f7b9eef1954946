"""Write-once versioned records: `<prefix><NNNNNN>.json`, where the newest version is the current value."""

from .contract import AlreadyExists, Store

ATTEMPTS = 5  # two writers at once each get a version; after this many collisions something is wrong


def latest(store: Store, prefix: str):
    """The newest version's value under `prefix` (ending in '/'), or None when there is none."""
    versions = store.keys(prefix)
    return store.read_json(versions[-1]) if versions else None


def all_versions(store: Store, prefix: str) -> list:
    """Every version's value, oldest first."""
    return [store.read_json(key) for key in store.keys(prefix)]


def append(store: Store, prefix: str, value: dict) -> int:
    """Store `value` as the next version under `prefix`; returns its number. Never overwrites."""
    for _ in range(ATTEMPTS):
        versions = store.keys(prefix)
        number = int(versions[-1].rsplit("/", 1)[1].split(".")[0]) + 1 if versions else 1
        try:
            store.create_json(f"{prefix}{number:06d}.json", value)
            return number
        except AlreadyExists:
            continue
    raise AlreadyExists(f"could not add a version under {prefix} after {ATTEMPTS} attempts")
