"""A contract as an officer posts it, checked into a Contract or a GOV.UK error message for each field.

Field names are the form's (and the error summary's links): title, reference, notice_id, supplier_name, ppon,
value, start-day/-month/-year, end-..., contract_manager, supplier_contacts (one address a line), and per
commitment N (0, 1, ...): commitments-N-measure, -quantity, -basis, -frequency, -delivery_note, and for a
whole-contract commitment -profile-1, -profile-2, ... one amount per reporting period.
"""

import re
from decimal import Decimal

from ..email_address import FORMAT_MESSAGE, normalised_email_address
from ..questionnaire.numbers import write_number
from .form import Invalid, date_field, number_field, raw_text, text_field
from .model import BASES, FREQUENCIES, Commitment, Contract
from .schedule import MAX_YEARS, periods

__all__ = ["MAX_COMMITMENTS", "read_contract"]

# Find a Tender notice identifiers: a six-digit number and the year, like 012345-2025.
NOTICE_ID = re.compile(r"[0-9]{6}-[0-9]{4}", re.ASCII)
# A PPON from the Central Digital Platform: P, then three groups of letters and digits, like PABC-1234-DEFG.
PPON = re.compile(r"P[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4}", re.ASCII)
MAX_COMMITMENTS = 20
MAX_CONTACTS = 20
MAX_VALUE = Decimal("100000000000")  # £100bn: more is a typing mistake


def read_contract(form, content) -> tuple[Contract | None, dict[str, str]]:
    """(the contract, {}) when every answer is right, else (None, {field: message}); never raises on bad input."""
    errors: dict[str, str] = {}

    def check(name, read):
        try:
            return read()
        except Invalid as problem:
            errors[name] = problem.message
            return None

    # In the order the form asks, so that the error summary lists them as the page does.
    title = check(
        "title",
        lambda: text_field(
            form,
            "title",
            missing="Enter the contract's title",
            max_length=200,
            too_long="Contract title must be 200 characters or fewer",
        ),
    )
    reference = check(
        "reference",
        lambda: text_field(
            form,
            "reference",
            missing="Enter the council's reference for the contract",
            max_length=50,
            too_long="Reference must be 50 characters or fewer",
        ),
    )
    notice_id = check(
        "notice_id",
        lambda: _optional_code(
            form, "notice_id", NOTICE_ID, "Enter the Find a Tender notice identifier in the correct format, like 012345-2025"
        ),
    )
    value = check("value", lambda: _money(form))
    start = check("start", lambda: date_field(form, "start", "Start date"))
    end = check("end", lambda: date_field(form, "end", "End date"))
    if start and end and end <= start:
        errors["end"] = "End date must be after the start date"
        end = None
    elif start and end and not periods(start, end, "end-of-contract", 0):
        errors["end"] = f"End date must be no more than {MAX_YEARS} years after the start date"
        end = None
    manager = check("contract_manager", lambda: _email(form, "contract_manager", "Enter the contract manager's email address"))
    supplier_name = check(
        "supplier_name",
        lambda: text_field(
            form,
            "supplier_name",
            missing="Enter the supplier's name",
            max_length=200,
            too_long="Supplier's name must be 200 characters or fewer",
        ),
    )
    ppon = check("ppon", lambda: _optional_code(form, "ppon", PPON, "Enter the PPON in the correct format, like PABC-1234-DEFG"))
    contacts = check("supplier_contacts", lambda: _contacts(form))
    commitments = _commitments(form, content, start, end, errors)
    if errors:
        return None, errors
    return Contract(
        title=title,
        reference=reference,
        supplier_name=supplier_name,
        value=value,
        start=start,
        end=end,
        contract_manager=manager,
        supplier_contacts=contacts,
        commitments=commitments,
        notice_id=notice_id,
        ppon=ppon,
    ), {}


def _optional_code(form, name, pattern, message):
    value = raw_text(form, name).upper().replace(" ", "")
    if value and not pattern.fullmatch(value):
        raise Invalid(message)
    return value or None


def _money(form):
    value = number_field(
        form,
        "value",
        missing="Enter the contract's value",
        prefix="£",
        places=2,
        not_a_number="Contract value must be an amount of money, like £250,000 or £1,250.50",
    )
    if not 0 < value <= MAX_VALUE:
        raise Invalid("Contract value must be more than £0 and no more than £100,000,000,000")
    return value


def _email(form, name, missing):
    raw = raw_text(form, name)
    if not raw:
        raise Invalid(missing)
    address = normalised_email_address(raw)
    if address is None:
        raise Invalid(FORMAT_MESSAGE)
    return address


def _contacts(form):
    lines = [line.strip() for line in re.split(r"[\n,;]", raw_text(form, "supplier_contacts")) if line.strip()]
    if not lines:
        raise Invalid("Enter the email address of at least one supplier contact")
    if len(lines) > MAX_CONTACTS:
        raise Invalid(f"Enter {MAX_CONTACTS} supplier contacts or fewer")
    addresses = []
    for line in lines:
        address = normalised_email_address(line)
        if address is None:
            raise Invalid(
                f"Enter each supplier contact's email address in the correct format, like name@example.com ('{line[:60]}' is not)"
            )
        if address not in addresses:
            addresses.append(address)
    return tuple(addresses)


