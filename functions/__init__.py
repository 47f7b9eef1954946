"""Serverless functions: one Flask blueprint per function, each with its own Lambda entry."""


def refuse_cross_site_post() -> None:
    """For posts from static pages, which cannot carry a CSRF token: refuse those that another site's page sent."""
    # Flask is imported here, not above: importing a Lambda entry (functions.handlers) imports this package first,
    # and should not pay for Flask before the first request needs it.
    from flask import abort, request

    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)


def log_storage_failure(error) -> None:
    """A misconfigured store says which setting to fix; an outage is only noted (it may pass by itself)."""
    from flask import current_app

    from functions.storage import StorageMisconfigured

    if isinstance(error, StorageMisconfigured):
        current_app.logger.error("Storage is misconfigured: %s", error)
    else:
        current_app.logger.warning("Storage is unavailable: %s", error)


def keep_private(blueprint, kept: str) -> None:
    """For pages that show what a supplier gave us: never cached, and a storage outage says that `kept` are safe."""
    from flask import render_template

    from functions.storage import StorageUnavailable

    @blueprint.after_request
    def never_cache(response):
        response.headers["Cache-Control"] = "no-store"
        return response

    @blueprint.errorhandler(StorageUnavailable)
    def storage_unavailable(error):
        log_storage_failure(error)
        return render_template("unavailable.html", title="Sorry, there is a problem with the service", kept=kept), 503
