"""The app factory: the site and, locally, every function in one Flask app; a Lambda names its own function."""

import importlib

from flask import Flask, abort, render_template, request
from flask.cli import AppGroup
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from . import config, headers
from .assets import AssetsMissing, read_manifest
from .compiled_templates import use_compiled
from .content.snapshot import NAME as SNAPSHOT, read_snapshot
from .post_size import largest_post


def create_app(overrides: dict | None = None, functions: tuple[str, ...] | None = None) -> Flask:
    """The site and the functions (all of them, or those named) in one app, configured from the environment.

    Locally everything runs in one process; a Lambda entry names only its own function.
    """
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(config.from_environment())
    app.config.update(overrides or {})
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("portal"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    WTFormsHelpers(app)
    if functions is not None:  # a Lambda: its package's templates compiled by the build (portal/compiled_templates.py)
        use_compiled(app.jinja_env, config.PROJECT_ROOT)

    # A Lambda (its functions named) takes the content its package was built with (portal/content/snapshot.py), or
    # renders each Markdown text when first shown; locally, and so in the build and the tests, all are rendered now,
    # so that one that cannot be stops the build.
    content = functions is not None and read_snapshot(config.PROJECT_ROOT / SNAPSHOT, app.config["PORTAL_CONTENT"])
    if not content:
        from .content.loader import load_content

        content = load_content(app.config["PORTAL_CONTENT"], render_all=functions is None)
    app.extensions["portal.content"] = content
    if not app.config["PORTAL_BASE_URL"]:
        app.config["PORTAL_BASE_URL"] = content.site.base_url

    if "SESSION_COOKIE_SECURE" not in (overrides or {}):
        app.config["SESSION_COOKIE_SECURE"] = app.config["PORTAL_BASE_URL"].startswith("https://")

    from .charter.pages import charter_blueprint
    from .events.pages import events_blueprint
    from .delivered import delivered_blueprint
    from .site import assets_blueprint, site_blueprint

    app.register_blueprint(assets_blueprint(app.config["PORTAL_ASSETS"]))
    app.register_blueprint(site_blueprint)
    app.register_blueprint(events_blueprint)
    app.register_blueprint(charter_blueprint)
    app.register_blueprint(delivered_blueprint)
    app.cli = _CommandsOnDemand()
    if app.config["PORTAL_SEND_EMAIL_EVERY"]:  # make run: deliver what the outbox could not send at once
        from functions.mail.outbox import start_sender  # here: a Lambda's app sends from its own function, not a thread

        app.extensions["portal.email_sender"] = start_sender(app, app.config["PORTAL_SEND_EMAIL_EVERY"])

    @app.before_request
    def refuse_oversized_posts():
        """Before the CSRF check reads the form, so that a huge post is told it is too large, not that it expired."""
        # A page that takes a file says how large a post it takes (portal/post_size.py); Werkzeug holds a post
        # that gives no length to the same limit as it reads it.
        limit = largest_post(app.view_functions.get(request.endpoint), app.config["MAX_CONTENT_LENGTH"])
        if (request.content_length or 0) > limit:
            abort(413)
        request.max_content_length = limit

    if functions is None:  # make run: the register as storage has it now (python build.py freezes it instead)
        from functions.charter.signatories import live_register

        app.extensions["portal.charter.register"] = live_register(app)
        from functions.contracts.monitoring import live_report

        app.extensions["portal.delivered"] = live_report(app)  # portal.delivered.DELIVERED

    csrf = CSRFProtect(app)
    for blueprint, exempt_views in _function_blueprints(functions):
        app.register_blueprint(blueprint)
        for view in exempt_views:
            csrf.exempt(view)

    @app.errorhandler(CSRFError)
    def form_expired(error):
        return render_template("form_expired.html", title="Your form could not be sent"), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        """Every other 4xx as a page in the portal's own style; 404 has its own page in the site blueprint."""
        if error.code == 404:
            return render_template("404.html", title="Page not found"), 404
        messages = {
            403: "This request came from another website, so we did not act on it.",
            405: "That page cannot be used in that way. Go back and try again.",
            413: "What you sent is too large.",
        }
        message = messages.get(error.code, "We could not deal with that request. Go back and try again.")
        # The exception's own headers too: a 405's Allow says which methods the page does take (RFC 9110).
        return (
            render_template("error.html", title="There is a problem", message=message),
            error.code,
            dict(error.get_headers(request.environ)),
        )

    def asset_url(name: str) -> str:
        """The fingerprinted address of a built asset; the manifest is read on first use, after any build."""
        if "portal.assets" not in app.extensions:
            app.extensions["portal.assets"] = read_manifest(app.config["PORTAL_ASSETS"])
        try:
            return "/assets/" + app.extensions["portal.assets"][name]
        except KeyError:  # the code has an asset that the last build did not: say what to do, not just KeyError
            raise AssetsMissing(
                f"{name} is not in {app.config['PORTAL_ASSETS']}/manifest.json: run 'python build.py' (or 'make run') again"
            ) from None

    @app.context_processor
    def portal_globals():
        return {"site": content.site, "content": content, "asset_url": asset_url}

    headers.init_app(app)
    return app


# Each function: its module, its blueprint, and the views the CSRF check leaves alone: posts from static pages
# (which cannot carry a token) and the council API, which is read-only and authenticated by a bearer token, never a
# cookie. Only the functions named are imported, so a Lambda loads, and its package holds, only its own code.
FUNCTIONS = {
    "assessment": ("functions.assessment.pages", "assessment_blueprint", ["start"]),
    "checklist": ("functions.assessment.checklist_pages", "checklist_blueprint", ["result"]),
    "register": ("functions.events.pages", "register_blueprint", ["register"]),
    "charter": ("functions.charter.pages", "charter_blueprint", ["sign_up", "concern"]),
    "council_api": ("functions.council_api.views", "council_api_blueprint", ["nothing_here"]),
    "council": ("functions.council.views", "council_blueprint", []),
    "supplier": ("functions.suppliers.views", "supplier_blueprint", []),
    # The file store's local stand-ins for S3's upload and download endpoints; no Lambda needs them.
    "storage-upload": ("functions.storage.upload_pages", "storage_upload_blueprint", ["upload"]),
    "storage-download": ("functions.storage.download_pages", "storage_download_blueprint", []),
}


# `flask --app portal COMMAND`: each command's module, imported only when the command is run or listed, so that an
# app that runs none (a Lambda's) never imports them, nor what they need (openpyxl for the exports, say).
COMMANDS = {
    "add-officer": "functions.council.cli:add_officer",
    "disable-officer": "functions.council.cli:disable_officer",
    "notify-officers": "functions.council.cli:notify_officers",
    "purge": "functions.council.cli:purge",
    "issue-api-token": "functions.council_api.cli:issue_api_token",
    "revoke-api-token": "functions.council_api.cli:revoke_api_token",
    "event-registrations": "functions.events.cli:event_registrations",
    "send-reminders": "functions.events.reminders:send_reminders_command",
    "send-email": "functions.mail.outbox:send_email",
    "charter-reminders": "functions.charter.reminders:charter_reminders",
    "rebuild-contract-summaries": "functions.contracts.cli:rebuild_contract_summaries",
    "chase-returns": "functions.contracts.cli:chase_returns",
}


class _CommandsOnDemand(AppGroup):
    """The app's commands (COMMANDS), each imported when first asked for."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx, name):
        if name in COMMANDS and name not in self.commands:
            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


def _function_blueprints(names):
    """(blueprint, views exempt from CSRF) for each function named, or for all of them."""
    found = []
    for name in names if names is not None else FUNCTIONS:
        module_name, blueprint, exempt = FUNCTIONS[name]
        module = importlib.import_module(module_name)
        found.append((getattr(module, blueprint), [getattr(module, view) for view in exempt]))
    return found