def _commitments(form, content, start, end, errors) -> tuple[Commitment, ...]:
    found, seen = [], set()
    for index in range(MAX_COMMITMENTS):
        prefix = f"commitments-{index}"
        if not raw_text(form, f"{prefix}-measure") and not raw_text(form, f"{prefix}-quantity"):
            continue
        commitment, problems = _commitment(form, prefix, content, start, end)
        errors.update(problems)
        if commitment is not None:
            if commitment.measure_code in seen:
                errors[f"{prefix}-measure"] = (
                    f"{commitment.measure_code} is already a commitment on this contract: change its quantity instead"
                )
                continue
            seen.add(commitment.measure_code)
            found.append(commitment)
    if not found and not any(key.startswith("commitments-") for key in errors):
        errors["commitments-0-measure"] = "Add at least one commitment"
    return tuple(found)


def _commitment(form, prefix, content, start, end) -> tuple[Commitment | None, dict[str, str]]:
    """One commitment's fields (named `prefix`-measure and so on); the profile is checked when the dates are known
    (when they are not, the dates' own errors stop the contract)."""
    errors: dict[str, str] = {}
    code = raw_text(form, f"{prefix}-measure").upper()
    measure = content.measure(code.lower()) if code and len(code) < 10 else None
    if not code:
        errors[f"{prefix}-measure"] = "Select a measure"
    elif measure is None:
        errors[f"{prefix}-measure"] = "Select a measure from the framework"
    whole = bool(measure and measure.returns and measure.returns.whole_numbers)
    try:
        quantity = number_field(
            form,
            f"{prefix}-quantity",
            missing="Enter the committed quantity",
            whole=whole,
            places=2,
            not_a_number=f"Committed quantity must be {'a whole number, like 12' if whole else 'a number, like 12 or 2.5'}",
        )
        if quantity <= 0:
            raise Invalid("Committed quantity must be more than 0")
        if measure and basis_of(form, prefix) == "per_period":
            _within_a_period(quantity, measure, "Committed quantity")
    except Invalid as problem:
        errors[f"{prefix}-quantity"] = problem.message
        quantity = None
    basis = basis_of(form, prefix)
    if basis not in BASES:
        errors[f"{prefix}-basis"] = "Select whether the quantity is for each reporting period or the whole contract"
    frequency = raw_text(form, f"{prefix}-frequency") or (measure.reporting if measure else "")
    if frequency not in FREQUENCIES:
        errors[f"{prefix}-frequency"] = "Select how often the supplier reports this commitment"
    try:
        note = text_field(
            form,
            f"{prefix}-delivery_note",
            missing="Enter how the supplier will deliver this commitment",
            max_length=2000,
            too_long="How it will be delivered must be 2,000 characters or fewer",
        )
    except Invalid as problem:
        errors[f"{prefix}-delivery_note"] = problem.message
        note = None
    profile = ()
    if basis == "whole_contract" and frequency in FREQUENCIES and start and end and measure:
        profile = _profile(form, prefix, len(periods(start, end, frequency, 0)), quantity, measure, errors)
    if errors:
        return None, errors
    return Commitment(
        measure_code=measure.code, quantity=quantity, basis=basis, frequency=frequency, delivery_note=note, profile=profile
    ), {}


def basis_of(form, prefix) -> str:
    return raw_text(form, f"{prefix}-basis")


def _within_a_period(quantity, measure, label):
    """A period's amount above the measure's plausible most (content/measures/) is a typing mistake."""
    most = measure.returns.per_period_max
    if quantity > most:
        unit = measure.unit[:1].lower() + measure.unit[1:]
        raise Invalid(f"{label} must be no more than {write_number(most)} in a reporting period, in {unit}")


def _profile(form, prefix, count, total, measure, errors) -> tuple[Decimal, ...]:
    """How a whole-contract quantity is spread across the periods: each 0 or more, adding up to the total."""
    amounts = []
    whole = measure.returns.whole_numbers
    for number in range(1, count + 1):
        name = f"{prefix}-profile-{number}"
        try:
            amount = number_field(
                form,
                name,
                missing=f"Enter the amount due in period {number}, or 0",
                whole=whole,
                places=2,
                not_a_number=f"Amount due in period {number} must be "
                + ("a whole number, like 12" if whole else "a number, like 12 or 2.5"),
            )
            if amount < 0:
                raise Invalid(f"Amount due in period {number} must be 0 or more")
            _within_a_period(amount, measure, f"Amount due in period {number}")
            amounts.append(amount)
        except Invalid as problem:
            errors[name] = problem.message
    if total is not None and len(amounts) == count and sum(amounts) != total:
        errors[f"{prefix}-profile-1"] = (
            f"Amounts due in each period must add up to the committed quantity ({total:f}); they add up to {sum(amounts):f}"
        )
    return tuple(amounts)
