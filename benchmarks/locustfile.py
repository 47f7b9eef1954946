"""Suppliers saving answers and uploading evidence, for benchmarks/load.py.

Each supplier starts a self-assessment and answers the two questions that ask for evidence, then saves answer
after answer and, one time in four, uploads a small PDF as a browser without JavaScript would: it posts the file
to the evidence page's upload form (the file store's endpoint, or S3's presigned POST), follows storage's redirect
to the function that checks and attaches it, and reads the page that names it. A slot that is full (10 files) is
left for the next; when both are full the supplier just saves answers.

Every answer the portal acknowledges (303) and every file it shows attached is written to LOAD_ACKNOWLEDGED as a
JSON line, so that load.py can read each one back from storage afterwards.
"""

import hashlib
import html
import itertools
import json
import os
import re
from urllib.parse import parse_qs, urlsplit

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
# The upload form on an evidence page (portal/templates/assessments/evidence.html) and its hidden fields.
UPLOAD_FORM = re.compile(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"(.*?)</form>', re.DOTALL)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
# Evidence slots of content/assessments/readiness.yaml (any file type, up to 10 files each), with the section,
# question and answer that make each apply.
SLOTS = {
    "wellbeing-policy": ("employee-wellbeing", "wellbeing_support", "named-contact"),
    "edi-policy": ("inclusive-recruitment", "anonymised_applications", "yes"),
}
_acknowledged = open(os.environ["LOAD_ACKNOWLEDGED"], "a", buffering=1)  # one line per write
_suppliers = itertools.count(1)


def pdf(text: str) -> bytes:
    """A real one-page PDF showing `text`, so that each file, and so its SHA-256, is unique."""
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(out)


class Supplier(HttpUser):
    wait_time = between(0.5, 1.5)  # reading the next question

    def on_start(self):
        self.number, self.saves, self.uploads = next(_suppliers), 0, 0
        started = self.client.post(
            "/assessments/readiness/start", headers={"Sec-Fetch-Site": "same-origin"}, allow_redirects=False, name="start"
        )
        self.task_list = started.headers["Location"].split("?")[0]
        self.token = self.task_list.rstrip("/").rsplit("/", 1)[1]
        self.question = f"{self.task_list}organisation/organisation_name/"
        page = self.client.get(self.question, name="question page")
        match = CSRF.search(page.text)
        self.csrf = match.group(1) or match.group(2)
        self.evidence_pages = {}  # each open slot's newest page, whose upload form the next upload uses
        for slot, (section, question, answer) in SLOTS.items():
            with self.client.post(
                f"{self.task_list}{section}/{question}/",
                data={question: answer, "csrf_token": self.csrf},
                allow_redirects=False,
                name="answer that asks for evidence",
                catch_response=True,
            ) as response:
                if response.status_code != 303:
                    response.failure(f"answer not saved: {response.status_code}")
                    continue
            self.evidence_pages[slot] = None

    @task(3)
    def save_an_answer(self):
        self.saves += 1
        value = f"Supplier {self.number} answer {self.saves}"
        with self.client.post(
            self.question,
            data={"organisation_name": value, "csrf_token": self.csrf},
            allow_redirects=False,
            name="save answer",
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"answer not saved: {response.status_code}")
                return
            _acknowledged.write(json.dumps({"token": self.token, "value": value}) + "\n")

    @task(1)
    def upload_a_file(self):
        if not self.evidence_pages:
            return self.save_an_answer()  # every slot is full
        slot = next(iter(self.evidence_pages))
        page = self.evidence_pages[slot] or self._evidence_page(f"{self.task_list}evidence/{slot}/")
        if page is None:
            return
        form = UPLOAD_FORM.search(page)
        if not form:  # full: the page says so instead of offering the form
            del self.evidence_pages[slot]
            return
        self.uploads += 1
        name = f"supplier-{self.number}-file-{self.uploads}.pdf"
        data = pdf(f"Supplier {self.number}, file {self.uploads}")
        fields = {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(form.group(2))}
        # requests writes the fields before the file, as S3 needs.
        with self.client.post(
            html.unescape(form.group(1)),
            data=fields,
            files={"file": (name, data, "application/pdf")},
            allow_redirects=False,
            name="upload to storage",
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"upload refused: {response.status_code}")
                self.evidence_pages[slot] = None  # a fresh form next time
                return
            uploaded = response.headers["Location"]
        with self.client.get(uploaded, allow_redirects=False, name="attach", catch_response=True) as response:
            added = parse_qs(urlsplit(response.headers.get("Location", "")).query).get("added", [None])[0]
            if response.status_code != 303 or not added:
                response.failure(f"file not attached: {response.status_code}")
                self.evidence_pages[slot] = None
                return
            attached = response.headers["Location"]
        page = self._evidence_page(attached, shows=f"{name} has been uploaded")
        self.evidence_pages[slot] = page
        if page is not None:
            _acknowledged.write(
                json.dumps({"token": self.token, "file": name, "id": added, "sha256": hashlib.sha256(data).hexdigest()}) + "\n"
            )

    def _evidence_page(self, url: str, shows: str = "") -> str | None:
        with self.client.get(url, name="evidence page", catch_response=True) as response:
            if response.status_code != 200 or shows not in response.text:
                response.failure(f"evidence page: {response.status_code}, without {shows!r}")
                return None
            return response.text
