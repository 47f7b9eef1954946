"""marshmallow schemas for content/assessments/*.yaml, and the checks that span questions and sections."""

from marshmallow import Schema, ValidationError, fields, post_load, validate

from ..reading.fields import SLUG, markdown, text
from ..evidence.filetypes import DEFAULT_TYPES, FILE_TYPES
from . import model
from .answer_types import ANSWER_TYPES

QUESTION_ID = validate.Regexp(
    r"^[a-z][a-z0-9_]*$", error="use lowercase letters, numbers and underscores, like 'flexible_working'"
)


def _taking(setting: str) -> tuple[str, ...]:
    """The types that take a setting only some take, as the types themselves say."""
    return tuple(name for name, kind in ANSWER_TYPES.items() if setting in kind.settings)


def _one_of(setting: str) -> str:
    """'text, url or email': the types that take `setting`, as a message names them."""
    *others, last = _taking(setting)
    return f"{', '.join(others)} or {last}" if others else last


def _known_type(name: str) -> None:
    if name not in ANSWER_TYPES:
        raise ValidationError("use one of: " + ", ".join(ANSWER_TYPES))


# The HTML autocomplete tokens (WCAG 2.2, 1.3.5) a question about the supplier or its contact may declare.
AUTOCOMPLETE = (
    "name",
    "given-name",
    "family-name",
    "organization",
    "organization-title",
    "email",
    "tel",
    "url",
    "street-address",
    "address-line1",
    "address-line2",
    "address-level2",
    "postal-code",
    "country-name",
)


class OptionSchema(Schema):
    value = text(validate=SLUG)
    label = text()
    hint = fields.String(load_default=None)
    points = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100))
    advice = markdown(required=False)
    exclusive = fields.Boolean(load_default=False)

    @post_load
    def make(self, data, **kwargs):
        return model.Option(**data)


class ShowIfSchema(Schema):
    question = text()
    equals = fields.String(load_default=None)
    one_of = fields.List(fields.String(), load_default=None)

    @post_load
    def make(self, data, **kwargs):
        values = tuple(data["one_of"] or ()) + ((data["equals"],) if data["equals"] is not None else ())
        return model.ShowIf(question=data["question"], values=values)


class QuestionSchema(Schema):
    id = text(validate=QUESTION_ID)
    type = fields.String(required=True, validate=_known_type)
    label = text()
    why = text()
    hint = fields.String(load_default=None)
    optional = fields.Boolean(load_default=False)
    options = fields.List(fields.Nested(OptionSchema), load_default=())
    min = fields.Integer(load_default=None, strict=True)
    max = fields.Integer(load_default=None, strict=True)
    unit = fields.String(load_default=None)
    max_length = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1, max=20000))
    show_if = fields.Nested(ShowIfSchema, load_default=None)
    error_if_empty = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    thousands_separator = fields.Boolean(load_default=True)
    autocomplete = fields.String(
        load_default=None,
        validate=validate.OneOf(
            AUTOCOMPLETE, error="use one of the HTML autocomplete tokens for a person or organisation: " + ", ".join(AUTOCOMPLETE)
        ),
    )

    @post_load
    def make(self, data, **kwargs):
        data["options"] = tuple(data["options"]) or tuple(
            model.Option(value, label) for value, label in ANSWER_TYPES[data["type"]].default_options
        )
        return model.Question(**data)


class EvidenceSlotSchema(Schema):
    id = text(validate=SLUG)
    question = text()
    label = text()
    hint = fields.String(load_default=None)
    when = fields.List(fields.String(), load_default=())
    types = fields.List(
        fields.String(validate=validate.OneOf(DEFAULT_TYPES, error="use one of: " + ", ".join(FILE_TYPES))),
        load_default=DEFAULT_TYPES,
        validate=validate.Length(min=1, error="list at least one type"),
    )
    max_size_mb = fields.Integer(load_default=25, strict=True, validate=validate.Range(min=1, max=100))
    max_files = fields.Integer(load_default=10, strict=True, validate=validate.Range(min=1, max=20))
    ask_valid_until = fields.Boolean(load_default=False)

    @post_load
    def make(self, data, **kwargs):
        return model.EvidenceSlot(**{**data, "when": tuple(data["when"]), "types": tuple(data["types"])})


class SectionSchema(Schema):
    id = text(validate=SLUG)
    title = text()
    summary = fields.String(load_default=None)
    scored = fields.Boolean(load_default=False)
    guidance = fields.String(
        load_default=None, validate=validate.Regexp(r"^/", error="give an address on this site, starting with /")
    )
    requires_completed = fields.List(fields.String(), load_default=())
    questions = fields.List(
        fields.Nested(QuestionSchema), required=True, validate=validate.Length(min=1, error="list at least one question")
    )
    evidence = fields.List(fields.Nested(EvidenceSlotSchema), load_default=())

    @post_load
    def make(self, data, **kwargs):
        return model.Section(
            **{
                **data,
                "questions": tuple(data["questions"]),
                "evidence": tuple(data["evidence"]),
                "requires_completed": tuple(data["requires_completed"]),
            }
        )


