"""marshmallow schemas for each kind of content file; they check shape and turn data into model objects."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from ..reading.fields import SLUG, markdown, text, text_list
from . import model
from .charter_schemas import CharterSchema  # noqa: F401  (the loader reads every kind of file from here)
from .contract_settings import ChasingSchema, MoneyProxySchema, RatingThresholdsSchema

HEX_COLOUR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="give a colour as # and six hex digits, like '#0b4f6c'")
REPORTING = tuple(model.REPORTING_LABELS)
SECTIONS = ("home", "about", "guidance", "what-we-look-for", "legal")
# Page file names that would clash with the addresses of pages the portal builds itself.
# A UK postcode district (the part before the space: EX1, SW1A, M60) or a whole postcode area (EX).
POSTCODE_DISTRICT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"
POSTCODE_AREA_OR_DISTRICT = validate.Regexp(
    r"^[A-Z]{1,2}([0-9][A-Z0-9]?)?$", error="give a postcode district like 'EX4' or an area like 'EX', in capitals"
)
RESERVED_SLUGS = {"framework", "measures", "charter", "guidance", "assets", "events", "assessments", "council", "sitemap", "404"}


def contrast_ratio(hex_a: str, hex_b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours."""

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class CouncilSchema(Schema):
    name = text()
    logo_text = text()
    contact_email = fields.Email(
        required=True, error_messages={"invalid": "give an email address, like 'socialvalue@example.gov.uk'"}
    )
    contact_phone = fields.String(load_default=None)
    postal_address = fields.String(load_default=None)

    @post_load
    def make(self, data, **kwargs):
        return model.Council(**data)


class ColoursSchema(Schema):
    brand = fields.String(required=True, validate=HEX_COLOUR)

    @validates("brand")
    def readable_with_white_text(self, value, **kwargs):
        if HEX_COLOUR.regex.match(value) and contrast_ratio(value, "#ffffff") < 4.5:
            raise ValidationError(
                f"white header text on {value} has a contrast ratio of {contrast_ratio(value, '#ffffff'):.1f}:1; "
                "choose a darker colour with at least 4.5:1"
            )


class SiteSchema(Schema):
    council = fields.Nested(CouncilSchema, required=True)
    service_name = text()
    base_url = fields.Url(
        required=True,
        schemes={"https", "http"},
        error_messages={"invalid": "give the site's full address, like 'https://socialvalue.example.gov.uk'"},
    )
    colours = fields.Nested(ColoursSchema, required=True)

    @post_load
    def make(self, data, **kwargs):
        return model.Site(
            council=data["council"],
            service_name=data["service_name"],
            base_url=data["base_url"].rstrip("/"),
            brand_colour=data["colours"]["brand"].lower(),
        )


class PrincipleSchema(Schema):
    title = text()
    description = markdown()

    @post_load
    def make(self, data, **kwargs):
        return model.Principle(**data)


class OutcomeSchema(Schema):
    id = text(validate=SLUG)
    title = text()
    description = text()

    @post_load
    def make(self, data, **kwargs):
        return model.Outcome(**data)


class PrioritySchema(Schema):
    id = text(validate=SLUG)
    title = text()
    summary = text()
    outcomes = fields.List(
        fields.Nested(OutcomeSchema), required=True, validate=validate.Length(min=1, error="list at least one outcome")
    )

    @post_load
    def make(self, data, **kwargs):
        return model.Priority(**data)


class FrameworkSchema(Schema):
    title = text()
    introduction = markdown()
    principles = fields.List(
        fields.Nested(PrincipleSchema), required=True, validate=validate.Length(min=1, error="list at least one principle")
    )
    priorities = fields.List(
        fields.Nested(PrioritySchema), required=True, validate=validate.Length(min=1, error="list at least one priority")
    )

    @post_load
    def make(self, data, **kwargs):
        return model.Framework(**data)


