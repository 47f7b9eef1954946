"""The council API's schemas for contracts after the award: contracts, their commitments with committed against
claimed against verified per period, and every return sent with the officer's decision on it. Quantities are
strings holding exact decimals in the measure's own unit (`unit`); money is in pounds."""

from marshmallow import RAISE, Schema, fields, validate

from .schemas import MAX_PER_PAGE

CONTRACT_ID = r"^[0-9a-f]{12}$"
STATUS = fields.String(
    required=True,
    metadata={"description": "not_yet_due, due, overdue, sent, queried, accepted or rejected, as of the UK day of the request"},
)


class ContractListQuery(Schema):
    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class _ContractFields(Schema):
    id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "1 as recorded; each variation adds one"})
    title = fields.String(required=True)
    reference = fields.String(required=True, metadata={"description": "The council's own reference"})
    supplier_name = fields.String(required=True)
    value = fields.String(required=True, metadata={"description": "Pounds, as an exact decimal"})
    start = fields.String(required=True, metadata={"format": "date"})
    end = fields.String(required=True, metadata={"format": "date"})


class ContractSummary(_ContractFields):
    commitments = fields.Integer(required=True, metadata={"description": "How many measures it commits to"})
    url = fields.String(required=True)


class ContractPage(Schema):
    items = fields.List(fields.Nested(ContractSummary), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    next = fields.String(required=True, allow_none=True)


class PeriodFigures(Schema):
    period_id = fields.String(required=True, metadata={"description": "start--end, as in the returns' addresses"})
    start = fields.String(required=True, metadata={"format": "date"})
    end = fields.String(required=True, metadata={"format": "date"})
    due = fields.String(required=True, metadata={"format": "date"})
    committed = fields.String(required=True)
    claimed = fields.String(required=True, allow_none=True, metadata={"description": "null: no return sent"})
    verified = fields.String(required=True, allow_none=True, metadata={"description": "null: not accepted"})
    status = STATUS


class CommitmentOut(Schema):
    measure_code = fields.String(required=True)
    unit = fields.String(required=True)
    quantity = fields.String(required=True)
    basis = fields.String(required=True, metadata={"description": "per_period or whole_contract"})
    frequency = fields.String(required=True)
    delivery_note = fields.String(required=True)
    profile = fields.List(fields.String(), required=True, metadata={"description": "whole_contract: due per period"})
    combine = fields.String(
        required=True,
        metadata={
            "description": "How its figures combine over time: add (counts add up), level or rate (the latest period's "
            "figure stands); the to_date figures are made this way"
        },
    )
    committed_to_date = fields.String(required=True)
    claimed_to_date = fields.String(required=True)
    verified_to_date = fields.String(required=True)
    periods = fields.List(fields.Nested(PeriodFigures), required=True)


class SchedulePeriod(Schema):
    period_id = fields.String(required=True)
    start = fields.String(required=True, metadata={"format": "date"})
    end = fields.String(required=True, metadata={"format": "date"})
    due = fields.String(required=True, metadata={"format": "date"})
    status = STATUS
    returns_url = fields.String(required=True, allow_none=True)


class Contract(_ContractFields):
    notice_id = fields.String(required=True, allow_none=True, metadata={"description": "Find a Tender notice"})
    ppon = fields.String(required=True, allow_none=True)
    contract_manager = fields.String(required=True)
    supplier_contacts = fields.List(fields.String(), required=True)
    commitments = fields.List(fields.Nested(CommitmentOut), required=True)
    schedule = fields.List(fields.Nested(SchedulePeriod), required=True)


class ReturnLine(Schema):
    measure_code = fields.String(required=True)
    quantity = fields.String(required=True, metadata={"description": "Claimed, in the measure's unit"})
    method = fields.String(required=True)
    narrative = fields.String(required=True)
    postcode_districts = fields.List(fields.String(), required=True)
    attributable = fields.Boolean(required=True)


class ReviewOut(Schema):
    outcome = fields.String(required=True, metadata={"description": "accepted, queried or rejected"})
    note = fields.String(required=True)
    verified = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    verified_reasons = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})


class ReturnOut(Schema):
    period_id = fields.String(required=True)
    version = fields.Integer(required=True)
    sent_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    declared_by_name = fields.String(required=True)
    declared_by_role = fields.String(required=True)
    correction_reason = fields.String(required=True, allow_none=True)
    lines = fields.List(fields.Nested(ReturnLine), required=True)
    review = fields.Nested(
        ReviewOut, required=True, allow_none=True, metadata={"description": "The officer's last decision on this version, if any"}
    )


class ReturnList(Schema):
    items = fields.List(fields.Nested(ReturnOut), required=True)