class LevelSchema(Schema):
    id = text(validate=SLUG)
    label = text()
    min_percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    description = text()

    @post_load
    def make(self, data, **kwargs):
        return model.Level(**data)


class AssessmentSchema(Schema):
    id = text(validate=SLUG)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = text()
    summary = text()
    time_to_complete = text()
    before_you_start = markdown()
    how_we_use_your_answers = markdown()
    drafts_expire_after_days = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3650))
    levels = fields.List(fields.Nested(LevelSchema), required=True, validate=validate.Length(min=1))
    sections = fields.List(fields.Nested(SectionSchema), required=True, validate=validate.Length(min=1))

    @post_load
    def make(self, data, **kwargs):
        return model.Assessment(**{**data, "levels": tuple(data["levels"]), "sections": tuple(data["sections"])})


def assessment_problems(assessment: model.Assessment):
    """Mistakes that no single field shows: as (path in the file, message) pairs."""
    seen_questions, section_ids = {}, [s.id for s in assessment.sections]
    for s_index, section in enumerate(assessment.sections):
        where = ("sections", s_index)
        if section_ids.count(section.id) > 1:
            yield where + ("id",), f"the section id '{section.id}' is used more than once"
        for required in section.requires_completed:
            if required not in section_ids or required == section.id:
                yield where + ("requires_completed",), f"'{required}' is not another section in this file"
        if section.scored and not any(q.max_points for q in section.questions):
            yield where + ("scored",), "a scored section needs at least one answer worth points"
        for q_index, question in enumerate(section.questions):
            at = where + ("questions", q_index)
            if question.id in seen_questions:
                yield at + ("id",), f"the question id '{question.id}' is also used in section '{seen_questions[question.id]}'"
            yield from _question_problems(question, section, at)
            seen_questions[question.id] = section.id
    slot_ids = [slot.id for slot in assessment.evidence_slots]
    for s_index, section in enumerate(assessment.sections):
        for e_index, slot in enumerate(section.evidence):
            yield from _evidence_problems(slot, section, slot_ids, ("sections", s_index, "evidence", e_index))
    percents = [level.min_percent for level in assessment.levels]
    if percents != sorted(percents, reverse=True) or percents[-1] != 0:
        yield ("levels",), "list levels from highest to lowest min_percent, and give the last one min_percent: 0"


def _evidence_problems(slot: model.EvidenceSlot, section: model.Section, slot_ids: list, at: tuple):
    if slot_ids.count(slot.id) > 1:
        yield at + ("id",), f"the evidence id '{slot.id}' is used more than once"
    question = section.question(slot.question)
    if question is None:
        yield at + ("question",), f"'{slot.question}' is not a question in this section"
    elif slot.when:
        unknown = [v for v in slot.when if not question.option(v)]
        if unknown:
            yield at + ("when",), f"'{unknown[0]}' is not an answer to '{question.id}'"


def _question_problems(question: model.Question, section: model.Section, at: tuple):
    for setting, message in question.kind.problems(question):
        yield at + (setting,), message
    values = [o.value for o in question.options]
    if len(set(values)) != len(values):
        yield at + ("options",), "two options have the same value"
    if question.unit and "unit" not in question.kind.settings:
        yield at + ("unit",), f"only a {_one_of('unit')} question has a unit"
    if (question.min is not None or question.max is not None) and "min" not in question.kind.settings:
        yield at + ("min",), f"only {', '.join(_taking('min'))} questions have min and max"
    if question.min is not None and question.max is not None and question.min > question.max:
        yield at + ("max",), "max must not be less than min"
    if question.max_length is not None and "max_length" not in question.kind.settings:
        yield at + ("max_length",), f"only {', '.join(_taking('max_length'))} questions have max_length"
    if not question.thousands_separator and "thousands_separator" not in question.kind.settings:
        yield (
            at + ("thousands_separator",),
            (f"only a {_one_of('thousands_separator')} question can leave out the thousands separator"),
        )
    if question.autocomplete and "autocomplete" not in question.kind.settings:
        yield at + ("autocomplete",), f"only a {_one_of('autocomplete')} question has autocomplete"
    if question.error_if_empty and question.optional:
        yield at + ("error_if_empty",), "an optional question can be left empty, so it has no error_if_empty"
    if question.show_if:
        earlier = {q.id: q for q in section.questions[: section.questions.index(question)]}
        target = earlier.get(question.show_if.question)
        if target is None:
            yield at + ("show_if", "question"), f"'{question.show_if.question}' is not an earlier question in this section"
        elif not question.show_if.values:
            yield at + ("show_if",), "say which answers show this question, with 'equals' or 'one_of'"
        else:
            unknown = [v for v in question.show_if.values if not target.option(v)]
            if unknown:
                yield at + ("show_if",), f"'{unknown[0]}' is not an answer to '{target.id}'"
