"""Retention: `flask --app portal purge` deletes every version and file past its period and logs it without personal
data; `flask --app portal notify-officers` sends the daily email once to those who asked for it."""

import boto3
import pytest

from functions.council import audit
from functions.council.officers import Officers
from functions.council.web import SESSIONS
from functions.signin.sessions import Sessions
from functions.assessment.records import Drafts
from portal import create_app
from tests.conftest import BUCKET, CONTENT, CREDENTIALS
from tests.officer import emails_to, send_submission


@pytest.fixture
def council_app(built, storage_url, tmp_path, clock):
    return create_app(
        {
            "TESTING": True,
            "PORTAL_CONTENT": CONTENT,
            "PORTAL_ASSETS": built[1],
            "PORTAL_STORAGE": storage_url,
            "PORTAL_EMAIL": f"outbox:{tmp_path / 'outbox'}",
            "PORTAL_BASE_URL": "https://portal.example",
            "PORTAL_CLOCK": clock,
            "PORTAL_SUBMISSION_RETENTION_DAYS": 30,
            "PORTAL_AUDIT_RETENTION_DAYS": 60,
        }
    )


def run(app, command):
    result = app.test_cli_runner().invoke(args=[command])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_deletes_a_submission_with_every_version_review_and_evidence_file(council_app, store, storage_url, clock):
    old = send_submission(council_app, store, "Old Firm Ltd", clock)
    key = store.keys(f"submissions/readiness/{old}/")[-1]
    record = store.read_json(key)
    store.create("evidence/x/policy.pdf", b"%PDF-1.7", content_type="application/pdf")
    record["evidence"] = [
        {
            "id": "e1",
            "key": "evidence/x/policy.pdf",
            "name": "policy.pdf",
            "size": 8,
            "sha256": "0" * 64,
            "content_type": "application/pdf",
            "uploaded_at": clock().isoformat(),
            "slots": [],
            "valid_until": None,
        }
    ]
    store.create_json(key.replace("000001", "000002"), record)
    store.create_json(f"reviews/readiness/{old}/000001.json", {"status": "accepted", "note": "", "by": "a@b.gov.uk", "at": "x"})
    clock.advance(days=31)
    recent = send_submission(council_app, store, "Recent Firm Ltd", clock)

    output = run(council_app, "purge")
    assert f"Deleted submission {old}" in output and recent not in output
    assert store.keys(f"submissions/readiness/{old}/") == [] and store.keys(f"reviews/readiness/{old}/") == []
    assert store.keys("evidence/") == []
    assert len(store.keys(f"submissions/readiness/{recent}/")) == 1
    if storage_url.startswith("s3://"):  # every version, not just the newest, in the versioned bucket
        bucket_prefix = storage_url.removeprefix(f"s3://{BUCKET}/") + "/"
        raw = boto3.client("s3", **CREDENTIALS).list_object_versions(Bucket=BUCKET, Prefix=bucket_prefix)
        left = [v["Key"] for v in raw.get("Versions", []) + raw.get("DeleteMarkers", [])]
        assert not [k for k in left if old in k or "/evidence/" in k]
    [logged] = [e for e in audit.read(store, audit.keys_newest_first(store)) if e["action"] == "deleted-submission"]
    assert logged["subject"] == old and logged["who"] == "system"
    assert "Old Firm" not in str(logged) and logged["details"] == {"versions": 2, "evidence_files": 1}


