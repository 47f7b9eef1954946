"""Hostile posts to every page a contact sends a return through: refused with a 4xx or taken whole, never a 5xx,
and nothing half-stored (a refused post leaves storage as it was)."""

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.storage import open_store

from .test_fuzz import BOUNDED, hostile_text
from .test_supplier_returns import ANSWERS, Q1, app, clock, contract_id, form_url, sign_in, store  # noqa: F401  (fixtures)
from .officer import csrf

FIELDS = sorted(ANSWERS) + [
    "lines-LE01-narrative",
    "lines-WB06-narrative",
    "lines-LE01-evidence",
    "correction_reason",
    "based_on",
    "action",
    "draft",
]
field_names = st.one_of(st.sampled_from(FIELDS), st.text(max_size=20))


@pytest.fixture
def storage_url(tmp_path):
    return str(tmp_path / "storage")


@pytest.fixture
def ann(app, tmp_path, contract_id):  # noqa: F811
    return sign_in(app, tmp_path / "outbox")


@pytest.mark.parametrize("page", ["form", "check"])
def test_no_post_to_a_return_page_fails_or_half_stores_whatever_is_sent(ann, contract_id, storage_url, page):  # noqa: F811
    store = open_store(storage_url)  # noqa: F811
    url = form_url(contract_id) + ("check" if page == "check" else "")
    ann.post(form_url(contract_id), {**ANSWERS, "action": "save"})  # a draft to check, so that posts reach the sending
    token = csrf(ann.client.get(form_url(contract_id)).get_data(as_text=True))
    folder = f"contracts/{contract_id}/returns/{Q1.id}/"

    @settings(max_examples=40, **BOUNDED)
    @given(
        fields=st.dictionaries(field_names, st.lists(hostile_text, min_size=1, max_size=3), max_size=8),
        raw=st.one_of(st.none(), st.binary(max_size=300)),
        with_token=st.booleans(),
    )
    def post(fields, raw, with_token):
        before = store.keys(folder)
        if raw is not None:  # bytes that are not UTF-8, sent as a form
            body = (b"csrf_token=" + token.encode() + b"&" if with_token else b"") + b"&".join(
                quote_from_bytes(raw[i : i + 7]).encode() + b"=" + raw[i : i + 11] for i in range(0, len(raw), 13)
            )
            response = ann.client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        else:
            response = ann.client.post(url, data={**fields, **({"csrf_token": token} if with_token else {})})
        assert response.status_code < 500, f"{url} answered {response.status_code} to {fields or raw!r}"
        after = store.keys(folder)
        if response.status_code >= 400:
            assert after == before, "a refused post stored something"
        for key in set(after) - set(before):  # whatever was kept is whole: a draft or a version that reads back
            assert store.read_json(key)["by"] == "ann@roadworks.example"

    post()
