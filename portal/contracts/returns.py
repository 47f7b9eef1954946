"""A supplier's return for one period, and an officer's review of it, read from posted form data.

Return fields, per commitment reported in the period (CODE is the measure's code, like LE01):
lines-CODE-quantity, -method, -postcode_districts (local measures), -attributable ("yes"), -narrative; then
declared_by_name, declared_by_role, and correction_reason for a second or later version.
Review fields: outcome, note, and when accepting, verified-CODE with verified-CODE-reason where it differs.
"""

import re
from decimal import Decimal

from ..questionnaire.numbers import write_number
from .form import Invalid, number_field, raw_text, text_field
from .model import OUTCOMES, Return, ReturnLine, Review
from .schedule import commitment_periods

__all__ = ["commitments_due", "read_return", "read_review"]

POSTCODE_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?", re.ASCII)
FULL_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.ASCII)
MAX_DISTRICTS = 100
NARRATIVE_LENGTH = 1500


def commitments_due(contract, period, due_days: int) -> list:
    """The commitments reported in `period`: those whose own schedule has it."""
    return [c for c in contract.commitments if any(p.id == period.id for p in commitment_periods(contract, c, due_days))]


def read_return(form, contract, period, content, version: int = 1) -> tuple[Return | None, dict[str, str]]:
    """(the return, {}) when every answer is right, else (None, {field: message}); never raises on bad input."""
    settings = content.contracts
    errors: dict[str, str] = {}
    lines = []
    for commitment in commitments_due(contract, period, settings.return_due_days):
        measure = content.measure(commitment.measure_code.lower())
        if measure is None:  # taken out of content/ since the contract was made: its bounds are unknown
            errors[f"lines-{commitment.measure_code}-quantity"] = (
                f"{commitment.measure_code} is no longer a measure in the framework: ask the council to vary the contract"
            )
            continue
        line = _line(form, f"lines-{commitment.measure_code}", measure, settings.council_area, errors)
        if line is not None:
            lines.append(line)
    name = _check(
        errors,
        "declared_by_name",
        lambda: text_field(
            form,
            "declared_by_name",
            missing="Enter the name of the person making the declaration",
            max_length=200,
            too_long="Name must be 200 characters or fewer",
        ),
    )
    role = _check(
        errors,
        "declared_by_role",
        lambda: text_field(
            form, "declared_by_role", missing="Enter their role", max_length=200, too_long="Role must be 200 characters or fewer"
        ),
    )
    reason = None
    if version > 1:
        reason = _check(
            errors,
            "correction_reason",
            lambda: text_field(
                form,
                "correction_reason",
                missing="Enter why you are correcting this return",
                max_length=1000,
                too_long="Reason for the correction must be 1,000 characters or fewer",
            ),
        )
    if errors:
        return None, errors
    return Return(
        period_id=period.id,
        lines=tuple(lines),
        declared_by_name=name,
        declared_by_role=role,
        version=version,
        correction_reason=reason,
    ), {}


def _check(errors, name, read):
    try:
        return read()
    except Invalid as problem:
        errors[name] = problem.message
        return None


def _quantity(form, name, measure, label) -> Decimal:
    needs = measure.returns
    number = number_field(
        form,
        name,
        missing=f"Enter the {label} for {measure.code}",
        whole=needs.whole_numbers,
        places=2,
        not_a_number=f"{label.capitalize()} for {measure.code} must be "
        + ("a whole number, like 12" if needs.whole_numbers else "a number, like 12 or 2.5"),
    )
    if not needs.per_period_min <= number <= needs.per_period_max:
        raise Invalid(
            f"{label.capitalize()} for {measure.code} must be between {write_number(needs.per_period_min)} and "
            f"{write_number(needs.per_period_max)}, in {measure.unit[:1].lower() + measure.unit[1:]}; check the figure is for this period only"
        )
    return number


