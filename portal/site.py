"""The published site: framework, measures, charter, guidance and the pages in content/pages."""

from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory, url_for

from .charter.pages import charter_pages, render_charter
from .content import Content
from .dates import uk_date
from .text import unit_in_sentence
from .delivered import delivered_files, delivered_pages
from .events.pages import calendar_files, event_pages
from .questionnaire.forms import form_class, render_params
from .questionnaire.numbers import write_number
from .crp.plan import PLAN_QUESTION
from .questionnaire.progress import checklist_of

site_blueprint = Blueprint("site", __name__)

# Sections of content/pages and the address each one's pages live under.
GUIDANCE_SECTIONS = ("guidance", "what-we-look-for")
TOP_LEVEL_SECTIONS = ("about", "legal")


def content() -> Content:
    return current_app.extensions["portal.content"]


def site_urls(site_content: Content):
    """Every page of the site as (endpoint, values): what the freezer builds and the sitemap lists."""
    yield "site.home", {}
    for page in site_content.pages:
        if page.section in TOP_LEVEL_SECTIONS:
            yield "site.page", {"slug": page.slug}
        elif page.section in GUIDANCE_SECTIONS:
            yield "site.guidance_page", {"slug": page.slug}
    yield "site.framework", {}
    yield "site.measures", {}
    for priority in site_content.framework.priorities:
        yield "site.measures_for_priority", {"priority_id": priority.id}
    for measure in site_content.measures:
        yield "site.measure", {"slug": measure.slug}
    yield "site.charter", {}
    yield from charter_pages(site_content)
    yield "site.guidance", {}
    for assessment in site_content.assessments.values():
        yield "site.assessment_start", {"assessment_id": assessment.id}
        for section in assessment.scored_sections:
            yield "site.checklist", {"assessment_id": assessment.id, "section_id": section.id}
    yield from event_pages(site_content)
    yield from delivered_pages(site_content)


def site_files(site_content: Content):
    """Files that are not pages but are published with them (calendars), as (endpoint, values): frozen and in the sitemap."""
    yield from calendar_files(site_content)
    yield from delivered_files(site_content)


def page_url(page) -> str:
    endpoint = "site.guidance_page" if page.section in GUIDANCE_SECTIONS else "site.page"
    return url_for(endpoint, slug=page.slug)


@site_blueprint.app_template_filter("page_link")
def page_link(page) -> dict:
    """A content page as an item for the link_list macro."""
    return {"href": page_url(page), "title": page.title, "description": page.description}


@site_blueprint.app_template_filter("priority_option")
def priority_option(priority) -> dict:
    """A priority as an item for a GOV.UK radios component."""
    return {"value": priority.id, "text": priority.title}


@site_blueprint.route("/")
def home():
    return render_template("home.html", page=content().pages_in("home")[0])


@site_blueprint.route("/<slug>/")
def page(slug):
    found = content().page(slug)
    if found is None or found.section not in TOP_LEVEL_SECTIONS:
        abort(404)
    return render_template("page.html", page=found)


@site_blueprint.route("/framework/")
def framework():
    return render_template("framework.html", framework=content().framework)


@site_blueprint.route("/measures/")
def measures():
    return render_template("measures/index.html", priorities=content().framework.priorities)


@site_blueprint.route("/measures/priority/<priority_id>/")
def measures_for_priority(priority_id):
    priority = content().priority(priority_id) or abort(404)
    return render_template("measures/priority.html", priority=priority, measures=content().measures_for(priority.id))


@site_blueprint.route("/measures/<slug>/")
def measure(slug):
    found = content().measure(slug) or abort(404)
    return render_template(
        "measures/measure.html",
        measure=found,
        priority=content().priority(found.priority),
        outcome=content().outcome(found.outcome),
    )


@site_blueprint.route("/charter/")
def charter():
    return render_charter()


@site_blueprint.route("/guidance/")
def guidance():
    return render_template("guidance/index.html")


@site_blueprint.route("/guidance/<slug>/")
def guidance_page(slug):
    found = content().page(slug)
    if found is None or found.section not in GUIDANCE_SECTIONS:
        abort(404)
    return render_template("guidance/page.html", page=found)


