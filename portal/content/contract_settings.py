"""content/contracts.yaml's settings for monitoring: chasing late returns, rating KPIs, and any money proxies.

Kept apart from schemas.py so the settings a council tunes after the award read as one idea: each is a plain
record and the marshmallow schema that checks it (file and line in every message, through the loader).
"""

import re

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from ..reading.fields import text
from .model import Chasing, MoneyProxy, RatingThresholds  # here for callers that import them with the schemas

__all__ = ["Chasing", "ChasingSchema", "MoneyProxy", "MoneyProxySchema", "RatingThresholds", "RatingThresholdsSchema"]


def _days(low: int, high: int):
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=low, max=high, error=f"give a whole number of days from {low} to {high}"),
        error_messages={"invalid": "give a whole number of days, like 14"},
    )


def _yes_no():
    return fields.Boolean(required=True, truthy={True}, falsy={False}, error_messages={"invalid": "write true or false"})


class ChasingSchema(Schema):
    first_reminder_days_before_due = _days(1, 90)
    on_the_day = _yes_no()
    weekly_while_overdue = _yes_no()
    tell_contract_manager_after_days_overdue = _days(1, 365)

    @post_load
    def make(self, data, **kwargs):
        return Chasing(**data)


def _ratio():
    return fields.Decimal(
        required=True,
        allow_nan=False,
        places=None,
        validate=validate.Range(
            min=0, max=10, min_inclusive=False, error="give a share of what was committed, more than 0, like 0.9 for 90%"
        ),
        error_messages={"invalid": "give a share of what was committed, like 0.9 for 90%"},
    )


class RatingThresholdsSchema(Schema):
    good = _ratio()
    approaching_target = _ratio()
    requires_improvement = _ratio()

    @validates_schema
    def in_order(self, data, **kwargs):
        # Each band must start below the one above it, or a band could never be given.
        for higher, lower in (("good", "approaching_target"), ("approaching_target", "requires_improvement")):
            if higher in data and lower in data and data[lower] >= data[higher]:
                raise ValidationError(f"make '{lower}' less than '{higher}'", lower)

    @post_load
    def make(self, data, **kwargs):
        return RatingThresholds(**data)


_TOMS = re.compile(r"\bTOMs\b|themes,? outcomes,? (and|&) measures", re.IGNORECASE)


class MoneyProxySchema(Schema):
    measure = text(validate=validate.Regexp(r"^[A-Z]{2,4}[0-9]{1,3}$", error="give a measure's code, like 'LE01'"))
    pounds_per_unit = fields.Decimal(
        required=True,
        allow_nan=False,
        places=None,
        validate=validate.Range(min=0, min_inclusive=False, max=10**9, error="give an amount in pounds more than 0, like 12.50"),
        error_messages={"invalid": "give an amount in pounds, like 12.50"},
    )
    source = text()

    @validates("source")
    def not_the_toms(self, value, **kwargs):
        # The National TOMs' values are licensed CC BY-NC-ND and widely criticised for inflating claims (DOMAIN.md).
        if _TOMS.search(value):
            raise ValidationError(
                "do not use the National TOMs' values: give a figure from your own or an openly licensed source"
            )

    @post_load
    def make(self, data, **kwargs):
        return MoneyProxy(**data)
