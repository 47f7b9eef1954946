"""Numbers a supplier types: a comma only ever separates thousands, and what is shown can be typed back in."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.questionnaire.answers import AnswerInvalid, display_answer, parse_answer
from portal.questionnaire.model import Question

NUMBER_TYPES = ("whole_number", "quantity", "money")
MESSAGES = {
    "whole_number": "Enter a whole number, like 12",
    "quantity": "Enter a number, like 12 or 12.5",
    "money": "Enter an amount in pounds, like 1250 or 1250.50",
}


def question(type_, **kwargs):
    extra = {"unit": "tonnes CO2e"} if type_ == "quantity" else {}
    return Question(id="q", type=type_, label="Question?", why="Because.", **extra, **kwargs)


def typed_back(type_, shown: str) -> str:
    """What a supplier would type to give the figure they were shown: the number without its unit."""
    return shown.removesuffix(" tonnes CO2e")


@pytest.mark.parametrize(
    "raw",
    [
        "0,5",
        "4,1",
        "1,,5",
        ",5",
        "5,",
        "12,00",
        "1,2345",
        "1,234,56",
        "12,000,0",
        "0,500",
        "1.250,50",
        "1 2",
        "1e3",
        "1E-7",
        "--5",
        "٣",
    ],
)
@pytest.mark.parametrize("type_", NUMBER_TYPES)
def test_a_misplaced_comma_or_a_foreign_form_is_refused_not_read_as_another_figure(type_, raw):
    with pytest.raises(AnswerInvalid, match=f"^{MESSAGES[type_]}$"):
        parse_answer(question(type_), raw)


@pytest.mark.parametrize(
    "type_, raw, expected",
    [
        ("quantity", "12,000", "12000"),
        ("quantity", "1,250.50", "1250.50"),
        ("quantity", "0.5", "0.5"),
        ("money", "£1,250.50", "1250.50"),
        ("money", "1,000,000", "1000000"),
        ("whole_number", "12,000", 12000),
        ("quantity", "0.0000001", "0.0000001"),
    ],
)
def test_a_comma_between_thousands_is_read(type_, raw, expected):
    assert parse_answer(question(type_), raw) == expected


def test_a_scope_1_figure_with_a_decimal_comma_is_refused_not_saved_as_ten_times_more(client, app):
    from .supplier import Supplier

    assessment = app.extensions["portal.content"].assessment("readiness")
    supplier = Supplier(client, assessment)
    supplier.start()
    supplier.answer("carbon-reduction-plan", "has_crp", "published")
    response = supplier.answer("carbon-reduction-plan", "crp_baseline_scope1", "0,5")
    assert response.status_code == 400
    assert "Enter a number, like 12 or 12.5" in response.get_data(as_text=True)


def test_years_show_without_a_separator_and_tiny_figures_without_an_exponent(app):
    assessment = app.extensions["portal.content"].assessment("readiness")
    assert display_answer(assessment.question("crp_baseline_year"), 2022) == "2022"
    assert display_answer(assessment.question("net_zero_target_year"), 2045) == "2045"
    assert display_answer(question("whole_number"), 12000) == "12,000"
    assert display_answer(question("quantity"), "1E-7") == "0.0000001 tonnes CO2e"
    assert display_answer(question("quantity"), parse_answer(question("quantity"), "0.0000001")) == "0.0000001 tonnes CO2e"


decimals = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=None)


@given(type_=st.sampled_from(NUMBER_TYPES), value=decimals, places=st.integers(0, 9))
def test_every_figure_survives_display_and_re_entry(type_, value, places):
    value = round(value, 0 if type_ == "whole_number" else min(places, 2) if type_ == "money" else places)
    stored = int(value) if type_ == "whole_number" else format(value, "f")
    shown = display_answer(question(type_), stored)
    typed = typed_back(type_, shown)
    assert "E" not in typed.upper()
    again = parse_answer(question(type_), typed)
    assert Decimal(str(again)) == Decimal(str(stored))


@given(type_=st.sampled_from(NUMBER_TYPES), raw=st.text(alphabet="0123456789,.", min_size=1, max_size=16))
def test_no_misplaced_comma_parses(type_, raw):
    """Whatever is read, its commas (if any) sit exactly where a thousands separator is written."""
    try:
        value = parse_answer(question(type_), raw)
    except AnswerInvalid:
        return
    whole = raw.split(".")[0]
    if "," in whole:
        assert whole == f"{int(whole.replace(',', '')):,}"
    assert "," not in raw.partition(".")[2]
    assert Decimal(str(value)) == Decimal(raw.replace(",", ""))


@pytest.mark.parametrize("raw, zero", [("-0", "0"), ("-0.0", "0.0"), ("-0.00", "0.00"), ("-000", "0")])
def test_minus_zero_is_read_as_zero_and_never_shown_with_a_sign(raw, zero):
    from portal.questionnaire.numbers import read_number, stored_number, write_number

    number = read_number(raw)
    assert number == 0 and stored_number(number) == zero and not write_number(number).startswith("-")
