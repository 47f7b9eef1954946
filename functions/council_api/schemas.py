"""The council API's marshmallow schemas: they check what comes in, shape what goes out, and document both (the
OpenAPI document in functions/council_api/spec.py is made from them)."""

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

REFERENCE = r"^SV-[A-Z2-7]{4}-[A-Z2-7]{4}$"
IDENTIFIER = r"^[a-z0-9][a-z0-9-]{0,99}$"
MAX_PER_PAGE = 100


class ListQuery(Schema):
    class Meta:
        unknown = RAISE

    assessment = fields.String(
        validate=validate.Regexp(IDENTIFIER),
        metadata={"description": "Only submissions to this questionnaire, by its id (the name of its YAML file)"},
    )
    submitted_from = fields.Date(metadata={"description": "Only those submitted on or after this UK day"})
    submitted_to = fields.Date(
        metadata={
            "description": "Only those submitted on or before this UK day. It must not be "
            "before submitted_from: the API answers 400, naming submitted_to, if it is"
        }
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        if data.get("submitted_from") and data.get("submitted_to") and data["submitted_from"] > data["submitted_to"]:
            raise ValidationError("The start date must be the same as or before the end date", "submitted_to")


class Readiness(Schema):
    percent = fields.Integer(required=True)
    level = fields.String(required=True)


class Evidence(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True)
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    content_type = fields.String(required=True)
    uploaded_at = fields.String(required=True, metadata={"format": "date-time"})
    slots = fields.List(fields.String(), required=True)
    valid_until = fields.String(allow_none=True, metadata={"format": "date"})


class _SubmissionFields(Schema):
    """What a submission and its summary both say about it."""

    reference = fields.String(required=True)
    assessment = fields.String(required=True)
    questionnaire_version = fields.Integer(required=True)
    submitted_at = fields.String(required=True, metadata={"format": "date-time"})


class SubmissionSummary(_SubmissionFields):
    readiness = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(Readiness),
        required=True,
        metadata={"description": "Readiness for each scored section, by section id"},
    )
    evidence_files = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "Where to fetch the whole submission"})


class Submission(_SubmissionFields):
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Answers by question id, typed as the questionnaire's YAML declares"},
    )
    readiness = fields.Dict(keys=fields.String(), values=fields.Nested(Readiness), required=True)
    carbon_reduction_plan = fields.Dict(
        allow_none=True,
        required=True,
        metadata={"description": "What the carbon reduction plan check found when it was submitted, if there was a plan"},
    )
    evidence = fields.List(fields.Nested(Evidence), required=True)


class SubmissionPage(Schema):
    items = fields.List(fields.Nested(SubmissionSummary), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "How many submissions match, on every page"})
    next = fields.String(required=True, allow_none=True, metadata={"description": "The next page, if there is one"})


class CharterUpdate(Schema):
    on = fields.Date(required=True, metadata={"description": "The UK day the update was given"})
    progress = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True, metadata={"description": "What they did, by commitment id"}
    )
    report = fields.String(required=True, metadata={"description": "A published report's address, or empty"})


class CharterSignatory(Schema):
    """Only what the public register shows: what the signatory agreed to publish, never how to contact them."""

    id = fields.String(required=True)
    organisation = fields.String(required=True)
    size = fields.String(required=True)
    sector = fields.String(required=True)
    website = fields.String(required=True)
    commitments = fields.List(fields.String(), required=True, metadata={"description": "Commitment ids, in the Charter's order"})
    joined_on = fields.Date(required=True)
    statement = fields.String(allow_none=True, required=True)
    signed_by = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        allow_none=True,
        required=True,
        metadata={"description": "name and role, if they agreed to publish them"},
    )
    latest_update = fields.Nested(CharterUpdate, allow_none=True, required=True)


class CharterRegister(Schema):
    items = fields.List(fields.Nested(CharterSignatory), required=True)
    total = fields.Integer(required=True)


class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), metadata={"description": "What is wrong with each parameter"})


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)
