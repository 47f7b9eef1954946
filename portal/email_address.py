"""One validator for every email address the portal takes: questions, event registrations, officers, resume links.

email-validator checks the syntax as the standards and real mail systems take it (no lists, no display names, no
double dots or leading hyphens); it never looks the domain up, so validating needs no network.
"""

__all__ = ["FORMAT_MESSAGE", "MAX_LENGTH", "normalised_email_address"]

FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"
MAX_LENGTH = 254


def normalised_email_address(value) -> str | None:
    """The address as the portal stores and sends to it (domain in lower case), or None when it is not one."""
    from email_validator import EmailNotValidError, validate_email  # 40 ms: only where an address is checked

    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return None
    try:
        return validate_email(value, check_deliverability=False, allow_smtputf8=True).normalized
    except EmailNotValidError:
        return None
