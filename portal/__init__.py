"""The social value portal: the site (frozen to static files), its content and questionnaires, and the app factory.

`create_app` lives in portal/app.py, where the site and the functions meet; it is imported only when asked for
(`from portal import create_app`, `flask --app portal`), so importing the core (portal.questionnaire, portal.content,
portal.crp…) loads neither Flask nor the functions.
"""

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'portal' has no attribute {name!r}")
