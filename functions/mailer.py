"""Send email through the sender PORTAL_EMAIL names: an outbox folder of .eml files, Amazon SES, or SMTP."""
import os
import smtplib
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit


class EmailFailed(RuntimeError):
    """The message could not be handed to the sender."""


def compose(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = f"<{uuid.uuid4()}@{sender.rsplit('@', 1)[-1]}>"
    message.set_content(body)
    return message


def send(setting: str, message: EmailMessage) -> None:
    """Send `message` as `setting` says: 'outbox:PATH', 'ses:' or 'smtp://host:port'."""
    scheme, _, rest = setting.partition(":")
    try:
        if scheme == "outbox":
            _write_to_outbox(Path(rest), message)
        elif scheme == "ses":
            import boto3

            boto3.client("sesv2").send_email(Content={"Raw": {"Data": message.as_bytes()}})
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
    # Microseconds, so that the files sort in the order they were sent, as a person (or a test) reads them.
    name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:8]}.eml"
    partial = folder / f".{name}.partial"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, folder / name)
