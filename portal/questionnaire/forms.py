"""WTForms forms generated from questions, rendered with govuk-frontend-wtf's GOV.UK widgets."""

from datetime import date
from functools import lru_cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovDateInput, GovRadioInput, GovTextInput
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice

from .answers import AnswerInvalid, parse_answer
from .model import Question


class DatePartsInput(GovDateInput):
    """GOV.UK's date input, marking only the boxes that are wrong rather than all three."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        wrong = getattr(field, "error_parts", ())
        for item, part in zip(params["items"], ("day", "month", "year")):
            if part not in wrong:
                item["classes"] = item["classes"].replace("govuk-input--error", "").strip()
        return params


class ExclusiveCheckboxesInput(GovCheckboxesInput):
    """GOV.UK's checkboxes, with an "or" divider before an exclusive option ("None of these")."""

    def __init__(self, exclusive: tuple[str, ...] = ()):
        super().__init__()
        self.exclusive = exclusive

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        items = []
        for item in params["items"]:
            if item.get("value") in self.exclusive:
                items.append({"divider": "or"})
                item["behaviour"] = "exclusive"
            items.append(item)
        params["items"] = items
        return params


class DatePartsField(Field):
    """Day, month and year boxes; keeps exactly three parts so the widget can always redisplay them."""

    widget = DatePartsInput()
    error_parts = ()

    def process_formdata(self, valuelist):
        self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        self.data = self.raw_data

    def process_data(self, value):
        self.data = date.fromisoformat(value) if isinstance(value, str) else value

    def _value(self):
        return ""  # the widget reads the three parts itself


class QuestionsForm(FlaskForm):
    """A form of generated fields; once validated, `answers` holds each question's typed answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = {}


def _validator(question: Question):
    def validate(form, field):
        try:
            form.answers[question.id] = parse_answer(question, field.data)
        except AnswerInvalid as problem:
            field.error_parts = problem.parts
            raise ValidationError(str(problem)) from None

    return validate


def error_summary(form: QuestionsForm) -> dict:
    """Params for the error summary; a date's error links to its first wrong box, as GOV.UK asks."""
    params = wtforms_errors(form)
    for error in params["errorList"]:
        field = form._fields.get(error["href"].lstrip("#"))
        if isinstance(field, DatePartsField):
            error["href"] = f"#{field.id}-{(field.error_parts or ('day',))[0]}"
    return params


def _label(question: Question) -> str:
    return question.label + (" (optional)" if question.optional else "")


def _checkboxes(question: Question, common: dict) -> Field:
    exclusive = tuple(o.value for o in question.options if o.exclusive)
    return SelectMultipleField(
        choices=_choices(question), validate_choice=False, widget=ExclusiveCheckboxesInput(exclusive), **common
    )


def _choices(question: Question) -> list:
    return [SelectChoice(o.value, o.label) for o in question.options]


# The field for each widget an answer type names (AnswerType.widget).
WIDGETS = {
    "text": lambda question, common: StringField(widget=GovTextInput(), **common),
    "textarea": lambda question, common: TextAreaField(widget=GovCharacterCount(), **common),
    "date": lambda question, common: DatePartsField(**common),
    "radios": lambda question, common: RadioField(
        choices=_choices(question), validate_choice=False, widget=GovRadioInput(), **common
    ),
    "checkboxes": _checkboxes,
}
FIELDSETS = ("date", "radios", "checkboxes")  # widgets whose label is a fieldset's legend


def _field(question: Question) -> Field:
    common = {"label": _label(question), "description": question.hint or "", "validators": [_validator(question)]}
    return WIDGETS[question.kind.widget](question, common)


@lru_cache(maxsize=None)
def form_class(questions: tuple[Question, ...]) -> type[QuestionsForm]:
    """A form with a field per question, each named after its question so that errors link to it."""
    return type("QuestionsForm", (QuestionsForm,), {q.id: _field(q) for q in questions})


def render_params(question: Question, page_heading: bool = True) -> dict:
    """GOV.UK macro params the widget cannot infer: heading, width, prefix, suffix, option hints."""
    if question.kind.widget in FIELDSETS:
        legend = (
            {"isPageHeading": True, "classes": "govuk-fieldset__legend--l"}
            if page_heading
            else {"classes": "govuk-fieldset__legend--m"}
        )
        params = {"fieldset": {"legend": {"text": _label(question), **legend}}}
        if question.options:
            params["items"] = [{"hint": {"text": o.hint}} if o.hint else {} for o in question.options]
        return params
    label = {"isPageHeading": True, "classes": "govuk-label--l"} if page_heading else {"classes": "govuk-label--m"}
    params = {"label": {"text": _label(question), **label}, **question.kind.input_params(question)}
    if question.autocomplete:
        params["autocomplete"] = question.autocomplete
    return params
