"""The Charter's emails: to confirm an address, the officers' decision (with the certificate), the yearly request,
leaving or removal, and to officers about a lapse or a concern. Each is a Markdown template in
portal/templates/charter/emails/, posted to the durable outbox.

None repeats what someone typed into the sign-up form except to officers: anyone can type anyone's address, so the
form must not let them write to it.
"""

from flask import current_app, render_template, url_for


from ..mail import mailer, outbox
from ..storage import StorageError

SUBJECTS = {
    "confirm": "Confirm your email address to sign the {charter}",
    "approved": "You have signed the {charter}",
    "declined": "Your sign-up to the {charter}",
    "update-due": "Time for your yearly update on the {charter}",
    "left": "You have left the {charter}",
    "removed": "You have been removed from the {charter}",
    "lapsed": "A signatory of the {charter} has lapsed",
    "concern": "A concern has been raised about a signatory of the {charter}",
}


def absolute(endpoint: str, **values) -> str:
    """A full address for an email; needs a request context (a real or a test one)."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def council_link(path: str) -> str:
    """A council page's address, written out: the Charter's own function (and its schedule) has no council routes."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + "/council/charter/" + path


def send(store, kind: str, to: str, attachment: bytes | None = None, **context) -> bool:
    """Post one email to the outbox; False (logged) if it could not be stored, so a job may try again."""
    content = current_app.extensions["portal.content"]
    site, charter = content.site, content.charter
    body = render_template(f"charter/emails/{kind}.md", site=site, charter=charter, **context)
    try:
        message = mailer.compose(
            site.council.contact_email, to, SUBJECTS[kind].format(charter=charter.title), body, markdown=True
        )
    except mailer.NotAnAddress:
        current_app.logger.warning("No Charter %s email: its address cannot be sent to", kind)
        return True
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="charter-certificate.pdf")
    try:
        outbox.post(store, message)
    except StorageError:
        current_app.logger.exception("Could not store the Charter %s email", kind)
        return False
    return True


def to_officers(store, kind: str, **context) -> bool:
    """An email to the council's social value team, whose address the content gives."""
    return send(store, kind, current_app.extensions["portal.content"].site.council.contact_email, **context)
