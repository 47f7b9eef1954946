"""Suppliers' returns on a contract, kept in storage: drafts (save and return) and sent versions (write-once).

- `contracts/<id>/returns/<period_id>/drafts/<NNNNNN>.json`: {"form", "based_on", "by", "at"}, the answers as typed
  (only the form's own fields, cleaned), and how many versions had been sent when the form was opened. The newest
  draft is the one a contact carries on with; the check page sends exactly the draft it showed.
- `contracts/<id>/returns/<period_id>/sent/<NNNNNN>.json`: {"return", "evidence", "by", "at"}. Version N is created
  at exactly N = based_on + 1, so two contacts sending the same period at once make one version: the second gets
  SentMeanwhile, never a second or merged version. A correction is the next version, with its reason.
"""

import re

from portal.clock import now
from portal.contracts.form import raw_text

from ..storage import AlreadyExists, NotFound, Store, read_json_many, versions
from .records import contract_prefix, deserialise_return, serialise_return

__all__ = ["FORM_FIELD", "LINE_FIELDS", "Returns", "SentMeanwhile", "clean_form", "valid_period_id"]

# The names a return form has (portal.contracts.read_return's, and the evidence chosen for each line): nothing
# else a post carries is kept in a draft.
LINE_FIELDS = ("quantity", "method", "postcode_districts", "attributable", "narrative", "evidence")
FORM_FIELD = re.compile(
    rf"(lines-[A-Z]{{2,4}}[0-9]{{1,3}}-({'|'.join(LINE_FIELDS)})"
    r"|declared_by_name|declared_by_role|correction_reason)\Z",
    re.ASCII,
)
_PERIOD_ID = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}--[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)
MAX_EVIDENCE_PER_LINE = 10


def valid_period_id(period_id: str) -> bool:
    """Whether `period_id` (from a URL) has a period id's form, so it may become part of a storage key."""
    return bool(_PERIOD_ID.match(period_id or ""))


class SentMeanwhile(Exception):
    """Another contact sent this version of the return first; nothing of this one was stored."""

    def __init__(self, sent: dict):
        super().__init__("sent meanwhile")
        self.sent = sent  # the version that was sent: {"return": Return, "by", "at", ...}


def clean_form(form) -> dict:
    """What of a posted form a draft keeps: the return's own fields as typed, cleaned; evidence as lists of ids."""
    kept = {}
    names = form.keys() if hasattr(form, "keys") else ()
    for name in names:
        if not isinstance(name, str) or not FORM_FIELD.match(name):
            continue
        if name.endswith("-evidence"):
            ids = form.getlist(name) if hasattr(form, "getlist") else [form.get(name)]
            kept[name] = [i for i in ids if isinstance(i, str) and re.fullmatch(r"[0-9a-f]{32}", i)][:MAX_EVIDENCE_PER_LINE]
        else:
            kept[name] = raw_text(form, name)
    return kept


def read_based_on(form, sent_count: int, name: str = "based_on") -> int:
    """How many versions were sent (or reviews made) when the form was opened, as its field `name` says if that can
    be so; else `sent_count`. Six digits at most: a longer string of digits is no count of versions (and int()
    refuses very long ones)."""
    raw = form.get(name, "")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) <= sent_count:
        return int(raw)
    return sent_count


class Returns:
    def __init__(self, store: Store, clock=now):
        self.store = store
        self.clock = clock

    def _prefix(self, contract_id: str, period_id: str) -> str:
        if not valid_period_id(period_id):
            raise ValueError(f"not a period: {period_id!r}")
        return f"{contract_prefix(contract_id)}returns/{period_id}/"

    def save_draft(self, contract_id: str, period_id: str, form, based_on: int, by: str) -> int:
        """Keep the answers as typed, right or not, to carry on later; the draft's number."""
        value = {"form": clean_form(form), "based_on": based_on, "by": by, "at": self.clock().isoformat()}
        return versions.append(self.store, f"{self._prefix(contract_id, period_id)}drafts/", value)

    def draft(self, contract_id: str, period_id: str, number: int | None = None) -> dict | None:
        """The newest draft (or draft `number`), with its "number"; None if there is none."""
        folder = f"{self._prefix(contract_id, period_id)}drafts/"
        if number is None:
            keys = self.store.keys(folder)
            if not keys:
                return None
            key, number = keys[-1], int(keys[-1].rsplit("/", 1)[1].split(".")[0])
        else:
            key = f"{folder}{number:06d}.json"
        try:
            return {**self.store.read_json(key), "number": number}
        except NotFound:
            return None

    def send(self, contract_id: str, period_id: str, sent, evidence: dict, by: str) -> int:
        """Store `sent` (a Return whose version is the draft's based_on + 1) write-once; SentMeanwhile if another
        contact sent that version first."""
        key = f"{self._prefix(contract_id, period_id)}sent/{sent.version:06d}.json"
        value = {"return": serialise_return(sent), "evidence": evidence, "by": by, "at": self.clock().isoformat()}
        try:
            self.store.create_json(key, value)
        except AlreadyExists:
            raise SentMeanwhile(self.sent_version(contract_id, period_id, sent.version)) from None
        return sent.version

    def sent_version(self, contract_id: str, period_id: str, version: int) -> dict | None:
        """One sent version: {"return": Return, "evidence": {code: [file ids]}, "by", "at"}; None if not sent."""
        try:
            value = self.store.read_json(f"{self._prefix(contract_id, period_id)}sent/{version:06d}.json")
        except NotFound:
            return None
        return {**value, "return": deserialise_return(value)}

    def versions_sent(self, contract_id: str, period_id: str) -> int:
        return len(self.store.keys(f"{self._prefix(contract_id, period_id)}sent/"))

    def latest(self, contract_id: str, period_id: str) -> dict | None:
        """The newest sent version of the period's return, as sent_version gives it; None if none was sent."""
        count = self.versions_sent(contract_id, period_id)
        return self.sent_version(contract_id, period_id, count) if count else None

    def sent(self, contract_id: str) -> dict:
        """Every version sent for the contract: {period_id: [Return, oldest first]}, in one listing."""
        return self.sent_and_drafted(contract_id)[0]

    def sent_and_drafted(self, contract_id: str) -> tuple[dict, set[str]]:
        """What `sent` gives, and the periods that have a draft saved (<period>/drafts/<n>.json), from one listing."""
        keys = self.store.keys(f"{contract_prefix(contract_id)}returns/")
        found: dict[str, list] = {}
        for value in read_json_many(self.store, [k for k in keys if "/sent/" in k]):
            sent = deserialise_return(value)
            found.setdefault(sent.period_id, []).append(sent)
        return found, {k.split("/")[-3] for k in keys if "/drafts/" in k}
