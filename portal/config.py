"""Every setting in one place, read from the environment with working local defaults."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(var_dir: Path) -> str:
    """PORTAL_SECRET_KEY, or a random development key kept in var/ so sessions survive restarts."""
    key = os.environ.get("PORTAL_SECRET_KEY")
    if key:
        return key
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: processes starting together (the tests' workers) never read a
        # half-written key, and the first one's key is the one they all keep.
        with tempfile.NamedTemporaryFile("w", dir=var_dir, prefix=".secret_key-") as draft:
            draft.write(secrets.token_urlsafe(48))
            draft.flush()
            with contextlib.suppress(FileExistsError):
                os.link(draft.name, key_file)
    return key_file.read_text().strip()


def from_environment() -> dict:
    """The Flask config mapping for this process."""
    var_dir = Path(os.environ.get("PORTAL_VAR", PROJECT_ROOT / "var"))
    return {
        "PORTAL_CONTENT": Path(os.environ.get("PORTAL_CONTENT", PROJECT_ROOT / "content")),
        "PORTAL_ASSETS": Path(os.environ.get("PORTAL_ASSETS", PROJECT_ROOT / "build" / "assets")),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", ""),
        "PORTAL_STORAGE": os.environ.get("PORTAL_STORAGE", str(var_dir / "storage")),
        "PORTAL_EMAIL": os.environ.get("PORTAL_EMAIL", f"outbox:{var_dir / 'outbox'}"),
        # Seconds between the rounds of a sender thread in this process that retries the emails the durable
        # outbox could not send at once (functions/mail/outbox.py); make run sets it, 0 starts none.
        "PORTAL_SEND_EMAIL_EVERY": float(os.environ.get("PORTAL_SEND_EMAIL_EVERY", 0)),
        # How long the council's retention purge keeps a submission (with its evidence) and an audit record.
        "PORTAL_SUBMISSION_RETENTION_DAYS": int(os.environ.get("PORTAL_SUBMISSION_RETENTION_DAYS", 6 * 365)),
        "PORTAL_AUDIT_RETENTION_DAYS": int(os.environ.get("PORTAL_AUDIT_RETENTION_DAYS", 2 * 365)),
        "PORTAL_MALWARE_SCANNER": os.environ.get("PORTAL_MALWARE_SCANNER", "none"),
        # What builds an evidence ZIP (functions/council/export_job_pages.py): "thread", a thread in this process, or
        # "s3-event", the evidence_export Lambda that S3 starts when the job record is stored (infra/template.yaml).
        "PORTAL_EXPORT_JOBS": os.environ.get("PORTAL_EXPORT_JOBS", "thread"),
        # Behind CloudFront (the SAM template sets both): trust its CloudFront-Viewer-Address header for the viewer's
        # address, and refuse any request without the secret header CloudFront adds (functions/viewer.py).
        "PORTAL_BEHIND_CLOUDFRONT": os.environ.get("PORTAL_BEHIND_CLOUDFRONT", "").lower() in ("1", "true", "yes"),
        "PORTAL_ORIGIN_SECRET": os.environ.get("PORTAL_ORIGIN_SECRET", ""),
        "SECRET_KEY": _secret_key(var_dir),
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # forms only: evidence files go straight to storage
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session cookie
        # Behind CloudFront the Referer names the site's domain, not the API's Host, so the strict HTTPS
        # referrer check would refuse every post; the token and the SameSite cookie carry the protection.
        "WTF_CSRF_SSL_STRICT": False,
    }
