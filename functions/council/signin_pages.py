"""Signing in by emailed single-use link, staying signed in, and signing out.

The sign-in page says the same whether or not an address belongs to an officer, and requests are rate limited
per address and per network address. The emailed link opens a page with a button: email scanners that follow
links must not use up the single use.
"""

from flask import current_app, g, redirect, render_template, request, session, url_for

from ..mail import mailer

from . import audit
from ..limits import RateLimits
from ..signin.emailing import deliver_after_answering, send_link
from ..signin.links import LinkInvalid, SignInLinks
from .officers import normalise_email, valid_email
from .web import SESSION_KEY, SIGN_IN_LINKS, client_ip, clock, council_blueprint, officers, safe_next, sessions, store

LIMIT_PER_ADDRESS = 5  # sign-in emails to one address per 15 minutes
LIMIT_PER_IP = 30  # sign-in requests from one network address per 15 minutes
AREA = {"base": "council/base.html", "name": "the council pages", "endpoint": "council"}  # for signin/ templates


def sign_in_links() -> SignInLinks:
    return SignInLinks(store(), clock, prefix=SIGN_IN_LINKS)


def link_for(token: str, base_url: str | None = None) -> str:
    return (base_url or current_app.config["PORTAL_BASE_URL"]).rstrip("/") + url_for("council.use_link", token=token)


@council_blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    next_page = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template(
            "council/sign_in.html",
            area=AREA,
            title="Sign in to the council pages",
            next_page=next_page,
            expired=request.args.get("expired") == "1",
            kept=request.args.get("kept") == "1",
            email="",
            error=None,
        )
    email = normalise_email(request.form.get("email", ""))[:320]
    error = None
    if not email:
        error = "Enter your email address"
    elif not valid_email(email):
        error = "Enter an email address in the correct format, like name@example.gov.uk"
    if error:
        return render_template(
            "council/sign_in.html",
            area=AREA,
            title="Sign in to the council pages",
            next_page=next_page,
            email=email,
            error=error,
            error_title=True,
        ), 400
    limits = RateLimits(store(), clock)
    if not (limits.allow("sign-in-ip", client_ip(), LIMIT_PER_IP) and limits.allow("sign-in-email", email, LIMIT_PER_ADDRESS)):
        return render_template("signin/too_many.html", area=AREA, title="Too many sign-in requests"), 429
    # The same storage work whoever asks (a listing and a read, three writes), and the email sent after the answer:
    # how long the answer takes must not tell a stranger whether an address is an officer's.
    officer = officers().find(email)
    is_officer = officer is not None and not officer.disabled
    send_link(store(), sign_in_links(), email, is_officer, lambda token: _link_email(email, token))
    audit.record(
        store(),
        email if is_officer else "anonymous",
        "sign-in-link-sent" if is_officer else "sign-in-asked",
        "",
        client_ip(),
        at=clock(),
    )
    if next_page:
        session["council_next"] = next_page
    response = redirect(url_for("council.check_email"), 303)
    return deliver_after_answering(response, store()) if is_officer else response


def _link_email(email: str, token: str):
    site = current_app.extensions["portal.content"].site
    body = render_template("council/sign_in_email.txt", link=link_for(token), site=site)
    return mailer.compose(site.council.contact_email, email, f"Sign in to the {site.service_name} council pages", body)


@council_blueprint.get("/sign-in/check-your-email")
def check_email():
    return render_template(
        "signin/check_email.html", area=AREA, title="Check your email", who="an officer who can use these pages"
    )


@council_blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def use_link(token):
    try:
        if request.method == "GET":
            sign_in_links().check(token)
            return render_template("signin/use_link.html", area=AREA, title="Sign in to the council pages")
        email = sign_in_links().redeem(token)
    except LinkInvalid as invalid:
        audit.record(
            store(),
            invalid.email or "anonymous",
            "refused-sign-in-link",
            "",
            client_ip(),
            {"reason": invalid.reason, "method": request.method},
            at=clock(),
        )
        return render_template(
            "signin/link_invalid.html", area=AREA, title="This sign-in link cannot be used", reason=invalid.reason
        ), 410 if invalid.reason != "unknown" else 404
    officer = officers().find(email)
    if officer is None or officer.disabled:
        audit.record(store(), email, "refused-sign-in-link", "", client_ip(), {"reason": "disabled"}, at=clock())
        return render_template(
            "signin/link_invalid.html", area=AREA, title="This sign-in link cannot be used", reason="unknown"
        ), 404
    started = sessions().start(officer.email)
    next_page = safe_next(session.pop("council_next", None))
    session.clear()  # a fresh session (and CSRF token) on sign-in, so nothing from before carries over
    session[SESSION_KEY] = started.token
    g.officer = officer
    audit.record(store(), officer.email, "signed-in", "", client_ip(), at=clock())
    return redirect(next_page or url_for("council.submissions"), 303)


@council_blueprint.post("/stay-signed-in")
def stay_signed_in():
    """Any council page moves the idle timeout on; this is the button for an officer who has nothing else to do."""
    back = safe_next(request.form.get("back")) or url_for("council.submissions")
    return redirect(back, 303)


@council_blueprint.post("/sign-out")
def sign_out():
    sessions().end(g.council_session)
    audit.record(store(), g.officer.email, "signed-out", "", client_ip(), at=clock())
    session.clear()
    return redirect(url_for("council.signed_out"), 303)


@council_blueprint.get("/signed-out")
def signed_out():
    return render_template("signin/signed_out.html", area=AREA, title="You have signed out")
