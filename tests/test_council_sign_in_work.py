"""Asking for a sign-in link does the same storage work for an officer's address as for anyone else's, and the
officer's email goes out after the answer: how long the answer takes does not say whose address it is. (The times
themselves are measured by benchmarks/sign_in_timing.py, not here.)"""

from collections import Counter

from functions.storage import FileStore
from tests.officer import VIEWER, Clock, OfficerBrowser, council_app_with_officers, emails_to


class CountingStore(FileStore):
    def __init__(self, root):
        super().__init__(root)
        self.calls = Counter()

    def keys(self, prefix=""):
        self.calls["keys"] += 1
        return super().keys(prefix)

    def read(self, key):
        self.calls["read"] += 1
        return super().read(key)

    def create(self, key, data, *args, **kwargs):
        self.calls["create"] += 1
        return super().create(key, data, *args, **kwargs)


def test_an_officer_and_a_stranger_cost_the_same_storage_calls_and_the_email_follows_the_answer(built, tmp_path):
    app = council_app_with_officers(built[1], str(tmp_path / "storage"), tmp_path / "outbox", Clock(), "http://localhost")
    store = CountingStore(tmp_path / "storage")
    app.extensions["portal.store"] = store
    browser = OfficerBrowser(app.test_client(), tmp_path / "outbox")
    costs = {}
    for who, address in (("officer", VIEWER), ("stranger", "someone@example.com")):
        csrf_page = browser.client.get("/council/sign-in").get_data(as_text=True)
        from tests.officer import csrf

        store.calls.clear()
        response = browser.client.post("/council/sign-in", data={"email": address, "csrf_token": csrf(csrf_page)})
        assert response.status_code == 303
        costs[who] = dict(store.calls)
        assert emails_to(tmp_path / "outbox", address) == []  # nothing sent before the answer has gone
        response.close()
    assert costs["officer"] == costs["stranger"], costs
    assert len(emails_to(tmp_path / "outbox", VIEWER)) == 1 and emails_to(tmp_path / "outbox", "someone@example.com") == []
