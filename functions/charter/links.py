"""Where the Charter's emailed links point: the one place to change when the supplier sign-in (DESIGN.md decision 13,
functions/signin/) takes over the confirmation link and the signatory's own pages."""
from .emails import absolute


def confirm_link(token: str) -> str:
    return absolute("charter.confirm", token=token)


def own_page_link(token: str) -> str:
    return absolute("charter.own_page", token=token)
