"""One supplier's answers to read or print: laid out like check answers, and as a CSV, for an evidence pack."""

import csv
import io
from datetime import datetime

from flask import render_template

from portal.dates import uk_date_and_time
from portal.questionnaire.answers import display_answer
from portal.questionnaire.progress import shown_questions

from .cells import csv_cell
from .submissions import UK, Submission


def _sections(submission: Submission):
    answers = submission.record.get("answers", {})
    for section in submission.assessment.sections:
        yield section, [(q, display_answer(q, answers.get(q.id))) for q in shown_questions(section, answers)]


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024


def summary_html(submission: Submission) -> str:
    """A standalone page of every answer, section by section, with readiness and evidence; needs an app context."""
    record, assessment = submission.record, submission.assessment
    levels = {level.id: level.label for level in assessment.levels}
    readiness = [
        {
            "key": {"text": f"{section.title}: readiness"},
            "value": {"text": f"{levels.get(found['level'], found['level'])} ({found['percent']}%)"},
        }
        for section in assessment.scored_sections
        if (found := (record.get("readiness") or {}).get(section.id))
    ]
    submitted = datetime.fromisoformat(record["submitted_at"]).astimezone(UK)
    slot_label = lambda slot_id: getattr(assessment.evidence_slot(slot_id), "label", slot_id)  # noqa: E731
    evidence = [
        {**file, "size": _size(file["size"]), "slots": [slot_label(s) for s in file.get("slots", [])]}
        for file in submission.evidence
    ]
    return render_template(
        "exports/summary.html",
        assessment=assessment,
        record=record,
        readiness=readiness,
        submitted=uk_date_and_time(submitted),
        sections=list(_sections(submission)),
        evidence=evidence,
    )


def answers_csv(submission: Submission) -> bytes:
    """Section, question and answer, one row each, as a supplier would read them; UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Section", "Question", "Answer"])
    for section, rows in _sections(submission):
        for question, answer in rows:
            writer.writerow([csv_cell(section.title), csv_cell(question.label), csv_cell(answer)])
    return buffer.getvalue().encode("utf-8-sig")
