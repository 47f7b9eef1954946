"""Who may sign in as a supplier: an address holds grants (a contract it reports on, a Charter signature), given and
withdrawn by officers or by the records they keep. It may sign in while it holds one that stands.

Each grant is its own write-once versioned record,
`suppliers/contacts/<sha256 of the address>/<kind>/<subject>/<NNNNNN>.json`, holding whether it stands, a title to
show, who changed it, when and why. Granting two contracts at once cannot collide, and a withdrawal is a new version,
never an edit; the newest version is what holds.
"""

import hashlib
import re
from dataclasses import dataclass

from portal.clock import now
from portal.email_address import normalised_email_address

from ..storage import Store, versions

PREFIX = "suppliers/contacts/"
KINDS = ("contract", "charter")
_SUBJECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class Grant:
    kind: str  # "contract" or "charter"
    subject: str  # the contract's id, or the signatory's
    title: str  # what the supplier's home page shows
    active: bool
    by: str
    at: str
    reason: str = ""


def signing_in_address(email) -> str | None:
    """The address as sign-in knows it: valid, and in lower case whole, so that Jo.Bloggs@ and jo.bloggs@ are one
    person (as officers' addresses are); None when it is not an address."""
    address = normalised_email_address(email)
    return address.lower() if address else None


def _folder(email: str) -> str:
    return f"{PREFIX}{hashlib.sha256(email.encode()).hexdigest()}/"


class SupplierContacts:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def _change(self, email: str, kind: str, subject: str, title: str, active: bool, by: str, reason: str) -> Grant:
        address = signing_in_address(email)
        if address is None:
            raise ValueError(f"not an email address: {email!r}")
        if kind not in KINDS or not _SUBJECT.match(subject):
            raise ValueError(f"not a grant: {kind!r} {subject!r}")
        grant = Grant(kind, subject, title[:200], active, by, self.clock().isoformat(), reason[:500])
        versions.append(self.store, f"{_folder(address)}{kind}/{subject}/", grant.__dict__)
        return grant

    def grant(self, email: str, kind: str, subject: str, title: str, by: str) -> Grant:
        """Let `email` sign in for `subject` (again, if it was withdrawn)."""
        return self._change(email, kind, subject, title, True, by, "")

    def withdraw(self, email: str, kind: str, subject: str, by: str, reason: str) -> Grant | None:
        """Withdraw a grant; the address's sessions and links stop at its next request. None if it held none."""
        held = next((g for g in self.grants(email, standing_only=False) if (g.kind, g.subject) == (kind, subject)), None)
        if held is None or not held.active:
            return None
        return self._change(email, kind, subject, held.title, False, by, reason)

    def grants(self, email: str, standing_only: bool = True) -> list[Grant]:
        """The address's grants, newest version of each; only those that stand unless asked."""
        address = signing_in_address(email or "")
        if address is None:
            return []
        folder = _folder(address)
        newest: dict[str, str] = {}
        for key in self.store.keys(folder):
            newest[key.rsplit("/", 1)[0]] = key  # keys sort, so the last of each grant is its newest version
        found = [Grant(**self.store.read_json(key)) for key in sorted(newest.values())]
        return [g for g in found if g.active or not standing_only]

    def may_sign_in(self, email: str) -> bool:
        return bool(self.grants(email))
