"""Read the Charter's posted forms (the sign-up and the yearly update) into what is stored, or GOV.UK messages.

Each reader takes any mapping with `get` (and `getlist`, for the checkboxes) and returns `(value, errors)`, exactly
one of them empty; `errors` is {field id: message}, in the form's order. They never raise on what was posted.
"""

import unicodedata
from urllib.parse import urlsplit

from ..email_address import FORMAT_MESSAGE, normalised_email_address
from ..text import strip_bidi_and_controls

__all__ = ["read_concern", "read_sign_up", "read_update", "STATEMENT_LIMIT", "UPDATE_LIMIT"]

SHORT_LIMIT = 200
WEBSITE_LIMIT = 300
STATEMENT_LIMIT = 500
UPDATE_LIMIT = 1000


def _one(form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _many(form, name: str) -> list[str]:
    values = form.getlist(name) if hasattr(form, "getlist") else form.get(name) or []
    values = [values] if isinstance(values, str) else values
    return [v for v in values if isinstance(v, str)]


def _text(form, name: str, label: str, limit: int, required: str | None, errors: dict, multiline: bool = False):
    """Trimmed, NFC text; a message for nothing (when required), too long, or hidden characters."""
    value = unicodedata.normalize("NFC", _one(form, name)).strip()
    if multiline:
        value = value.replace("\r\n", "\n")
    if not value:
        if required:
            errors[name] = required
        return ""
    if len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer"
    elif strip_bidi_and_controls(value, keep="\n" if multiline else "") != value:
        errors[name] = f"{label} must not include hidden characters such as tabs or control characters"
    return value


def _website(form, errors: dict) -> str:
    value = _text(form, "website", "Website", WEBSITE_LIMIT, None, errors)
    if not value or "website" in errors:
        return value
    address = value if "://" in value else "https://" + value
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises for a port that is not one)
    except ValueError:  # a bracket without its pair ("Invalid IPv6 URL"), a port out of range: not an address
        parts, host = None, ""
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or "." not in host.strip(".")
        or " " in address
        or parts.username
        or not all(c.isalnum() or c in "-." for c in host)
    ):
        errors["website"] = "Enter a web address in the correct format, like https://www.example.co.uk"
        return value
    return address


def read_sign_up(form, charter) -> tuple[dict | None, dict]:
    """The sign-up form, read against the Charter's content (its commitments, sizes, sectors and what may be published)."""
    words, errors = charter.sign_up, {}
    details = {
        "organisation": _text(
            form, "organisation", "Organisation name", SHORT_LIMIT, "Enter the name of your organisation", errors
        )
    }
    details["size"] = _one(form, "size")
    if details["size"] not in words.sizes:
        errors["size"] = "Select the size of your organisation"
    details["sector"] = _one(form, "sector")
    if details["sector"] not in words.sectors:
        errors["sector"] = "Select your sector"
    details["website"] = _website(form, errors)
    details["name"] = _text(form, "name", "Full name", SHORT_LIMIT, "Enter the full name of the person signing", errors)
    details["role"] = _text(form, "role", "Role", SHORT_LIMIT, "Enter the role of the person signing", errors)
    email = _one(form, "email").strip()
    details["email"] = normalised_email_address(email) if email and len(email) <= 320 else None
    if not email:
        errors["email"] = "Enter your contact email address"
    elif details["email"] is None:
        errors["email"] = FORMAT_MESSAGE
    chosen = _many(form, "commitments")
    known = [c.id for c in charter.commitments]
    if not chosen or any(c not in known for c in chosen):
        errors["commitments"] = "Select at least one commitment"
    details["commitments"] = [c for c in known if c in chosen]  # in the Charter's order, each once
    details["statement"] = _text(form, "statement", "Your statement", STATEMENT_LIMIT, None, errors, multiline=True)
    publish = _many(form, "publish")
    if any(p not in words.publish_choices for p in publish):
        errors["publish"] = "Select what we may publish from the list"
    details["publish"] = [p for p in words.publish_choices if p in publish]
    if errors:
        return None, errors
    return details, {}


def read_update(form, commitments) -> tuple[dict | None, dict]:
    """The yearly update: a few lines on each of the signatory's commitments, and a report's address if they have one.

    Fields are `update-<commitment id>` and `report`."""
    errors, progress = {}, {}
    for commitment in commitments:
        name = f"update-{commitment.id}"
        progress[commitment.id] = _text(
            form, name, "Your update", UPDATE_LIMIT, f"Enter your progress on ‘{commitment.title}’", errors, multiline=True
        )
    report_errors = {}
    report = _website({"website": _one(form, "report")}, report_errors)
    if report_errors:
        errors["report"] = report_errors["website"].replace("Website", "Report address")
    if errors:
        return None, errors
    return {"progress": progress, "report": report}, {}


CONCERN_LIMIT = 2000


def read_concern(form) -> tuple[dict | None, dict]:
    """A concern about a signatory: what they saw, and an address to reply to if they want one."""
    errors = {}
    text = _text(form, "concern", "Your concern", CONCERN_LIMIT, "Enter your concern", errors, multiline=True)
    contact = _one(form, "contact").strip()
    reply_to = normalised_email_address(contact) if contact and len(contact) <= 320 else None
    if contact and reply_to is None:
        errors["contact"] = FORMAT_MESSAGE
    if errors:
        return None, errors
    return {"concern": text, "contact": reply_to or ""}, {}
