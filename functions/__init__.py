"""Serverless functions: one Flask blueprint per function, each with its own Lambda entry."""


def refuse_cross_site_post() -> None:
    """For posts from static pages, which cannot carry a CSRF token: refuse those that another site's page sent."""
    # Flask is imported here, not above: importing a Lambda entry (functions.handlers) imports this package first,
    # and should not pay for Flask before the first request needs it.
    from flask import abort, request

    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