def test_purge_deletes_expired_drafts_and_old_audit_records(council_app, store, clock):
    assessment = council_app.extensions["portal.content"].assessment("readiness")
    drafts = Drafts(store, clock=clock)
    draft = drafts.start(assessment)
    drafts.save(assessment, draft, answers={"organisation_name": "Draft Ltd"})
    audit.record(store, "someone@exampleshire.gov.uk", "viewed-submission", "SV-AAAA-AAAA", "192.0.2.1", at=clock())
    clock.advance(days=assessment.drafts_expire_after_days - 1)
    run(council_app, "purge")
    assert len(store.keys("drafts/")) == 2 and len(store.keys("audit/")) == 1
    clock.advance(days=61 - assessment.drafts_expire_after_days + 1)
    run(council_app, "purge")
    assert store.keys("drafts/") == []
    entries = audit.read(store, audit.keys_newest_first(store))
    assert [e["action"] for e in entries] == ["deleted-by-retention"]
    assert entries[0]["details"]["drafts"] == 1 and entries[0]["details"]["audit_records"] == 1
    assert "someone" not in str(entries)


def test_purge_clears_sign_in_data_after_a_day(council_app, store, clock):
    Officers(store).add("viewer@exampleshire.gov.uk")
    Sessions(store, clock, prefix=SESSIONS).start("viewer@exampleshire.gov.uk")
    council_app.test_cli_runner().invoke(args=["add-officer", "viewer@exampleshire.gov.uk"])
    assert store.keys("council/sessions/") and store.keys("council/sign-in-links/")
    clock.advance(days=1, minutes=20)
    run(council_app, "purge")
    assert store.keys("council/sessions/") == [] and store.keys("council/sign-in-links/") == []
    assert Officers(store).find("viewer@exampleshire.gov.uk") is not None  # officers are kept


def test_purge_deletes_charter_sign_ups_never_confirmed_and_expired_confirmation_links(council_app, store, clock):
    from functions.charter.signatories import Signatories

    charter = Signatories(store, clock)
    forgotten, _ = charter.sign_up({"organisation": "Never Confirmed Ltd"})
    confirmed, link = charter.sign_up({"organisation": "Confirmed Ltd"})
    charter.confirm(link)
    clock.advance(days=8, minutes=1)  # every link has expired, and a day more
    run(council_app, "purge")
    assert store.keys("charter/links/") == []
    assert store.keys(f"charter/signatories/{forgotten['id']}/")  # still within its 30 days
    clock.advance(days=23)
    output = run(council_app, "purge")
    assert "1 Charter sign-ups never confirmed" in output
    assert store.keys(f"charter/signatories/{forgotten['id']}/") == []
    assert charter.get(confirmed["id"])["status"] == "pending"  # a confirmed sign-up is the council's to decide on
    assert store.keys("charter/used-links/") == []
    [entry] = [r for r in audit.read(store, audit.keys_newest_first(store)) if r["action"] == "deleted-by-retention"]
    assert entry["details"]["unconfirmed_charter_sign_ups"] == 1 and "Never Confirmed" not in str(entry)
    from functions.council.retention import UNCONFIRMED_DAYS

    notice = (CONTENT / "pages" / "privacy-notice.md").read_text()
    assert f"| Charter sign-ups whose email address is never confirmed | Deleted {UNCONFIRMED_DAYS} days after" in notice


def test_daily_email_lists_yesterdays_submissions_once_to_those_who_asked(council_app, store, clock, tmp_path):
    officers = Officers(store)
    keen = officers.add("keen@exampleshire.gov.uk")
    officers.change(keen, notify_daily=True)
    officers.add("quiet@exampleshire.gov.uk")
    reference = send_submission(council_app, store, "Yesterday Ltd", clock)
    clock.advance(days=1)
    assert "sent 1 emails" in run(council_app, "notify-officers")
    assert "sent 0 emails, 1 already sent" in run(council_app, "notify-officers")
    [message] = emails_to(tmp_path / "outbox", "keen@exampleshire.gov.uk")
    body = message.get_content()
    assert reference in body and "Yesterday Ltd" in body
    assert f"https://portal.example/council/submissions/readiness/{reference}/" in body
    assert emails_to(tmp_path / "outbox", "quiet@exampleshire.gov.uk") == []
    clock.advance(days=1)
    assert "0 new submissions; sent 0 emails" in run(council_app, "notify-officers")
