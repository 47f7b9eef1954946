"""Lambda entries: each wraps a Flask app holding only its own function, through apig-wsgi (HTTP API payload v2).

The app is built on the first request, not at import, so a cold start imports only what it needs.
"""
from apig_wsgi import make_lambda_handler

_handlers = {}


def _handler(function_name: str):
    if function_name not in _handlers:
        from portal import create_app

        app = create_app(functions=(function_name,))
        _handlers[function_name] = make_lambda_handler(app, binary_support=True)
    return _handlers[function_name]


def assessment(event, context):
    """The self-assessment function."""
    return _handler("assessment")(event, context)


def checklist(event, context):
    """The readiness checklist function."""
    return _handler("checklist")(event, context)
