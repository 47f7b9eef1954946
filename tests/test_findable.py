"""Suppliers find the self-assessment, the quick checklists and the plan check by following links (issue 14, item 14)."""

import re


def links(html: str) -> dict[str, str]:
    """href -> the link's words."""
    return {
        href: " ".join(re.sub(r"<[^>]+>", " ", words).split())
        for href, words in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def section_after(html: str, heading: str) -> str:
    start = html.index(heading)
    following = html.find("<h2", start + len(heading))
    return html[start : following if following > 0 else None]


def test_the_home_page_offers_the_self_assessment_and_the_quick_checklists_to_get_ready_to_bid(client, app):
    assessment = app.extensions["portal.content"].assessment("readiness")
    ready = links(section_after(client.get("/").get_data(as_text=True), "Get ready to bid"))
    assert ready["/assessments/readiness/"] == assessment.title
    for section in assessment.scored_sections:
        assert f"/checklists/readiness/{section.id}/" in ready


def test_each_theme_guidance_page_links_to_its_checklist_and_the_self_assessment(client, app):
    assessment = app.extensions["portal.content"].assessment("readiness")
    for section in assessment.scored_sections:
        found = links(client.get(section.guidance).get_data(as_text=True))
        assert f"/checklists/readiness/{section.id}/" in found, section.guidance
        assert "/assessments/readiness/" in found, section.guidance


def test_the_carbon_reduction_plan_guidance_links_to_the_plan_check(client):
    page = client.get("/guidance/carbon-reduction-plans/").get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/assessments/readiness/"[^>]*>\s*Check your carbon reduction plan\s*</a>', page)
