"""The certificate an approved signatory is sent: a PDF printed by WeasyPrint from portal/templates/charter/certificate.html.
Only the council pages print it, so only their Lambda package carries WeasyPrint."""

from datetime import date

from flask import current_app, render_template

from portal.crp.pdf import PdfUnavailable, pdf_from_html
from portal.dates import uk_date


def certificate(record: dict) -> bytes | None:
    """The signatory's certificate as a PDF; None (logged) where WeasyPrint cannot run."""
    content = current_app.extensions["portal.content"]
    html = render_template(
        "charter/certificate.html",
        record=record,
        charter=content.charter,
        joined=uk_date(date.fromisoformat(record["joined_on"])),
    )
    try:
        return pdf_from_html(html)
    except PdfUnavailable:
        current_app.logger.exception("Could not print a Charter certificate")
        return None