def _quantity(**kwargs):
    return fields.Decimal(required=True, allow_nan=False, error_messages={"invalid": "give a number, like 500"}, **kwargs)


class BoundsSchema(Schema):
    min = _quantity(validate=validate.Range(min=0, error="give a number of 0 or more"))
    max = _quantity(validate=validate.Range(min=0, min_inclusive=False, error="give a number more than 0"))

    @validates_schema
    def in_order(self, data, **kwargs):
        if "min" in data and "max" in data and data["min"] > data["max"]:
            raise ValidationError("make 'min' no more than 'max'", "max")


class ReportingNeedsSchema(Schema):
    local = fields.Boolean(required=True, truthy={True}, falsy={False}, error_messages={"invalid": "write true or false"})
    whole_numbers = fields.Boolean(required=True, truthy={True}, falsy={False}, error_messages={"invalid": "write true or false"})
    per_period = fields.Nested(BoundsSchema, required=True)
    combine = fields.String(
        load_default="add",
        validate=validate.OneOf(
            ("add", "level", "rate"), error="write add (counts that add up), level (like FTE jobs) or rate (like a %)"
        ),
    )

    @post_load
    def make(self, data, **kwargs):
        bounds = data["per_period"]
        return model.ReportingNeeds(
            local=data["local"],
            whole_numbers=data["whole_numbers"],
            per_period_min=bounds["min"],
            per_period_max=bounds["max"],
            combine=data["combine"],
        )


class CouncilAreaSchema(Schema):
    name = text()
    postcode_districts = fields.List(
        fields.String(validate=POSTCODE_AREA_OR_DISTRICT),
        required=True,
        validate=validate.Length(min=1, error="list at least one postcode district or area"),
    )

    @post_load
    def make(self, data, **kwargs):
        return model.CouncilArea(name=data["name"], postcode_districts=tuple(data["postcode_districts"]))


class ContractSettingsSchema(Schema):
    return_due_days = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=365, error="give a whole number of days from 1 to 365"),
        error_messages={"invalid": "give a whole number of days, like 30"},
    )
    council_area = fields.Nested(CouncilAreaSchema, required=True)
    chasing = fields.Nested(ChasingSchema, required=True)
    ratings = fields.Nested(RatingThresholdsSchema, required=True)
    money_proxies = fields.List(fields.Nested(MoneyProxySchema), load_default=list)

    @validates_schema
    def one_proxy_each(self, data, **kwargs):
        codes = [proxy.measure for proxy in data.get("money_proxies", [])]
        for repeated in sorted({c for c in codes if codes.count(c) > 1}):
            raise ValidationError(f"{repeated} has more than one money proxy; give each measure one at most", "money_proxies")

    @post_load
    def make(self, data, **kwargs):
        proxies = {proxy.measure: proxy for proxy in data.pop("money_proxies")}
        return model.ContractSettings(**data, money_proxies=proxies)


class MeasureSchema(Schema):
    code = text(validate=validate.Regexp(r"^[A-Z]{2,4}[0-9]{1,3}$", error="use capital letters then numbers, like 'LE01'"))
    title = text()
    priority = text()
    outcome = text()
    summary = markdown()
    unit = text()
    counts = text_list()
    does_not_count = text_list()
    evidence = text_list()
    reporting = fields.String(required=True, validate=validate.OneOf(REPORTING, error="use one of: " + ", ".join(REPORTING)))
    returns = fields.Nested(ReportingNeedsSchema, required=True)

    @post_load
    def make(self, data, **kwargs):
        return model.Measure(**data)


class PageFrontMatterSchema(Schema):
    title = text()
    description = text(validate=validate.Length(min=1, max=160, error="keep this between 1 and 160 characters"))
    section = fields.String(required=True, validate=validate.OneOf(SECTIONS, error="use one of: " + ", ".join(SECTIONS)))
    order = fields.Integer(load_default=100, strict=True, error_messages={"invalid": "give a whole number"})
