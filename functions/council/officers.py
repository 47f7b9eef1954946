"""Council officers: who may sign in and with what role, at `officers/<sha256 of the email>/<NNNNNN>.json`."""

import hashlib
from dataclasses import asdict, dataclass, replace

from portal.email_address import normalised_email_address
from portal.clock import now

from ..storage import Store
from ..storage import versions

ROLES = ("viewer", "admin")


class OfficerInvalid(ValueError):
    """An email address or role that cannot be an officer's."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_digest(email: str) -> str:
    """Keys hold a hash of the address, so a listing of the bucket reveals no one's email."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def valid_email(email: str) -> bool:
    return normalised_email_address(normalise_email(email)) is not None


@dataclass(frozen=True)
class Officer:
    email: str
    role: str
    created_at: str
    disabled: bool = False
    notify_daily: bool = False
    enabled_since: str = ""  # set when a disabled officer is re-added: API tokens issued before it stay revoked

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def from_stored(cls, value: dict) -> "Officer":
        """From a stored version, ignoring fields that later versions of the portal may add."""
        return cls(**{name: value[name] for name in cls.__dataclass_fields__ if name in value})


class Officers:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def _prefix(self, email: str) -> str:
        return f"officers/{email_digest(email)}/"

    def find(self, email: str) -> Officer | None:
        """The officer with this address, as of their newest version; None if there is none."""
        if not valid_email(email):
            return None
        value = versions.latest(self.store, self._prefix(email))
        return Officer.from_stored(value) if value else None

    def add(self, email: str, role: str = "viewer") -> Officer:
        """Make an officer, or give an existing one this role and re-enable them (a new version)."""
        if not valid_email(email):
            raise OfficerInvalid(f"{email!r} is not an email address")
        if role not in ROLES:
            raise OfficerInvalid(f"Role must be one of {', '.join(ROLES)}, not {role!r}")
        existing = self.find(email)
        if existing:
            since = self.clock().isoformat() if existing.disabled else existing.enabled_since
            return self.change(existing, role=role, disabled=False, enabled_since=since)
        officer = Officer(email=normalise_email(email), role=role, created_at=self.clock().isoformat(timespec="seconds"))
        versions.append(self.store, self._prefix(officer.email), asdict(officer))
        return officer

    def change(self, officer: Officer, **changes) -> Officer:
        updated = replace(officer, **changes)
        versions.append(self.store, self._prefix(officer.email), asdict(updated))
        return updated

    def everyone(self) -> list[Officer]:
        folders = sorted({key.rsplit("/", 1)[0] + "/" for key in self.store.keys("officers/")})
        return [Officer.from_stored(versions.latest(self.store, folder)) for folder in folders]
