"""The Charter's core: reading its forms (any mapping in, a value or GOV.UK messages out, never an exception) and its
content's checks (a mistake in content/charter.yaml names the file, line and problem)."""

from hypothesis import given, strategies as st
from werkzeug.datastructures import MultiDict

from portal.charter.forms import read_concern, read_sign_up, read_update
from portal.content import load_content

from .charter_people import sign_up_form
from .conftest import CONTENT
from .content_edits import problems

CHARTER = load_content(CONTENT).charter


def form(**values) -> MultiDict:
    return MultiDict([(k, v) for k, vs in values.items() for v in (vs if isinstance(vs, list) else [vs])])


def test_a_whole_sign_up_is_read_as_stored():
    details, errors = read_sign_up(form(**sign_up_form(commitments=["carbon", "local-jobs", "carbon"])), CHARTER)
    assert errors == {}
    assert details["commitments"] == ["local-jobs", "carbon"]  # the Charter's order, each once
    assert details["website"] == "https://www.firm0.example.com" and details["email"] == "pat0@example.com"


def test_web_addresses_must_be_http_and_a_real_host():
    for address in (
        "javascript:alert(1)",
        "ftp://example.com",
        "https://",
        "http://localhost",
        "https://a b.com",
        "https://user@example.com",
        "https://exa<mple.com",
        "https://[example.com",
        "example.com]/about",
        "//[",
        "https://example.com:99999",
        "https://example.com:port",
    ):
        _, errors = read_sign_up(form(**sign_up_form(website=address)), CHARTER)
        assert errors == {"website": "Enter a web address in the correct format, like https://www.example.co.uk"}, address


def test_hidden_characters_and_long_answers_are_explained():
    _, errors = read_sign_up(
        form(**sign_up_form(organisation="Acme\u202eLtd", name="x" * 201, statement="line one\nline two" + "x" * 500)), CHARTER
    )
    assert errors == {
        "organisation": "Organisation name must not include hidden characters such as tabs or control characters",
        "name": "Full name must be 200 characters or fewer",
        "statement": "Your statement must be 500 characters or fewer",
    }


def test_an_update_needs_a_line_on_each_commitment():
    chosen = [CHARTER.commitment("local-jobs"), CHARTER.commitment("carbon")]
    _, errors = read_update(form(**{"update-local-jobs": "Two apprentices"}), chosen)
    assert errors == {"update-carbon": "Enter your progress on ‘Cut your carbon emissions’"}
    update, _ = read_update(form(**{"update-local-jobs": "a", "update-carbon": "b", "report": "example.com/r"}), chosen)
    assert update == {"progress": {"local-jobs": "a", "carbon": "b"}, "report": "https://example.com/r"}


FIELDS = [
    "organisation",
    "size",
    "sector",
    "website",
    "name",
    "role",
    "email",
    "commitments",
    "statement",
    "publish",
    "concern",
    "contact",
    "update-carbon",
    "report",
]


@given(st.lists(st.tuples(st.sampled_from(FIELDS), st.text(max_size=400)), max_size=20))
def test_any_form_gets_a_value_or_messages_never_an_exception(pairs):
    posted = MultiDict(pairs)
    for value, errors in (
        read_sign_up(posted, CHARTER),
        read_concern(posted),
        read_update(posted, [CHARTER.commitment("carbon")]),
    ):
        assert (value is None) != (errors == {})
        assert all(isinstance(message, str) and message for message in errors.values())


def test_mistakes_in_the_charters_content_name_the_file_and_line(content_copy):
    path = content_copy / "charter.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("id: fair-pay", "id: local-jobs")
        .replace("missed_before_lapsing: 2", "missed_before_lapsing: 0")
        .replace("    micro: Micro", "    Micro Firms: Micro")
    )
    found = problems(content_copy)
    assert "content/charter.yaml" in found
    assert "give each commitment its own id" in found
    assert "missed_before_lapsing" in found and "sizes" in found
