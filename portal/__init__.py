"""The social value portal: a Flask app factory for the site (frozen to static files) and, locally, the functions."""
from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from . import config, headers
from .assets import read_manifest
from .content import load_content


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app from the environment's settings, with any overrides (tests, the freezer)."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(config.from_environment())
    app.config.update(overrides or {})
    app.jinja_loader = ChoiceLoader([
        PackageLoader("portal"),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    content = load_content(app.config["PORTAL_CONTENT"])
    app.extensions["portal.content"] = content
    if not app.config["PORTAL_BASE_URL"]:
        app.config["PORTAL_BASE_URL"] = content.site.base_url

    from .site import assets_blueprint, site_blueprint

    app.register_blueprint(assets_blueprint(app.config["PORTAL_ASSETS"]))
    app.register_blueprint(site_blueprint)

    def asset_url(name: str) -> str:
        """The fingerprinted address of a built asset; the manifest is read on first use, after any build."""
        if "portal.assets" not in app.extensions:
            app.extensions["portal.assets"] = read_manifest(app.config["PORTAL_ASSETS"])
        return "/assets/" + app.extensions["portal.assets"][name]

    @app.context_processor
    def portal_globals():
        return {"site": content.site, "content": content, "asset_url": asset_url}

    headers.init_app(app)
    return app
