"""marshmallow schemas for content/events/<slug>.md front matter and content/events/<slug>/qa.yaml."""

import re
from datetime import date, datetime, timezone

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from ..dates import uk_date
from ..reading.fields import markdown, text, text_list
from . import model

WALL_CLOCK = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")
EXAMPLE_TIME = "give a UK date and time, like '2027-03-25 10:00'"
FORMATS = tuple(model.FORMATS)


class LondonTime(fields.Field):
    """A wall-clock time in the UK ('2027-03-25 10:00'), loaded as an aware Europe/London datetime."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):  # YAML reads '2027-03-25 10:00:00' (with seconds) as a datetime itself
            if value.tzinfo is not None:
                raise ValidationError(f"write the time as a clock in the UK shows it, without a time zone: {EXAMPLE_TIME}")
            naive = value
        elif isinstance(value, date):
            raise ValidationError(f"add the time as well: {EXAMPLE_TIME}")
        elif isinstance(value, str) and WALL_CLOCK.match(value.strip()):
            try:
                naive = datetime.strptime(value.strip().replace("T", " "), "%Y-%m-%d %H:%M")
            except ValueError:
                raise ValidationError(f"'{value}' is not a real date and time; {EXAMPLE_TIME}") from None
        else:
            raise ValidationError(EXAMPLE_TIME)
        return _in_london(naive)


def _in_london(naive: datetime) -> datetime:
    """The UK time `naive` names; a time the clocks skip or repeat is refused rather than guessed."""
    local = naive.replace(tzinfo=model.LONDON)
    if local.astimezone(timezone.utc).astimezone(model.LONDON).replace(tzinfo=None) != naive:
        raise ValidationError(
            f"{naive:%H:%M} on {uk_date(naive)} does not exist in the UK, because the clocks go forward then; choose another time"
        )
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        raise ValidationError(
            f"{naive:%H:%M} on {uk_date(naive)} happens twice in the UK, because the clocks go back then; choose another time"
        )
    return local


class DateOnly(fields.Field):
    """A date ('2026-10-20'), which YAML may already have read as one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("give a date, like '2026-10-20'") from None


class StageSchema(Schema):
    stage = text()
    when = text()

    @post_load
    def make(self, data, **kwargs):
        return model.Stage(**data)


class ProcurementSchema(Schema):
    name = text()
    reference = text()
    category = text()
    estimated_value = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, error="give a value of 0 or more"),
        error_messages={"invalid": "give a whole number of pounds, like 250000, without £ or commas"},
    )
    timeline = fields.List(
        fields.Nested(StageSchema), required=True, validate=validate.Length(min=1, error="list at least one stage")
    )

    @post_load
    def make(self, data, **kwargs):
        return model.Procurement(**data)


class VenueSchema(Schema):
    name = text()
    address = text()
    step_free_access = text()
    access = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)

    @post_load
    def make(self, data, **kwargs):
        return model.Venue(**data)


class OnlineSchema(Schema):
    platform = text()
    how_to_join = text()
    access = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)

    @post_load
    def make(self, data, **kwargs):
        return model.Online(**data)


class UpdateSchema(Schema):
    at = LondonTime(required=True)
    note = text()

    @post_load
    def make(self, data, **kwargs):
        return model.Update(**data)


class EventFrontMatterSchema(Schema):
    title = text()
    summary = text(validate=validate.Length(max=160, error="keep this to 160 characters or fewer"))
    procurement = fields.Nested(ProcurementSchema, required=True)
    starts = LondonTime(required=True)
    ends = LondonTime(required=True)
    format = fields.String(required=True, validate=validate.OneOf(FORMATS, error="use one of: " + ", ".join(FORMATS)))
    venue = fields.Nested(VenueSchema, load_default=None)
    online = fields.Nested(OnlineSchema, load_default=None)
    capacity = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=9999, error="give a number of places from 1 to 9999"),
        error_messages={"invalid": "give a whole number of places, like 40"},
    )
    registration_closes = LondonTime(required=True)
    what_to_prepare = text_list()
    published = LondonTime(required=True)
    updates = fields.List(fields.Nested(UpdateSchema), load_default=list)

    @validates_schema
    def times_in_order(self, data, **kwargs):
        starts, ends, closes = data.get("starts"), data.get("ends"), data.get("registration_closes")
        if starts and ends and ends <= starts:
            raise ValidationError("the event must end after it starts", field_name="ends")
        if starts and closes and closes > starts:
            raise ValidationError("registration must close before the event starts", field_name="registration_closes")
        updates = [u.at for u in data.get("updates") or []]
        if data.get("published") and any(at < data["published"] for at in updates):
            raise ValidationError("an update cannot be earlier than 'published'", field_name="updates")
        if updates != sorted(updates):
            raise ValidationError("list updates oldest first", field_name="updates")

    @validates_schema
    def place_fits_format(self, data, **kwargs):
        needs = {"in-person": {"venue"}, "online": {"online"}, "hybrid": {"venue", "online"}}.get(data.get("format"))
        if needs is None:
            return
        for part in ("venue", "online"):
            if part in needs and data.get(part) is None:
                raise ValidationError(f"a {data['format']} event needs '{part}'", field_name=part)
            if part not in needs and data.get(part) is not None:
                raise ValidationError(
                    f"remove '{part}', or change 'format': a {data['format']} event has no {part}", field_name=part
                )


class AnswerSchema(Schema):
    question = text()
    answer = markdown()
    answered = DateOnly(required=True)

    @pre_load
    def no_askers(self, data, **kwargs):
        # Equal treatment: every supplier sees the same answers, and nobody sees who asked.
        for name in ("asked_by", "name", "organisation", "email"):
            if isinstance(data, dict) and name in data:
                raise ValidationError({name: ["do not publish who asked a question; remove this"]})
        return data

    @post_load
    def make(self, data, **kwargs):
        return model.Answer(**data)


class QuestionsAndAnswersSchema(Schema):
    questions = fields.List(fields.Nested(AnswerSchema), required=True)
