"""Suppliers saving answers, for benchmarks/load.py: each starts a self-assessment, then saves answer after answer.

Every answer the portal acknowledges (303) is written to LOAD_ACKNOWLEDGED as a JSON line, so that load.py can
read each one back from storage afterwards.
"""
import itertools
import json
import os
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_acknowledged = open(os.environ["LOAD_ACKNOWLEDGED"], "a", buffering=1)  # one line per write
_suppliers = itertools.count(1)


class Supplier(HttpUser):
    wait_time = between(0.5, 1.5)  # reading the next question

    def on_start(self):
        self.number, self.saves = next(_suppliers), 0
        started = self.client.post("/assessments/readiness/start", headers={"Sec-Fetch-Site": "same-origin"},
                                   allow_redirects=False, name="start")
        self.task_list = started.headers["Location"].split("?")[0]
        self.token = self.task_list.rstrip("/").rsplit("/", 1)[1]
        self.question = f"{self.task_list}organisation/organisation_name/"
        page = self.client.get(self.question, name="question page")
        match = CSRF.search(page.text)
        self.csrf = match.group(1) or match.group(2)

    @task
    def save_an_answer(self):
        self.saves += 1
        value = f"Supplier {self.number} answer {self.saves}"
        with self.client.post(self.question, data={"organisation_name": value, "csrf_token": self.csrf},
                              allow_redirects=False, name="save answer", catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"answer not saved: {response.status_code}")
                return
            _acknowledged.write(json.dumps({"token": self.token, "value": value}) + "\n")
