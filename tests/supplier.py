"""A supplier working through a self-assessment with the Flask test client, answering whatever the YAML asks."""

import re
from urllib.parse import urlsplit

from portal.questionnaire.model import Question

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def example_answer(question: Question):
    """Form data a careful supplier might give to any question: the first option, or a sensible value."""
    if question.type == "choices":
        return [question.options[0].value]
    if question.options:
        return question.options[0].value
    return {
        "whole_number": str(question.min if question.min is not None else 12),
        "quantity": "12.5",
        "money": "1250.50",
        "date": ["1", "3", "2026"],
        "url": "https://www.example.co.uk",
        "email": "owner@example.co.uk",
    }.get(question.type, "Example answer")


class Supplier:
    def __init__(self, client, assessment):
        self.client = client
        self.assessment = assessment
        self.task_list = None

    def csrf(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) or match.group(2)

    def start(self):
        response = self.client.post(f"/assessments/{self.assessment.id}/start")
        assert response.status_code == 303
        self.task_list = urlsplit(response.headers["Location"]).path
        return self.task_list

    def post(self, url, data, form_page=None):
        """Post `data` as the form on `form_page` (by default, `url` itself) would, with its CSRF token."""
        page = self.client.get(form_page or url)
        return self.client.post(url, data={**data, "csrf_token": self.csrf(page.get_data(as_text=True))})

    def question_url(self, section_id, question_id):
        return f"{self.task_list}{section_id}/{question_id}/"

    def answer(self, section_id, question_id, value):
        return self.post(self.question_url(section_id, question_id), {question_id: value})

    def complete_section(self, section_id, answers=None):
        """Answer every question the section asks (example answers unless given), then mark it completed."""
        answers = answers or {}
        response = self.client.get(f"{self.task_list}{section_id}/")
        while "/check-answers/" not in response.headers.get("Location", ""):
            assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
            question_id = urlsplit(response.headers["Location"]).path.rstrip("/").rsplit("/", 1)[1]
            question = self.assessment.question(question_id)
            response = self.answer(section_id, question_id, answers.get(question_id, example_answer(question)))
        return self.post(f"{self.task_list}{section_id}/check-answers/", {"completed": "yes"})

    def complete_all(self, answers=None):
        for section in self.assessment.sections:
            response = self.complete_section(section.id, answers)
            assert response.status_code == 303, response.get_data(as_text=True)[:1000]

    def submit(self, times: int = 1):
        """Press Send, `times` times from the same page (a double click, or back and send again)."""
        token = self.csrf(self.client.get(self.task_list).get_data(as_text=True))
        responses = [self.client.post(f"{self.task_list}submit", data={"csrf_token": token}) for _ in range(times)]
        return responses[0] if times == 1 else responses
