"""Serve a frozen site as the CDN does: the same security headers, and 404.html for unknown addresses.

Usage: python -m portal.preview [build/site] [port]
"""

import sys
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .headers import security_headers


class StaticSiteHandler(SimpleHTTPRequestHandler):
    def end_headers(self):
        for name, value in security_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def make_server(directory: Path, port: int = 0) -> ThreadingHTTPServer:
    return ThreadingHTTPServer(("127.0.0.1", port), partial(StaticSiteHandler, directory=str(directory)))


@contextmanager
def serving(directory: Path):
    """The site served on a free loopback port in a background thread; yields its base URL."""
    server = make_server(directory)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "build/site")
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8001
    print(f"Serving {directory} at http://127.0.0.1:{port}")
    make_server(directory, port).serve_forever()