def _line(form, prefix, measure, area, errors) -> ReturnLine | None:
    before = len(errors)
    quantity = _check(errors, f"{prefix}-quantity", lambda: _quantity(form, f"{prefix}-quantity", measure, "quantity delivered"))
    method = _check(
        errors,
        f"{prefix}-method",
        lambda: text_field(
            form,
            f"{prefix}-method",
            missing=f"Enter how you worked out the figure for {measure.code}",
            max_length=1000,
            too_long=f"How you worked out the figure for {measure.code} must be 1,000 characters or fewer",
        ),
    )
    districts = ()
    if measure.returns.local:
        districts = _check(
            errors,
            f"{prefix}-postcode_districts",
            lambda: _districts(raw_text(form, f"{prefix}-postcode_districts"), measure, area, quantity),
        )
    if raw_text(form, f"{prefix}-attributable") != "yes":
        errors[f"{prefix}-attributable"] = f"Confirm that the figure for {measure.code} counts for this contract and period only"
    narrative = _check(
        errors,
        f"{prefix}-narrative",
        lambda: text_field(
            form,
            f"{prefix}-narrative",
            missing="",
            required=False,
            max_length=NARRATIVE_LENGTH,
            too_long=f"What you did for {measure.code} must be {write_number(NARRATIVE_LENGTH)} characters or fewer",
        ),
    )
    if len(errors) > before:
        return None
    return ReturnLine(
        measure_code=measure.code,
        quantity=quantity,
        method=method,
        narrative=narrative,
        postcode_districts=districts,
        attributable=True,
    )


def _districts(raw, measure, area, quantity) -> tuple[str, ...]:
    """Postcode districts like EX1, EX4, each in the council's area; needed when something was delivered."""
    text = raw.upper()
    if FULL_POSTCODE.search(text):
        raise Invalid("Enter postcode districts only, like EX4, not full postcodes")
    text = re.sub(r"\b([A-Z]{1,2})\s+(?=[0-9])", r"\1", text)  # "EX 4" is how some type EX4
    found = [part for part in re.split(r"[\s,;]+", text) if part]
    if not found:
        if quantity:  # nothing delivered needs no place
            raise Invalid(f"Enter the postcode districts where {measure.code} was delivered, like EX1, EX4")
        return ()
    if len(found) > MAX_DISTRICTS:
        raise Invalid(f"Enter {MAX_DISTRICTS} postcode districts or fewer")
    for district in found:
        if not POSTCODE_DISTRICT.fullmatch(district):
            raise Invalid(f"Enter postcode districts in the correct format, like EX1, EX4: '{district[:12]}' is not a district")
        if not area.covers(district):
            raise Invalid(f"{district} is not in {area.name}: enter only postcode districts in {area.name}")
    return tuple(dict.fromkeys(found))


def read_review(form, sent: Return, content) -> tuple[Review | None, dict[str, str]]:
    """An officer's decision on `sent`; a note is needed to query or reject, and a reason for any verified
    quantity that differs from the claim. Verified figures are read only when accepting."""
    errors: dict[str, str] = {}
    outcome = raw_text(form, "outcome")
    if outcome not in OUTCOMES:
        errors["outcome"] = "Select whether you accept, query or reject this return"
    note = _check(
        errors,
        "note",
        lambda: text_field(
            form,
            "note",
            missing="Enter a note saying what the supplier needs to do"
            if outcome == "queried"
            else "Enter a note saying why you rejected the return",
            required=outcome in ("queried", "rejected"),
            max_length=2000,
            too_long="Note must be 2,000 characters or fewer",
        ),
    )
    verified, reasons = {}, {}
    if outcome == "accepted":
        for line in sent.lines:
            measure = content.measure(line.measure_code.lower())
            name = f"verified-{line.measure_code}"
            if measure is None and raw_text(form, name):
                errors[name] = f"{line.measure_code} is no longer a measure in the framework, so its figure cannot be changed"
                continue
            if measure is None:
                verified[line.measure_code] = line.quantity
                continue
            figure = _check(
                errors,
                name,
                lambda: _quantity(form, name, measure, "verified quantity") if raw_text(form, name) else line.quantity,
            )
            if figure is None:
                continue
            verified[line.measure_code] = figure
            if figure != line.quantity:
                reason = _check(
                    errors,
                    f"{name}-reason",
                    lambda: text_field(
                        form,
                        f"{name}-reason",
                        max_length=1000,
                        too_long="Reason must be 1,000 characters or fewer",
                        missing=f"Enter why the verified quantity for {line.measure_code} differs from the {write_number(line.quantity)} claimed",
                    ),
                )
                if reason:
                    reasons[line.measure_code] = reason
    if errors:
        return None, errors
    return Review(
        period_id=sent.period_id, version=sent.version, outcome=outcome, note=note, verified=verified, verified_reasons=reasons
    ), {}
