"""moto's S3 server for the tests, answering one request at a time.

Real S3 applies each request whole. moto's in-memory backend does not: its versions listing walks the bucket's keys
while another thread may be erasing them, and once in a full run that raised inside moto (`'NoneType' object is not
iterable`), a 500 that the portal rightly showed as "storage unavailable". Holding a lock around each request gives
the tests what S3 gives a client; the portal's own races (fifty posts at once, `IfNoneMatch`) still run in parallel.
"""

import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


class _OneAtATime:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            # moto builds each answer whole, so the body is ready when the call returns.
            return list(self.app(environ, start_response))


class MotoS3:
    """Start with `start()`; `endpoint` is its URL; `stop()` frees the port for another server to take."""

    def __init__(self, port: int = 0):
        app = _OneAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        host, bound = self._server.server_address[:2]
        self.endpoint = f"http://{host}:{bound}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "MotoS3":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
