"""The Charter's pages on the static site: the Charter with its sign-up form, and the public register of signatories.

The register is frozen by `python build.py` from storage, read-only (DESIGN.md decision 15): build.py puts the list of
`PublicSignatory` on the app as `portal.charter.register`, since the site never reads storage itself. `make run`'s
app puts a function there instead, which reads storage on each request, so that a local approval shows at once. An
app with neither (the site alone) shows an empty register. Filters are pages, one per commitment and per size, so they
work without JavaScript.
"""

from flask import Blueprint, abort, current_app, has_app_context, render_template

charter_blueprint = Blueprint("charter_register", __name__)
REGISTER = "portal.charter.register"


def _content():
    return current_app.extensions["portal.content"]


def register_list() -> list:
    if not has_app_context():
        return []
    found = current_app.extensions.get(REGISTER, ())
    return list(found() if callable(found) else found)


def charter_pages(content):
    """The register's pages, as (endpoint, values) for portal.site.site_urls."""
    yield "charter_register.register", {}
    for commitment in content.charter.commitments:
        yield "charter_register.by_commitment", {"commitment_id": commitment.id}
    for size in content.charter.sign_up.sizes:
        yield "charter_register.by_size", {"size": size}
    for signatory in register_list():
        yield "charter_register.signatory", {"signatory_id": signatory.id}


def render_charter(values: dict | None = None, errors: dict | None = None, status: int = 200):
    """The Charter page and its sign-up form: static when frozen, rendered again by the function to show errors."""
    return render_template(
        "charter.html", charter=_content().charter, values=values or {}, errors=errors or {}, error_title=bool(errors)
    ), status


def _render_register(listed, heading: str | None = None, current: str = ""):
    return render_template("charter/register.html", charter=_content().charter, listed=listed, heading=heading, current=current)


@charter_blueprint.route("/charter/register/")
def register():
    return _render_register(register_list())


@charter_blueprint.route("/charter/register/commitment/<commitment_id>/")
def by_commitment(commitment_id):
    commitment = _content().charter.commitment(commitment_id) or abort(404)
    return _render_register(
        [s for s in register_list() if commitment_id in s.commitments],
        f"Focusing on: {commitment.title}",
        f"commitment:{commitment_id}",
    )


@charter_blueprint.route("/charter/register/size/<size>/")
def by_size(size):
    label = _content().charter.sign_up.sizes.get(size) or abort(404)
    return _render_register([s for s in register_list() if s.size == size], f"Size: {label}", f"size:{size}")


def signatory_or_404(signatory_id: str):
    return next((s for s in register_list() if s.id == signatory_id), None) or abort(404)


def render_signatory(signatory, values: dict | None = None, errors: dict | None = None, status: int = 200):
    """A signatory's page and its concern form: static, and rendered again by the function to show errors."""
    return render_template(
        "charter/signatory.html",
        charter=_content().charter,
        signatory=signatory,
        values=values or {},
        errors=errors or {},
        error_title=bool(errors),
    ), status


@charter_blueprint.route("/charter/register/<signatory_id>/")
def signatory(signatory_id):
    return render_signatory(signatory_or_404(signatory_id))


@charter_blueprint.app_template_filter("charter_error_link")
def error_link(name: str, errors: dict) -> dict:
    """An error summary item that links to its field (a group of options links to its first)."""
    return {"text": errors[name], "href": f"#{name}"}


@charter_blueprint.app_template_filter("charter_choices")
def choices(options, chosen) -> list[dict]:
    """value -> label (or (value, label) pairs) as GOV.UK radio or checkbox items, with what was chosen ticked."""
    pairs = options.items() if hasattr(options, "items") else options
    return [{"value": value, "text": label, "checked": value in (chosen or ())} for value, label in pairs]


@charter_blueprint.app_template_filter("charter_commitment_choices")
def commitment_choices(commitments) -> list[tuple[str, str]]:
    return [(c.id, c.title) for c in commitments]


@charter_blueprint.app_template_filter("charter_update_field")
def update_field(commitment_id: str) -> str:
    return f"update-{commitment_id}"


@charter_blueprint.app_template_filter("charter_error_pair")
def error_pair(pair) -> dict:
    name, message = pair
    return {"text": message, "href": f"#{name}"}


@charter_blueprint.app_template_filter("charter_commitment_title")
def commitment_title(commitment_id: str) -> str:
    """A commitment's title; one since taken out of the content shows its id."""
    found = _content().charter.commitment(commitment_id)
    return found.title if found else commitment_id


@charter_blueprint.app_template_filter("charter_publish_label")
def publish_label(choice: str) -> str:
    return _content().charter.sign_up.publish_choices.get(choice, choice)
