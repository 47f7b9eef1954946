"""Evidence files on a contract, shared by all its returns: uploaded once, chosen on any return (tell us once).

The browser posts a file straight to storage under `uploads/contracts/<id>/<upload_id>/` (decision 7); `attach`
then moves it to `evidence/contracts/<id>/<file_id>` (under evidence/, which the malware scanner watches), checks it
by its content (portal.evidence.checks) and writes its record, write-once, to
`contracts/<id>/evidence/records/<file_id>.json`; a file that fails any check is deleted.
A sent return names the files it relied on, so none is ever removed.
"""

import secrets
from contextlib import suppress

from portal.clock import now
from portal.evidence import checks
from portal.evidence.checks import EvidenceRejected
from portal.evidence.filetypes import BYTES_PER_MB, DEFAULT_TYPES
from portal.evidence.reading import HeadFirst, sha256_of

from .. import malware
from ..storage import AlreadyExists, NotFound, Store, StorageError, read_json_many
from .records import contract_prefix

__all__ = ["MAX_BYTES", "MAX_FILES", "TYPES", "ContractFiles", "EvidenceRejected"]

TYPES = DEFAULT_TYPES
MAX_BYTES = 20 * BYTES_PER_MB
MAX_FILES = 200  # on one contract, over its whole term
POLICY_SIZE_MARGIN = 2  # as the self-assessment's: a file up to twice the limit reaches the check and its message


class ContractFiles:
    def __init__(self, store: Store, clock=now, scanner: str | None = None):
        self.store, self.clock, self.scanner = store, clock, scanner

    @staticmethod
    def upload_prefix(contract_id: str, upload_id: str) -> str:
        return f"uploads/{contract_prefix(contract_id)}{upload_id}/"

    def upload_form(self, contract_id: str, upload_id: str, back_to: str):
        return self.store.upload_form(
            self.upload_prefix(contract_id, upload_id), back_to, max_bytes=MAX_BYTES * POLICY_SIZE_MARGIN
        )

    def files(self, contract_id: str) -> list[dict]:
        """Every file kept for the contract, in the order uploaded."""
        keys = self.store.keys(f"{contract_prefix(contract_id)}evidence/records/")
        return sorted(read_json_many(self.store, keys), key=lambda f: (f["uploaded_at"], f["id"]))

    def attach(self, contract_id: str, upload_id: str, by: str) -> dict:
        """Keep the file posted under `upload_id` if it passes every check: its record; else EvidenceRejected."""
        file_id = secrets.token_hex(16)
        key = f"evidence/{contract_prefix(contract_id)}{file_id}"
        try:
            upload = self.store.claim_upload(self.upload_prefix(contract_id, upload_id), key)
        except (NotFound, AlreadyExists):  # nothing came, or a file id drawn twice: never overwrite
            raise EvidenceRejected(checks.upload_failed()) from None
        except StorageError:
            with suppress(StorageError):
                self.store.delete(key)
            raise
        try:
            kept = self.files(contract_id)
            if len(kept) >= MAX_FILES:
                raise EvidenceRejected(checks.too_many(MAX_FILES))
            read_range = HeadFirst(self.store, key)
            inspected = checks.inspect(read_range, upload.size, upload.filename, TYPES, MAX_BYTES)
            if malware.scan_status(self.store, key, self.scanner) == malware.THREAT:
                raise EvidenceRejected(checks.virus())
            digest = sha256_of(read_range, upload.size)
            same = next((f for f in kept if f.get("sha256") == digest and f.get("size") == upload.size), None)
            if same is not None:  # kept once: the same file again is the one already kept, not a second entry
                with suppress(StorageError):
                    self.store.delete(key)
                return same
            record = {
                "id": file_id,
                "key": key,
                "name": inspected.name,
                "size": upload.size,
                "sha256": digest,
                "content_type": inspected.type.content_type,
                "uploaded_at": self.clock().replace(microsecond=0).isoformat(),
                "by": by,
            }
            self.store.create_json(f"{contract_prefix(contract_id)}evidence/records/{file_id}.json", record)
        except BaseException:
            with suppress(StorageError):
                self.store.delete(key)  # not recorded, so not kept: nothing half-stored
            raise
        return record
