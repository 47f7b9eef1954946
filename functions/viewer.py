"""The viewer's network address, as the council pages, the council API and event registration record it and rate-limit by it.

Behind CloudFront every request arrives from an edge server, and CloudFront passes the viewer's own address in
`CloudFront-Viewer-Address` (ip:port), overwriting any the viewer sent. Anywhere else that header is whatever the
client typed, so it is trusted only where PORTAL_BEHIND_CLOUDFRONT says CloudFront is in front (the SAM template
sets it, and the origin secret keeps anyone from reaching the API round CloudFront). Otherwise: the socket's.
"""

from flask import current_app, request


def client_ip() -> str:
    """The viewer's address: CloudFront's CloudFront-Viewer-Address where the portal is behind it; else the socket's."""
    if current_app.config.get("PORTAL_BEHIND_CLOUDFRONT"):
        viewer = request.headers.get("CloudFront-Viewer-Address", "").strip()
        address = viewer.rpartition(":")[0].strip("[]") if ":" in viewer else viewer
        if address:
            return address
    return request.remote_addr or "unknown"
