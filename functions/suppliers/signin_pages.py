"""Suppliers sign in by emailed single-use link, as officers do (functions/signin/), and sign out.

The sign-in page says the same whether or not an address may sign in, and requests are rate limited per address and
per network address. The emailed link opens a page with a button, so that email scanners that follow links do not
use up its single use.
"""

from flask import current_app, g, redirect, render_template, request, session, url_for

from portal.email_address import FORMAT_MESSAGE

from ..limits import RateLimits
from ..mail import mailer
from ..signin.emailing import deliver_after_answering, send_link
from ..signin.links import LinkInvalid, SignInLinks
from ..viewer import client_ip
from ..signin.contacts import signing_in_address
from .web import SESSION_KEY, SIGN_IN_LINKS, contacts, safe_next, sessions, store, supplier_blueprint
from portal.clock import now

LIMIT_PER_ADDRESS = 5  # sign-in emails to one address per 15 minutes
LIMIT_PER_IP = 30  # sign-in requests from one network address per 15 minutes
AREA = {"base": "supplier/base.html", "name": "your supplier pages", "endpoint": "supplier"}  # for signin/ templates


def sign_in_links() -> SignInLinks:
    return SignInLinks(store(), now, prefix=SIGN_IN_LINKS)


def _page(template: str, status: int = 200, **values):
    return render_template(f"signin/{template}", area=AREA, **values), status


@supplier_blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    next_page = safe_next(request.values.get("next"))
    title = "Sign in to your supplier pages"
    if request.method == "GET":
        return render_template(
            "supplier/sign_in.html",
            area=AREA,
            title=title,
            next_page=next_page,
            email="",
            error=None,
            expired=request.args.get("expired") == "1",
            kept=request.args.get("kept") == "1",
        )
    typed = request.form.get("email", "")[:320].strip()
    email = signing_in_address(typed)
    if email is None:
        error = "Enter your email address" if not typed else FORMAT_MESSAGE
        return render_template(
            "supplier/sign_in.html", area=AREA, title=title, next_page=next_page, email=typed, error=error, error_title=True
        ), 400
    limits = RateLimits(store(), now)
    if not (
        limits.allow("supplier-sign-in-ip", client_ip(), LIMIT_PER_IP)
        and limits.allow("supplier-sign-in-email", email, LIMIT_PER_ADDRESS)
    ):
        return _page("too_many.html", 429, title="Too many sign-in requests")
    allowed = contacts().may_sign_in(email)
    send_link(store(), sign_in_links(), email, allowed, lambda token: _link_email(email, token))
    if next_page:
        session["supplier_next"] = next_page
    response = redirect(url_for("supplier.check_email"), 303)
    return deliver_after_answering(response, store()) if allowed else response


def _link_email(email: str, token: str):
    site = current_app.extensions["portal.content"].site
    link = current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for("supplier.use_link", token=token)
    body = render_template("supplier/sign_in_email.txt", link=link, site=site)
    return mailer.compose(site.council.contact_email, email, f"Sign in to your {site.service_name} supplier pages", body)


@supplier_blueprint.get("/sign-in/check-your-email")
def check_email():
    return _page(
        "check_email.html",
        title="Check your email",
        who="a contact on one of our contracts, or a signatory of our Social Value Charter",
    )


@supplier_blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def use_link(token):
    try:
        if request.method == "GET":
            sign_in_links().check(token)
            return _page("use_link.html", title="Sign in to your supplier pages")
        email = sign_in_links().redeem(token)
    except LinkInvalid as invalid:
        return _page(
            "link_invalid.html",
            410 if invalid.reason != "unknown" else 404,
            title="This sign-in link cannot be used",
            reason=invalid.reason,
        )
    if not contacts().may_sign_in(email):  # withdrawn since the link was sent
        return _page("link_invalid.html", 404, title="This sign-in link cannot be used", reason="unknown")
    started = sessions().start(email)
    next_page = safe_next(session.pop("supplier_next", None))
    session.pop("csrf_token", None)  # a fresh CSRF token on sign-in, so nothing from before carries over
    session[SESSION_KEY] = started.token
    g.supplier = email
    return redirect(next_page or url_for("supplier.home"), 303)


@supplier_blueprint.post("/sign-out")
def sign_out():
    sessions().end(g.supplier_session)
    session.pop(SESSION_KEY, None)
    return redirect(url_for("supplier.signed_out"), 303)


@supplier_blueprint.get("/signed-out")
def signed_out():
    return _page("signed_out.html", title="You have signed out")
