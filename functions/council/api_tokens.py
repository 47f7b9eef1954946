"""API tokens for the council's own systems: issued to an officer, stored hashed, revoked by a new record.

Layout, every record write-once:
  api-tokens/<token id>/issued.json   {"id", "email", "sha256" of the whole token, "issued_at"}
  api-tokens/<token id>/revoked.json  {"id", "revoked_at"}
A token reads `svp_<token id>_<secret>`: the id finds its record without listing, the secret proves it.
Disabling an officer revokes every token they hold, for good: re-adding them gives none back. An officer record
re-enabled after a disable carries `enabled_since`, and a token issued before it is refused even if no revoked.json
was written (an officer disabled before this rule existed).
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from portal.clock import now

from ..storage import AlreadyExists, Store

TOKEN = re.compile(r"svp_([0-9a-f]{16})_[A-Za-z0-9_-]{43}\Z")
TOKEN_ID = re.compile(r"[0-9a-f]{16}\Z")


class TokenRefused(Exception):
    """The token is missing, malformed, unknown, revoked, or its officer can no longer sign in."""


class NoSuchOfficer(LookupError):
    """No officer has that email address, or the officer is disabled."""


class NoSuchToken(LookupError):
    """No token has that id."""


@dataclass(frozen=True)
class Issued:
    id: str
    token: str  # shown once, never stored


def _now() -> datetime:
    # To the microsecond, so that a token issued just after its officer was re-added counts as after.
    return now()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def officer(store: Store, email: str) -> dict | None:
    """The newest record of the officer with `email`, as the council pages store it, or None."""
    versions = store.keys(f"officers/{_sha256(email.strip().lower())}/")
    return store.read_json(versions[-1]) if versions else None


def _active_officer(store: Store, email: str) -> dict:
    found = officer(store, email)
    if found is None or found.get("disabled"):
        raise NoSuchOfficer(email)
    return found


class ApiTokens:
    def __init__(self, store: Store, clock=_now):
        self.store = store
        self.clock = clock

    def issue(self, email: str) -> Issued:
        """A new token for an officer who can sign in; raises NoSuchOfficer otherwise."""
        email = _active_officer(self.store, email)["email"]
        token_id = secrets.token_hex(8)
        token = f"svp_{token_id}_{secrets.token_urlsafe(32)}"
        self.store.create_json(
            f"api-tokens/{token_id}/issued.json",
            {"id": token_id, "email": email, "sha256": _sha256(token), "issued_at": self.clock().isoformat()},
        )
        return Issued(token_id, token)

    def revoke(self, token_id: str) -> bool:
        """Revoke a token for good; False if it was already revoked. Raises NoSuchToken."""
        if not TOKEN_ID.match(token_id or ""):
            raise NoSuchToken(token_id)
        if not self.store.keys(f"api-tokens/{token_id}/issued.json"):
            raise NoSuchToken(token_id)
        try:
            self.store.create_json(
                f"api-tokens/{token_id}/revoked.json", {"id": token_id, "revoked_at": self.clock().isoformat()}
            )
        except AlreadyExists:
            return False
        return True

    def revoke_all(self, email: str) -> list[str]:
        """Revoke every token issued to `email` that is not yet revoked; the ids revoked, for the audit log."""
        email = email.strip().lower()
        folders: dict[str, set[str]] = {}
        for key in self.store.keys("api-tokens/"):
            folder, _, name = key.rpartition("/")
            folders.setdefault(folder + "/", set()).add(name)
        revoked = []
        for folder, names in sorted(folders.items()):
            if "issued.json" not in names or "revoked.json" in names:
                continue
            issued = self.store.read_json(folder + "issued.json")
            if issued.get("email") == email and self.revoke(issued["id"]):
                revoked.append(issued["id"])
        return revoked

    def officer_for(self, authorization: str | None) -> str:
        """The email of the officer whose token is in an `Authorization: Bearer ...` header; raises TokenRefused."""
        scheme, _, token = (authorization or "").partition(" ")
        match = TOKEN.match(token.strip()) if scheme.lower() == "bearer" else None
        if not match:
            raise TokenRefused("Send an API token in the header 'Authorization: Bearer <token>'")
        token_id = match.group(1)
        # Listed, not read blind: without a listing S3 answers a missing key with 403, not 404.
        folder = f"api-tokens/{token_id}/"
        records = set(self.store.keys(folder))
        issued = self.store.read_json(folder + "issued.json") if folder + "issued.json" in records else None
        if issued is None or not hmac.compare_digest(issued["sha256"], _sha256(token.strip())):
            raise TokenRefused("That API token is not valid")
        if folder + "revoked.json" in records:
            raise TokenRefused("That API token has been revoked")
        try:
            holder = _active_officer(self.store, issued["email"])
        except NoSuchOfficer:
            raise TokenRefused("The officer this API token was issued to can no longer sign in") from None
        enabled_since = holder.get("enabled_since")
        if enabled_since and datetime.fromisoformat(issued["issued_at"]) < datetime.fromisoformat(enabled_since):
            raise TokenRefused("That API token has been revoked")
        return holder["email"]
