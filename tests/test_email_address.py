"""One validator for every email address the portal takes (questions, event registrations, officers, resume links)."""

import pytest

from portal.email_address import normalised_email_address

REFUSED = [
    "a@b.com,c",
    "a,b@c.com",
    "<a@b.com>",
    "a@b..com",
    ".a@b.com",
    "a@-b.com",
    "<script>@x.com",
    "a b@c.com",
    "a@b",
    "a@localhost",
    "",
    " ",
    "a@b.com\nBcc: c@d.com",
    "x" * 250 + "@b.com",
    None,
    12,
]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_no_mail_system_would_take_is_refused(address):
    assert normalised_email_address(address) is None


@pytest.mark.parametrize(
    "address, normalised",
    [
        ("jo@council.gov.uk", "jo@council.gov.uk"),
        ("Jo.Bloggs+events@Example.CO.UK", "Jo.Bloggs+events@example.co.uk"),
        ("zoë@example.com", "zoë@example.com"),
    ],
)
def test_a_real_address_is_taken_with_its_domain_in_lower_case(address, normalised):
    assert normalised_email_address(address) == normalised
