"""The contract form's answers as the page shows them: from a post, from a contract being varied, or with
commitments imported from a spreadsheet. Plain values for the template; checking them is portal.contracts' job."""

from portal.contracts import FREQUENCIES, periods
from portal.contracts.contract_form import MAX_COMMITMENTS
from portal.contracts.form import Invalid, date_field, raw_text
from portal.dates import uk_date
from portal.questionnaire.numbers import stored_number, write_number

FIELDS = ("title", "reference", "notice_id", "supplier_name", "ppon", "value", "contract_manager", "supplier_contacts", "reason")
ROW_FIELDS = ("measure", "quantity", "basis", "frequency", "delivery_note")


def values_from_post(form) -> dict:
    """Every answer posted, as text, whatever was sent (a hostile post is just text that fails the checks)."""
    names = [*FIELDS, *(f"{d}-{p}" for d in ("start", "end") for p in ("day", "month", "year"))]
    values = {name: raw_text(form, name) for name in names}
    # The rows the page showed, answered or not, so that it shows them again.
    values["rows"] = sum(1 for index in range(MAX_COMMITMENTS) if f"commitments-{index}-measure" in form)
    for index in range(MAX_COMMITMENTS):
        for field in ROW_FIELDS:
            values[f"commitments-{index}-{field}"] = raw_text(form, f"commitments-{index}-{field}")
        for number in range(1, 361):
            name = f"commitments-{index}-profile-{number}"
            if name not in form:
                break
            values[name] = raw_text(form, name)
    return values


def values_from_contract(contract) -> dict:
    values = {
        "title": contract.title,
        "reference": contract.reference,
        "notice_id": contract.notice_id or "",
        "supplier_name": contract.supplier_name,
        "ppon": contract.ppon or "",
        "value": write_number(contract.value, places=2),
        "contract_manager": contract.contract_manager,
        "supplier_contacts": "\n".join(contract.supplier_contacts),
        "reason": "",
    }
    for name, day in (("start", contract.start), ("end", contract.end)):
        values.update({f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)})
    for index, commitment in enumerate(contract.commitments):
        put_commitment(values, index, commitment)
    return values


def put_commitment(values: dict, index: int, commitment) -> None:
    prefix = f"commitments-{index}"
    values.update(
        {
            f"{prefix}-measure": commitment.measure_code,
            f"{prefix}-quantity": stored_number(commitment.quantity),
            f"{prefix}-basis": commitment.basis,
            f"{prefix}-frequency": commitment.frequency,
            f"{prefix}-delivery_note": values.get(f"{prefix}-delivery_note") or commitment.delivery_note,
        }
    )
    for number, amount in enumerate(commitment.profile, start=1):
        values[f"{prefix}-profile-{number}"] = stored_number(amount)


def used_rows(values: dict) -> list[int]:
    return [
        i
        for i in range(MAX_COMMITMENTS)
        if any(values.get(f"commitments-{i}-{f}") for f in ("measure", "quantity", "delivery_note"))
    ]


def add_imported(values: dict, commitments) -> None:
    """Put imported commitments in the form: over the row for the same measure (keeping its delivery note), else
    in the next free row."""
    for commitment in commitments:
        rows = used_rows(values)
        same = next((i for i in rows if values.get(f"commitments-{i}-measure", "").upper() == commitment.measure_code), None)
        index = same if same is not None else next(i for i in range(MAX_COMMITMENTS) if i not in rows)
        for key in [k for k in values if k.startswith(f"commitments-{index}-profile-")]:
            del values[key]
        put_commitment(values, index, commitment)


def dates(values: dict):
    """The contract's start and end as typed, or (None, None) while either is not a date."""
    try:
        start, end = date_field(values, "start", "Start date"), date_field(values, "end", "End date")
    except Invalid:
        return None, None
    return (start, end) if start < end else (None, None)


def rows(values: dict, content, extra: int) -> list[dict]:
    """The commitment rows to show: those answered, then `extra` blank ones; each whole-contract row with an amount
    field for each of its reporting periods once the dates are known."""
    used = used_rows(values)
    count = max(1, min(MAX_COMMITMENTS, max(max(used) + 1 if used else 0, values.get("rows", 0)) + extra))
    start, end = dates(values)
    shown = []
    for index in range(count):
        prefix = f"commitments-{index}"
        row = {"index": index, **{f: values.get(f"{prefix}-{f}", "") for f in ROW_FIELDS}}
        row["basis"] = row["basis"] or "per_period"
        measure = content.measure(row["measure"].lower()) if row["measure"] and len(row["measure"]) < 10 else None
        row["unit"] = measure.unit if measure else ""
        frequency = row["frequency"] or (measure.reporting if measure else "")
        row["profile"] = []
        if row["basis"] == "whole_contract" and start and frequency in FREQUENCIES:
            row["profile"] = [
                {
                    "number": p.number,
                    "dates": f"{uk_date(p.start)} to {uk_date(p.end)}",
                    "value": values.get(f"{prefix}-profile-{p.number}", ""),
                }
                for p in periods(start, end, frequency, 0)
            ]
        shown.append(row)
    return shown
