"""marshmallow schemas for content/charter.yaml: the Charter's commitments, its sign-up form's words and choices, the
public register's words and the yearly update's settings (portal/content/schemas.py has the other kinds of file)."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from ..reading.fields import NOT_EMPTY, SLUG, markdown, text
from . import model

__all__ = ["CharterSchema"]


class CommitmentSchema(Schema):
    id = text(validate=SLUG)
    title = text()
    description = markdown()

    @post_load
    def make(self, data, **kwargs):
        return model.Commitment(**data)


SIGN_UP_FIELDS = ("organisation", "size", "sector", "website", "name", "role", "email", "commitments", "statement", "publish")
PUBLISH_CHOICES = ("statement", "signatory")


def _choices():
    """Value -> label: values are slugs, since they are stored and appear in addresses."""
    return fields.Dict(
        keys=fields.String(validate=SLUG),
        values=fields.String(validate=NOT_EMPTY),
        required=True,
        validate=validate.Length(min=1, error="list at least one choice"),
    )


class FieldTextSchema(Schema):
    label = text()
    hint = fields.String(load_default=None)

    @post_load
    def make(self, data, **kwargs):
        return model.FieldText(**data)


class CharterSignUpSchema(Schema):
    what_is_published = markdown()
    sizes = _choices()
    sectors = _choices()
    labels = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SIGN_UP_FIELDS)), values=fields.Nested(FieldTextSchema), required=True
    )
    publish_choices = fields.Dict(
        keys=fields.String(validate=validate.OneOf(PUBLISH_CHOICES)), values=fields.String(validate=NOT_EMPTY), required=True
    )

    @validates("labels")
    def every_field(self, value, **kwargs):
        missing = [name for name in SIGN_UP_FIELDS if name not in value]
        if missing:
            raise ValidationError("give a label for " + ", ".join(missing))

    @post_load
    def make(self, data, **kwargs):
        return model.CharterSignUp(**data)


class CharterRegisterSchema(Schema):
    title = text()
    introduction = markdown()
    nobody_yet = text()
    concern = markdown()

    @post_load
    def make(self, data, **kwargs):
        return model.CharterRegister(**data)


class YearlyUpdateSchema(Schema):
    missed_before_lapsing = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10))
    due_within_days = fields.Integer(required=True, strict=True, validate=validate.Range(min=7, max=364))

    @post_load
    def make(self, data, **kwargs):
        return model.YearlyUpdate(**data)


class CharterSchema(Schema):
    title = text()
    introduction = markdown()
    commitments = fields.List(
        fields.Nested(CommitmentSchema), required=True, validate=validate.Length(min=1, error="list at least one commitment")
    )
    how_to_sign_up = markdown()
    sign_up = fields.Nested(CharterSignUpSchema, required=True)
    register = fields.Nested(CharterRegisterSchema, required=True)
    yearly_update = fields.Nested(YearlyUpdateSchema, required=True)

    @validates("commitments")
    def unique_ids(self, value, **kwargs):
        ids = [c.id for c in value]
        if len(set(ids)) != len(ids):
            raise ValidationError("give each commitment its own id")

    @post_load
    def make(self, data, **kwargs):
        return model.Charter(**data)