@site_blueprint.route("/assessments/<assessment_id>/")
def assessment_start(assessment_id):
    """The start page is static; its Start now button posts to the assessment function."""
    found = content().assessment(assessment_id) or abort(404)
    return render_template("assessments/start.html", assessment=found)


def checklist_page(assessment_id: str, section_id: str):
    """The assessment, and the checklist of one of its themes; 404 for anything else."""
    assessment = content().assessment(assessment_id) or abort(404)
    section = assessment.section(section_id)
    if section is None or not section.scored:
        abort(404)
    return assessment, checklist_of(section)


def render_checklist(assessment, section, form):
    """The checklist page: static when frozen, and rendered again by the function to show errors."""
    params = {q.id: render_params(q, page_heading=False) for q in section.questions}
    return render_template(
        "checklists/checklist.html",
        assessment=assessment,
        section=section,
        form=form,
        params=params,
        title=f"Quick checklist: {section.title}",
        error_title=bool(form.errors),
    )


@site_blueprint.route("/checklists/<assessment_id>/<section_id>/")
def checklist(assessment_id, section_id):
    """A theme's quick checklist: a static page whose form posts to the checklist function."""
    assessment, section = checklist_page(assessment_id, section_id)
    return render_checklist(assessment, section, form_class(section.questions)(meta={"csrf": False}))


@site_blueprint.app_template_global("checklists_for")
def checklists_for(path: str) -> list[dict]:
    """What a theme's guidance page at `path` offers, as link_list items: its quick checklist, the carbon
    reduction plan check where the theme asks for a plan, and the self-assessment that holds the theme."""
    links, assessments = [], []
    for a in content().assessments.values():
        for s in a.sections:
            if s.guidance != path:
                continue
            if s.scored:
                links.append(
                    {
                        "href": url_for("site.checklist", assessment_id=a.id, section_id=s.id),
                        "title": f"Quick checklist: {s.title.lower()}",
                        "description": "Answer a few questions to see how ready you are. Nothing is saved.",
                    }
                )
            if s.question(PLAN_QUESTION):
                links.append(
                    {
                        "href": url_for("site.assessment_start", assessment_id=a.id),
                        "title": "Check your carbon reduction plan",
                        "description": f"Give your plan’s facts in the ‘{s.title.lower()}’ part of the {a.title.lower()}. "
                        "We check it against the standard and write it out for you to publish.",
                    }
                )
            if a not in assessments:
                assessments.append(a)
    return links + [
        {"href": url_for("site.assessment_start", assessment_id=a.id), "title": a.title, "description": a.summary}
        for a in assessments
    ]


site_blueprint.add_app_template_filter(uk_date, "uk_date")
site_blueprint.add_app_template_filter(unit_in_sentence, "unit_in_sentence")


@site_blueprint.app_template_filter("long_date")
def long_date(iso: str) -> str:
    """An ISO date or timestamp as GOV.UK writes dates: 5 January 2027."""
    return uk_date(datetime.fromisoformat(iso))


@site_blueprint.app_template_filter("number")
def number(value) -> str:
    """A figure with thousands separators and never in exponent form: 1,250.5, not 1.2505E+3."""
    return write_number(value)


@site_blueprint.route("/404.html")
def not_found_page():
    """The page a static host serves for any unknown address."""
    return render_template("404.html")


@site_blueprint.route("/sitemap.xml")
def sitemap():
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    everything = [*site_urls(content()), *site_files(content())]
    addresses = [base + url_for(endpoint, **values) for endpoint, values in everything]
    return render_template("sitemap.xml", addresses=addresses), {"Content-Type": "application/xml; charset=utf-8"}


@site_blueprint.route("/robots.txt")
def robots():
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n", {"Content-Type": "text/plain; charset=utf-8"}


def assets_blueprint(directory: Path) -> Blueprint:
    """Serves the built, fingerprinted assets; their names change with their content, so they cache for a year."""
    blueprint = Blueprint("assets", __name__)

    @blueprint.route("/assets/<path:filename>")
    def asset(filename):
        return send_from_directory(directory, filename, max_age=31536000)

    return blueprint
