"""Serverless functions: one Flask blueprint per function, each with its own Lambda entry."""
from flask import abort, request


def refuse_cross_site_post() -> None:
    """For posts from static pages, which cannot carry a CSRF token: refuse those that another site's page sent."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
