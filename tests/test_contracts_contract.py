"""An officer's posted contract becomes a Contract, or a GOV.UK message for each field at fault; never an exception."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content import load_content
from portal.contracts.contract_form import read_contract

from .conftest import CONTENT

CONTENT_LOADED = load_content(CONTENT)


def good_form(**changes):
    form = {
        "title": "Highways maintenance",
        "reference": "EXC-2026-014",
        "notice_id": "012345-2025",
        "supplier_name": "Roadworks Ltd",
        "ppon": "PABC-1234-DEFG",
        "value": "£1,250,000.00",
        "start-day": "1",
        "start-month": "4",
        "start-year": "2026",
        "end-day": "31",
        "end-month": "3",
        "end-year": "2027",
        "contract_manager": "officer@exampleshire.gov.uk",
        "supplier_contacts": "Ann@Roadworks.example\nbob@roadworks.example",
        "commitments-0-measure": "LE01",
        "commitments-0-quantity": "4.5",
        "commitments-0-basis": "per_period",
        "commitments-0-frequency": "",
        "commitments-0-delivery_note": "Recruit through the local job centre.",
        "commitments-1-measure": "wb06",
        "commitments-1-quantity": "100",
        "commitments-1-basis": "whole_contract",
        "commitments-1-frequency": "six-monthly",
        "commitments-1-delivery_note": "Staff volunteering days.",
        "commitments-1-profile-1": "40",
        "commitments-1-profile-2": "60",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_complete_contract_is_read_with_its_commitments():
    contract, errors = read_contract(good_form(), CONTENT_LOADED)
    assert errors == {}
    assert contract.value == Decimal("1250000.00") and contract.start == date(2026, 4, 1)
    assert contract.supplier_contacts == ("Ann@roadworks.example", "bob@roadworks.example")
    le01, wb06 = contract.commitments
    assert le01.frequency == "quarterly"  # the measure's own, when the officer leaves it blank
    assert wb06.profile == (Decimal(40), Decimal(60)) and wb06.committed_in(2) == Decimal(60)
    assert le01.committed_in(3) == Decimal("4.5")


def test_optional_identifiers_may_be_left_blank():
    contract, errors = read_contract(good_form(notice_id="", ppon=None), CONTENT_LOADED)
    assert errors == {} and contract.notice_id is None and contract.ppon is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": " "}, "title", "Enter the contract's title"),
        (
            {"notice_id": "12345-2025"},
            "notice_id",
            "Enter the Find a Tender notice identifier in the correct format, like 012345-2025",
        ),
        ({"ppon": "ABC-1234"}, "ppon", "Enter the PPON in the correct format, like PABC-1234-DEFG"),
        ({"value": "lots"}, "value", "Contract value must be an amount of money, like £250,000 or £1,250.50"),
        ({"value": "0"}, "value", "Contract value must be more than £0 and no more than £100,000,000,000"),
        ({"start-month": "13"}, "start", "Start date must be a real date"),
        ({"start-day": "", "start-month": "", "start-year": ""}, "start", "Enter the start date"),
        ({"end-year": "2025"}, "end", "End date must be after the start date"),
        (
            {"end-year": "2056", "end-month": "4", "end-day": "2"},
            "end",
            "End date must be no more than 30 years after the start date",
        ),
        (
            {"contract_manager": "not an address"},
            "contract_manager",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"supplier_contacts": ""}, "supplier_contacts", "Enter the email address of at least one supplier contact"),
        ({"commitments-0-measure": "XX99"}, "commitments-0-measure", "Select a measure from the framework"),
        ({"commitments-0-quantity": "0"}, "commitments-0-quantity", "Committed quantity must be more than 0"),
        ({"commitments-0-quantity": "0,5"}, "commitments-0-quantity", "Committed quantity must be a number, like 12 or 2.5"),
        (
            {"commitments-0-quantity": "1001"},
            "commitments-0-quantity",
            "Committed quantity must be no more than 1,000 in a reporting period, in full-time equivalent (FTE) jobs",
        ),
        (
            {"commitments-1-profile-1": "100000.5", "commitments-1-quantity": "100060.5"},
            "commitments-1-profile-1",
            "Amount due in period 1 must be no more than 100,000 in a reporting period, in hours",
        ),
        (
            {"commitments-0-basis": "sometimes"},
            "commitments-0-basis",
            "Select whether the quantity is for each reporting period or the whole contract",
        ),
        (
            {"commitments-0-frequency": "weekly"},
            "commitments-0-frequency",
            "Select how often the supplier reports this commitment",
        ),
        (
            {"commitments-0-delivery_note": ""},
            "commitments-0-delivery_note",
            "Enter how the supplier will deliver this commitment",
        ),
        (
            {"commitments-1-profile-2": "50"},
            "commitments-1-profile-1",
            "Amounts due in each period must add up to the committed quantity (100); they add up to 90",
        ),
        ({"commitments-1-profile-2": None}, "commitments-1-profile-2", "Enter the amount due in period 2, or 0"),
        (
            {"commitments-1-measure": "LE01"},
            "commitments-1-measure",
            "LE01 is already a commitment on this contract: change its quantity instead",
        ),
    ],
)
def test_each_mistake_gets_its_own_message(changes, field, message):
    contract, errors = read_contract(good_form(**changes), CONTENT_LOADED)
    assert contract is None
    assert errors[field] == message


def test_a_whole_number_measure_refuses_a_fraction():
    _, errors = read_contract(good_form(**{"commitments-0-measure": "WB01", "commitments-0-quantity": "2.5"}), CONTENT_LOADED)
    assert errors["commitments-0-quantity"] == "Committed quantity must be a whole number, like 12"
    _, errors = read_contract(
        good_form(**{"commitments-1-measure": "WB03", "commitments-1-profile-1": "39.5", "commitments-1-profile-2": "60.5"}),
        CONTENT_LOADED,
    )
    assert errors["commitments-1-profile-1"] == "Amount due in period 1 must be a whole number, like 12"


def test_a_contract_needs_at_least_one_commitment():
    form = {k: v for k, v in good_form().items() if not k.startswith("commitments-")}
    _, errors = read_contract(form, CONTENT_LOADED)
    assert errors == {"commitments-0-measure": "Add at least one commitment"}


def test_invisible_characters_and_broken_encoding_are_not_kept():
    contract, errors = read_contract(good_form(title="High\u202eways\udc80 works"), CONTENT_LOADED)
    assert errors == {} and contract.title == "Highways works"


hostile_values = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=st.characters(codec=None, categories=None)),
    st.binary(),
    st.integers(),
    st.floats(),
    st.lists(st.text(), max_size=3),
    st.just("9" * 100_000),
    st.just("£" + "9" * 40),
    st.sampled_from(["-1", "1e9", "NaN", "Infinity", "0x10", "١٢", "1,0,0", "31", "2026", "LE01", "whole_contract"]),
    st.just("\ud800\udc80 lone surrogates"),
    st.just("\x00\x1b[31m"),
)
field_names = st.sampled_from(list(good_form()) + ["commitments-5-measure", "commitments-19-quantity", "junk"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, hostile_values, max_size=12))
def test_any_posted_data_gives_a_contract_or_messages_never_an_exception(changes):
    contract, errors = read_contract(good_form(**changes), CONTENT_LOADED)
    assert (contract is None) == bool(errors)
    assert all(isinstance(m, str) and m and len(m) < 300 for m in errors.values())


def test_problems_come_in_the_order_the_form_asks():
    _, errors = read_contract(
        good_form(title="", value="lots", contract_manager="nobody", supplier_name="", ppon="bad"), CONTENT_LOADED
    )
    assert list(errors) == ["title", "value", "contract_manager", "supplier_name", "ppon"]
