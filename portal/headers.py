"""Security headers on every response, set in one place."""

import base64
import hashlib
import hmac
import re
from importlib.resources import files

from flask import Flask, abort, request

ORIGIN_SECRET_HEADER = "X-Origin-Verify"  # CloudFront adds it to every request it sends to the functions


def _template_script_hash() -> str:
    """CSP hash of the one inline script in GOV.UK Frontend's page template (it marks the body as JS-enabled)."""
    template = files("govuk_frontend_jinja").joinpath("templates/template.html").read_text()
    script = re.search(r"<script[^>]*>(.*?)</script>", template, re.S).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {_template_script_hash()}",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers() -> dict:
    """The headers every page sends; CloudFront's response headers policy sends the same in production."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def init_app(app: Flask) -> None:
    values = security_headers()

    def only_through_cloudfront():
        """With PORTAL_ORIGIN_SECRET set, a request that did not come through CloudFront (which adds the secret,
        overwriting any a viewer sent) is refused: the API's own execute-api address leads nowhere, and
        CloudFront-Viewer-Address cannot be forged round it."""
        secret = app.config.get("PORTAL_ORIGIN_SECRET")
        if secret and not hmac.compare_digest(request.headers.get(ORIGIN_SECRET_HEADER, "").encode(), secret.encode()):
            abort(403)

    # First of all the checks, so that nothing else answers a request that did not come through CloudFront.
    app.before_request_funcs.setdefault(None, []).insert(0, only_through_cloudfront)

    @app.after_request
    def add_security_headers(response):
        for name, value in values.items():
            response.headers.setdefault(name, value)
        return response
