"""Emailing a sign-in link the same way for everyone, so that how long the answer takes, and what it says, never tells
a stranger whether an address may sign in: a link is issued and its email written for any address; only the email of
one that may sign in is stored in the outbox, and the others' links are used up at once."""

from flask import current_app, request

from ..mail import outbox
from ..storage import StorageError, Store
from .links import SignInLinks


def send_link(store: Store, links: SignInLinks, email: str, may_sign_in: bool, compose) -> None:
    """`compose(token)` makes the email; it is posted (not yet sent) when `may_sign_in`, else never used."""
    token = links.issue(email)
    message = compose(token)  # written for everyone
    if not may_sign_in:
        message.as_bytes()  # as storing it would
        links.void(token)  # never sent, and never usable
        return
    try:
        outbox.post(store, message, send_now=False)
    except StorageError:
        # Saying so would tell a stranger the address may sign in; they can ask again.
        current_app.logger.exception("Could not store a sign-in link's email")


def deliver_after_answering(response, store: Store):
    """Locally, deliver the email once the answer has gone (make run's sender would anyway, a little later). On Lambda,
    closing the response comes before the answer leaves, so the scheduled email_sender delivers it, within a minute."""
    if "apig_wsgi.request_context" in request.environ:
        return response
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            try:
                outbox.deliver_due(store)
            except StorageError:  # still pending: the sender's next round delivers it
                app.logger.exception("Could not deliver a sign-in link's email just now")

    response.call_on_close(deliver)
    return response
