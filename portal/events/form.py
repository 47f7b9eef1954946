"""The event registration form: rendered on the static event page, validated by the register function."""

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovTextInput
from wtforms import RadioField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice

from ..email_address import FORMAT_MESSAGE, normalised_email_address
from .model import ORGANISATION_SIZES

# Control characters (NUL and the like) have no place in a name or a question; line breaks do, in the long answers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\t]")


def _text(required_message: str | None, label: str, max_length: int, multiline: bool = False):
    """A validator: strips, then checks presence, length and characters, with GOV.UK error messages."""

    def validate(form, field):
        value = field.data if isinstance(field.data, str) else ""
        field.data = value.strip()
        if not field.data:
            if required_message:
                raise ValidationError(required_message)
            return
        if len(field.data) > max_length:
            raise ValidationError(f"{label} must be {max_length:,} characters or fewer")
        if _CONTROL.search(field.data) or (not multiline and _LINE_BREAK.search(field.data)):
            raise ValidationError(f"{label} must not include hidden characters such as tabs or null characters")

    return validate


def _email(form, field):
    value = field.data.strip() if isinstance(field.data, str) else ""
    field.data = value
    if not value:
        raise ValidationError("Enter your email address")
    normalised = None if _CONTROL.search(value) else normalised_email_address(value)
    if not normalised:
        raise ValidationError(FORMAT_MESSAGE)
    field.data = normalised  # what is stored and emailed: exactly one address, never a list


def _size(form, field):
    if field.data not in ORGANISATION_SIZES:
        raise ValidationError("Select the size of your organisation")


class RegistrationForm(FlaskForm):
    """Posted from a static page, so it carries no CSRF token; the function refuses cross-site posts instead."""

    class Meta:
        csrf = False

    name = StringField("Full name", widget=GovTextInput(), validators=[_text("Enter your full name", "Full name", 200)])
    organisation = StringField(
        "Organisation name",
        widget=GovTextInput(),
        validators=[_text("Enter the name of your organisation", "Organisation name", 200)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[_email],
        description="We will send your confirmation, and a link to change or cancel your place, to this address.",
    )
    size = RadioField(
        "Size of your organisation",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(value, label) for value, label in ORGANISATION_SIZES.items()],
        validators=[_size],
        description="Count everyone on your payroll, full time and part time.",
    )
    role = StringField(
        "Your role",
        widget=GovTextInput(),
        description="For example, managing director or bid writer.",
        validators=[_text("Enter your role", "Your role", 200)],
    )
    needs = TextAreaField(
        "Access or dietary needs (optional)",
        widget=GovCharacterCount(),
        description="Tell us anything we should arrange so that you can take part.",
        validators=[_text(None, "Access or dietary needs", 2000, multiline=True)],
    )
    questions = TextAreaField(
        "Questions you would like us to answer (optional)",
        widget=GovCharacterCount(),
        description="We answer questions at the event and publish every answer on the event page, without your name.",
        validators=[_text(None, "Your questions", 5000, multiline=True)],
    )

    def details(self) -> dict:
        """What was given, as it is stored."""
        return {name: self[name].data or "" for name in ("name", "organisation", "email", "size", "role", "needs", "questions")}


def render_params(event) -> dict:
    """GOV.UK macro params for each field that the widgets cannot work out for themselves."""
    needs_label = "Access or dietary needs (optional)" if event.venue else "Access needs (optional)"
    return {
        "name": {"autocomplete": "name", "spellcheck": False},
        "organisation": {"autocomplete": "organization"},
        "email": {"type": "email", "autocomplete": "email", "spellcheck": False},
        "size": {"fieldset": {"legend": {"text": "Size of your organisation", "classes": "govuk-fieldset__legend--s"}}},
        "role": {"autocomplete": "organization-title"},
        "needs": {"label": {"text": needs_label}, "maxlength": 2000},
        "questions": {"maxlength": 5000},
    }
