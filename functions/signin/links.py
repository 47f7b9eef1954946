"""Single-use sign-in links that expire: only a hash of each link is stored, at `<prefix><hash>.json` (officers'
under `council/sign-in-links/`, suppliers' under `suppliers/sign-in-links/`)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from portal.clock import now

from ..storage import AlreadyExists, NotFound, Store

LINK_LIFETIME = timedelta(minutes=15)


class LinkInvalid(LookupError):
    """The link is unknown, has expired or has been used."""

    def __init__(self, reason: str, email: str = ""):
        super().__init__(reason)
        self.reason = reason  # "unknown", "expired" or "used"
        self.email = email  # whose link it was, when it was a real one (for the audit log)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignInLinks:
    def __init__(self, store: Store, clock=now, *, prefix: str):
        self.store = store
        self.clock = clock
        self.prefix = prefix

    def issue(self, email: str) -> str:
        """A new link's secret token for this address."""
        token = secrets.token_urlsafe(32)
        expires = self.clock() + LINK_LIFETIME
        self.store.create_json(f"{self.prefix}{_digest(token)}.json", {"email": email, "expires_at": expires.isoformat()})
        return token

    def check(self, token: str) -> str:
        """The address if the link can still be used, else raise LinkInvalid; uses nothing up."""
        if not token or len(token) > 100:
            raise LinkInvalid("unknown")
        digest = _digest(token)
        try:
            link = self.store.read_json(f"{self.prefix}{digest}.json")
        except NotFound:
            raise LinkInvalid("unknown") from None
        if self.store.keys(f"{self.prefix}{digest}.used"):
            raise LinkInvalid("used", link["email"])
        if datetime.fromisoformat(link["expires_at"]) <= self.clock():
            raise LinkInvalid("expired", link["email"])
        return link["email"]

    def void(self, token: str) -> None:
        """Use a link up unused: what sign-in does with one issued to an address that may not sign in, so that the
        request costs what an officer's does (a read and a write here, as finding an officer and posting the email)."""
        self.store.read_json(f"{self.prefix}{_digest(token)}.json")
        self.store.create_json(f"{self.prefix}{_digest(token)}.used", {"used_at": self.clock().isoformat(), "void": True})

    def redeem(self, token: str) -> str:
        """Use the link up and return its address; a write-once marker makes a second use fail."""
        email = self.check(token)
        try:
            self.store.create_json(f"{self.prefix}{_digest(token)}.used", {"used_at": self.clock().isoformat()})
        except AlreadyExists:
            raise LinkInvalid("used", email) from None
        return email
