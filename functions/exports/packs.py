"""Evidence as ZIPs streamed from storage into storage, so memory stays flat however large the files are.

A pack holds what the supplier submitted and a manifest of every file's size and SHA-256. Evidence whose malware
scan is not clean is left out, and the manifest says why.
"""

import hashlib
import json
import secrets
import stat
import zlib
from datetime import datetime

from portal.text import safe_filename
from portal.clock import now

from .. import malware
from ..storage import NotFound, Store, filename_metadata
from .submissions import Submission
from .summary import answers_csv, summary_html

READ_BYTES = 1024 * 1024
# Evidence is PDFs, images and office files, all compressed already: deflating them again runs at about 23 MB/s
# on one core and saves almost nothing, so evidence goes in as stored blocks (level 0, over 300 MB/s). The files
# the pack makes itself (summary, answers, manifest) are text, known in full, and compressed properly.
EVIDENCE_LEVEL = 0
TEXT_LEVEL = 9
NAME_LIMIT = 100
SKIPPED = {
    malware.PENDING: "The malware scan has not finished yet",
    malware.THREAT: "The malware scan found a threat, or could not check the file",
    "missing": "The file is no longer in storage",
}


def _now() -> datetime:
    return now().replace(microsecond=0)


def safe_name(name: str) -> str:
    """A supplier's file name made safe inside a ZIP: no folders, no control or reserved characters, not too long."""
    return safe_filename(name, limit=NAME_LIMIT)


class _Manifest:
    """What went into a ZIP and what was left out; it is written last, once every file has been hashed."""

    def __init__(self, created_at: datetime):
        self.created_at = created_at
        self.files, self.skipped = [], []

    def member(self, path: str, modified_at: datetime, chunks, method=None, **about):
        """A ZIP member whose bytes are counted and hashed on their way into the ZIP."""
        from stream_zip import ZIP_64

        def counted():
            digest, size = hashlib.sha256(), 0
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                yield chunk
            self.files.append({"path": path, "size": size, "sha256": digest.hexdigest(), **about})

        return path, modified_at, stat.S_IFREG | 0o644, method or ZIP_64, counted()

    def text_member(self, path: str, modified_at: datetime, data: bytes):
        return self.member(path, modified_at, iter([data]), _text_method(data))

    def last_member(self):
        data = json.dumps(
            {"created_at": self.created_at.isoformat(), "files": self.files, "skipped": self.skipped},
            indent=2,
            ensure_ascii=False,
        ).encode()
        return "manifest.json", self.created_at, stat.S_IFREG | 0o644, _text_method(data), iter([data])


def _text_method(data: bytes):
    from stream_zip import ZIP_AUTO

    return ZIP_AUTO(len(data), level=TEXT_LEVEL)


def _read(stream):
    with stream:
        while chunk := stream.read(READ_BYTES):
            yield chunk


def _evidence_members(store: Store, submission: Submission, folder: str, manifest: _Manifest, scanner: str | None):
    """A member for each evidence file that may go in a pack; the others are listed in the manifest as skipped."""
    record = submission.record
    for number, evidence in enumerate(submission.evidence, start=1):
        about = {
            "reference": record["reference"],
            "evidence_id": evidence["id"],
            "name": evidence["name"],
            "slots": evidence.get("slots", []),
            "valid_until": evidence.get("valid_until"),
        }
        try:
            status = malware.scan_status(store, evidence["key"], scanner)
            stream = store.open(evidence["key"]) if malware.downloadable(status) else None
        except NotFound:
            status = "missing"
        if not malware.downloadable(status):
            manifest.skipped.append({**about, "reason": SKIPPED.get(status, f"The malware scan said {status}")})
            continue
        path = f"{folder}{number:03d}-{safe_name(evidence['name'])}"
        uploaded_at = datetime.fromisoformat(evidence["uploaded_at"])
        yield manifest.member(
            path,
            uploaded_at,
            _read(stream),
            **about,
            content_type=evidence.get("content_type"),
            sha256_when_uploaded=evidence.get("sha256"),
        )


def _store_zip(store: Store, key: str, members, filename: str) -> str:
    from stream_zip import stream_zip

    chunks = stream_zip(
        members, chunk_size=READ_BYTES, get_compressobj=lambda: zlib.compressobj(level=EVIDENCE_LEVEL, wbits=-zlib.MAX_WBITS)
    )
    store.create_stream(key, chunks, "application/zip", filename_metadata(filename))
    return key


def _stamp(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def evidence_pack(store: Store, submission: Submission, scanner: str | None = None, clock=_now) -> str:
    """One supplier's evidence pack as a ZIP in storage; returns its key (metadata 'filename' names the download).

    The ZIP holds summary.html, answers.csv, evidence/ and manifest.json. `scanner` is the PORTAL_MALWARE_SCANNER
    setting (functions/malware.py): with one, only files it found clean go in. Needs a Flask app context, for the
    summary's templates.
    """
    now = clock()
    reference = submission.record["reference"]
    submitted = datetime.fromisoformat(submission.record["submitted_at"])
    manifest = _Manifest(now)

    def members():
        yield manifest.text_member("summary.html", submitted, summary_html(submission).encode())
        yield manifest.text_member("answers.csv", submitted, answers_csv(submission))
        yield from _evidence_members(store, submission, "evidence/", manifest, scanner)
        yield manifest.last_member()

    key = f"exports/packs/{submission.assessment.id}/{reference}/{_stamp(now)}.zip"
    return _store_zip(store, key, members(), f"{reference}-evidence-pack.zip")


def evidence_zip(store: Store, submissions: list[Submission], scanner: str | None = None, clock=_now) -> str:
    """Every evidence file of `submissions` as one ZIP in storage, a folder per submission; returns its key."""
    now = clock()
    manifest = _Manifest(now)

    def members():
        for submission in submissions:
            folder = f"{submission.assessment.id}/{submission.record['reference']}/"
            yield from _evidence_members(store, submission, folder, manifest, scanner)
        yield manifest.last_member()

    return _store_zip(store, f"exports/evidence/{_stamp(now)}.zip", members(), f"evidence-{now:%Y-%m-%d}.zip")
