"""Evidence packs and evidence ZIPs, built in storage and opened with zipfile as an officer's computer would."""

import csv
import hashlib
import io
import json
import os
import subprocess
import uuid
import zipfile
from datetime import datetime, timezone

import boto3
import pytest
from markupsafe import escape

from functions.exports.packs import SKIPPED, evidence_pack, evidence_zip
from functions.exports.submissions import Submission, SubmissionFilter, find_submissions
from functions.malware import SCAN_TAG
from functions.storage import UPLOAD_PART_BYTES, open_store

from .conftest import BUCKET
from .submission_factory import put_evidence, put_submission, typed_answers
from .test_html_validity import VNU


@pytest.fixture
def assessment(app):
    return app.extensions["portal.content"].assessment("readiness")


def opened(store, key) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(store.read(key)))
    assert archive.testzip() is None  # every member's CRC matches
    return archive


def checked_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, after checking that it lists every other file with the size and SHA-256 of its bytes."""
    manifest = json.loads(archive.read("manifest.json"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(listed) == sorted(name for name in archive.namelist() if name != "manifest.json")
    for path, entry in listed.items():
        data = archive.read(path)
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), path
    return manifest


def test_pack_holds_the_answers_every_evidence_file_and_a_manifest_of_their_hashes(app, assessment, store):
    reference = "SV-PACK-0001"
    slot = assessment.evidence_slots[0]
    files = [
        put_evidence(store, reference, "Wellbeing policy.pdf", b"%PDF-1.7 policy", slots=(slot.id,)),
        put_evidence(store, reference, "Carbon plan.pdf", os.urandom(UPLOAD_PART_BYTES + 1000)),
        put_evidence(store, reference, "Photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(3000), "image/png"),
    ]
    organisation = assessment.questions[0]
    record = put_submission(
        store, assessment, typed_answers(assessment, **{organisation.id: "Café Ōmori Ltd"}), evidence=files, reference=reference
    )
    with app.app_context():
        key = evidence_pack(store, Submission(assessment, record))

    assert store.read_metadata(key) == {"filename": f"{reference}-evidence-pack.zip"}
    archive = opened(store, key)
    manifest = checked_manifest(archive)
    assert manifest["skipped"] == []
    evidence = sorted(name for name in archive.namelist() if name.startswith("evidence/"))
    assert evidence == ["evidence/001-Wellbeing policy.pdf", "evidence/002-Carbon plan.pdf", "evidence/003-Photo.png"]
    for name, file in zip(evidence, files):
        assert archive.read(name) == store.read(file["key"])
        assert hashlib.sha256(archive.read(name)).hexdigest() == file["sha256"]

    summary = archive.read("summary.html").decode()
    assert reference in summary and "Café Ōmori Ltd" in summary and "Wellbeing policy.pdf" in summary
    assert escape(slot.label) in summary
    for section in assessment.sections:
        assert section.title in summary
    rows = list(csv.reader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Question", "Answer"]
    assert [assessment.sections[0].title, organisation.label, "Café Ōmori Ltd"] in rows


def test_pack_summary_is_valid_html(app, assessment, tmp_path):
    store = open_store(str(tmp_path / "storage"))
    record = put_submission(store, assessment, evidence=[put_evidence(store, "SV-HTML-0001", "a.pdf", b"%PDF")])
    with app.app_context():
        archive = opened(store, evidence_pack(store, Submission(assessment, record)))
    (tmp_path / "summary.html").write_bytes(archive.read("summary.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", str(tmp_path / "summary.html")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_evidence_scanned_clean_goes_in_and_the_rest_are_listed_with_the_reason(app, assessment, s3_env):
    store = open_store(f"s3://{BUCKET}/tests/{uuid.uuid4().hex}")
    reference = "SV-SCAN-0001"
    verdicts = {
        "clean.pdf": "NO_THREATS_FOUND",
        "threat.pdf": "THREATS_FOUND",
        "unscannable.pdf": "UNSUPPORTED",
        "pending.pdf": None,
    }
    files = [put_evidence(store, reference, name, f"%PDF {name}".encode()) for name in verdicts]
    s3 = boto3.client("s3")
    for file in files:  # as GuardDuty Malware Protection tags each object it has scanned
        if verdicts[file["name"]]:
            s3.put_object_tagging(
                Bucket=BUCKET,
                Key=store.prefix + file["key"],
                Tagging={"TagSet": [{"Key": SCAN_TAG, "Value": verdicts[file["name"]]}]},
            )
    gone = put_evidence(store, reference, "gone.pdf", b"%PDF gone")
    store.delete(gone["key"])
    record = put_submission(store, assessment, evidence=files + [gone], reference=reference)
    with app.app_context():
        archive = opened(store, evidence_pack(store, Submission(assessment, record), scanner="guardduty"))

    assert [n for n in archive.namelist() if n.startswith("evidence/")] == ["evidence/001-clean.pdf"]
    skipped = {entry["name"]: entry["reason"] for entry in checked_manifest(archive)["skipped"]}
    assert skipped == {
        "threat.pdf": SKIPPED["threat"],
        "unscannable.pdf": SKIPPED["threat"],
        "pending.pdf": SKIPPED["pending"],
        "gone.pdf": SKIPPED["missing"],
    }


def test_with_no_scanner_configured_every_file_goes_in(app, assessment, store):
    files = [put_evidence(store, "SV-NOSC-0001", f"{n}.pdf", b"%PDF") for n in range(3)]
    record = put_submission(store, assessment, evidence=files)
    with app.app_context():
        archive = opened(store, evidence_pack(store, Submission(assessment, record)))
    assert len([n for n in archive.namelist() if n.startswith("evidence/")]) == 3


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.exe", "evil.exe"),
        ("/absolute.pdf", "absolute.pdf"),
        ("con\x00trol\x1f.pdf", "control.pdf"),
        ('what?*<>|:".pdf', "what_.pdf"),
        ("..", "file"),
        ("é" * 300 + ".pdf", "é" * 96 + ".pdf"),
    ],
)
def test_file_names_that_lie_or_attack_stay_inside_the_pack(app, assessment, tmp_path, name, expected):
    store = open_store(str(tmp_path / "storage"))
    record = put_submission(store, assessment, evidence=[put_evidence(store, "SV-NAME-0001", name, b"data")])
    with app.app_context():
        archive = opened(store, evidence_pack(store, Submission(assessment, record)))
    assert "evidence/001-" + expected in archive.namelist()
    checked_manifest(archive)


def test_evidence_zip_has_every_matching_submissions_files_in_a_folder_each(app, assessment, store):
    october = datetime(2026, 10, 5, 9, tzinfo=timezone.utc)
    wanted = [
        put_submission(
            store,
            assessment,
            submitted_at=october,
            reference=f"SV-ZIPS-000{n}",
            evidence=[
                put_evidence(store, f"SV-ZIPS-000{n}", "policy.pdf", os.urandom(2000)),
                put_evidence(store, f"SV-ZIPS-000{n}", "policy.pdf", os.urandom(10)),
            ],
        )
        for n in (1, 2)
    ]
    put_submission(
        store, assessment, reference="SV-ZIPS-0003", evidence=[put_evidence(store, "SV-ZIPS-0003", "later.pdf", b"%PDF")]
    )
    put_submission(store, assessment, reference="SV-ZIPS-0004", submitted_at=october)  # from before evidence
    matching = find_submissions(store, {assessment.id: assessment}, SubmissionFilter(submitted_to=october.date()))

    archive = opened(store, evidence_zip(store, matching))
    manifest = checked_manifest(archive)
    expected = {
        f"readiness/{record['reference']}/{n:03d}-policy.pdf": evidence
        for record in wanted
        for n, evidence in enumerate(record["evidence"], start=1)
    }
    assert sorted(archive.namelist()) == sorted([*expected, "manifest.json"])
    for path, evidence in expected.items():
        assert archive.read(path) == store.read(evidence["key"])
    assert {entry["reference"] for entry in manifest["files"]} == {"SV-ZIPS-0001", "SV-ZIPS-0002"}


def test_every_export_is_a_new_object_and_none_is_overwritten(app, assessment, store):
    record = put_submission(store, assessment, evidence=[put_evidence(store, "SV-ONCE-0001", "a.pdf", b"%PDF")])
    with app.app_context():
        first = evidence_pack(store, Submission(assessment, record))
        second = evidence_pack(store, Submission(assessment, record))
    assert first != second
    assert store.keys("exports/packs/") == sorted([first, second])
