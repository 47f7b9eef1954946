"""Serverless functions: one Flask blueprint per function, each with its own Lambda entry."""
from flask import Blueprint, abort, render_template, request

from .storage import StorageUnavailable


def refuse_cross_site_post() -> None:
    """For posts from static pages, which cannot carry a CSRF token: refuse those that another site's page sent."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)


def keep_private(blueprint: Blueprint, kept: str) -> None:
    """For pages that show what a supplier gave us: never cached, and a storage outage says that `kept` are safe."""

    @blueprint.after_request
    def never_cache(response):
        response.headers["Cache-Control"] = "no-store"
        return response

    @blueprint.errorhandler(StorageUnavailable)
    def storage_unavailable(error):
        return render_template("unavailable.html", title="Sorry, there is a problem with the service", kept=kept), 503
