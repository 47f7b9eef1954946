"""Compose email (plain text and HTML, one address, dated) and send it through the sender PORTAL_EMAIL names."""

import os
import smtplib
import time
import uuid
from datetime import datetime, timezone
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from portal.clock import now as clock_now

from . import body as email_body


class NotAnAddress(ValueError):
    """A message's recipient is not exactly one valid address (one stored before the validator was stricter, say):
    no retry can send it, so the caller logs it and goes on."""


class EmailFailed(RuntimeError):
    """The message could not be handed to the sender."""


def compose(
    sender: str, to: str, subject: str, body: str, *, markdown: bool = False, now: datetime | None = None
) -> EmailMessage:
    """A dated message to exactly one address; an address that is not one valid address, such as a list, is refused.

    With `markdown`, `body` is Markdown and the message has a plain text part and an HTML part, both made from it;
    otherwise `body` is plain text, sent as it is (the sign-in, resume and daily emails, written as plain text).
    """
    from portal.email_address import normalised_email_address

    recipient = normalised_email_address(to)
    if recipient is None:
        raise NotAnAddress(f"Not a single valid email address: {to!r}")
    message = EmailMessage()
    message["Date"] = format_datetime(now or clock_now())
    message["From"], message["To"] = sender, recipient
    # Folded by the older header encoder: the default one leaves a doubled space where it folds before non-ASCII text.
    message.set_raw(
        "Subject", Header(subject, "us-ascii" if subject.isascii() else "utf-8", header_name="Subject").encode(linesep="\n")
    )
    message["Message-ID"] = f"<{uuid.uuid4()}@{sender.rsplit('@', 1)[-1]}>"
    if markdown:
        html, text = email_body.html_and_text(body, subject)
        message.set_content(text)
        message.add_alternative(html, subtype="html")
    else:
        message.set_content(body)
    return message


def attach_calendar(message: EmailMessage, calendar: bytes, filename: str) -> None:
    """Attach an iCalendar file, labelled with its own METHOD, as calendar clients expect of an emailed invitation."""
    method = next(
        (line.split(b":", 1)[1].strip().decode() for line in calendar.splitlines() if line.upper().startswith(b"METHOD:")),
        "PUBLISH",
    )
    message.add_attachment(
        calendar, maintype="text", subtype="calendar", filename=filename, params={"charset": "utf-8", "method": method}
    )


def _send_through_ses(message: EmailMessage) -> None:
    """SES, waiting no longer than a request can (a function times out at 15 s); any refusal is EmailFailed."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client("sesv2", config=Config(connect_timeout=3, read_timeout=5, retries={"total_max_attempts": 1}))
    try:
        client.send_email(Content={"Raw": {"Data": message.as_bytes()}})
    except (BotoCoreError, ClientError) as error:
        raise EmailFailed(str(error)) from error


def send(setting: str, message: EmailMessage) -> None:
    """Send `message` as `setting` says: 'outbox:PATH', 'ses:' or 'smtp://host:port'."""
    scheme, _, rest = setting.partition(":")
    try:
        if scheme == "outbox":
            _write_to_outbox(Path(rest), message)
        elif scheme == "ses":
            _send_through_ses(message)
        elif scheme == "smtp":
            address = urlsplit(setting)
            with smtplib.SMTP(address.hostname, address.port or 25, timeout=10) as smtp:
                smtp.send_message(message)
        else:
            raise EmailFailed(f"PORTAL_EMAIL must start outbox:, ses: or smtp://, not {setting!r}")
    except (OSError, smtplib.SMTPException) as error:
        raise EmailFailed(str(error)) from error
    except Exception as error:  # botocore's errors, without importing botocore at start-up
        if type(error).__module__.startswith("botocore"):
            raise EmailFailed(str(error)) from error
        raise


def _write_to_outbox(folder: Path, message: EmailMessage) -> None:
    """Each message as its own .eml file, written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    # The moment it was written, in microseconds, so that the files sort in the order they were sent, as a person
    # (or a test) reads them: the machine's own time, never a test's fixed clock, which would give them all one name.
    name = f"{datetime.fromtimestamp(time.time(), timezone.utc):%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:8]}.eml"
    partial = folder / f".{name}.partial"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, folder / name)
