"""A Flask app served for real on a loopback port, for tests that drive it over HTTP (Chromium, urllib)."""

import logging
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server


@contextmanager
def serving_app(app):
    """Serve `app` in a thread, as `make run` does, and yield its base URL; links it emails or shows point there."""
    # werkzeug logs every request at INFO; a failing test would show hundreds of lines of it.
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Resume, sign-in and private links are built from PORTAL_BASE_URL, known only once the port is bound.
    app.config["PORTAL_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app.config["PORTAL_BASE_URL"]
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        werkzeug_log.setLevel(level)
