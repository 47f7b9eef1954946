"""The site as a reader meets it, through the Flask app: pages, links, branding, headers."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask import url_for

from portal.site import site_urls


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_on(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def crawl(client, start="/") -> set[str]:
    """Every internal page a reader can reach by following links from `start`."""
    seen, queue = set(), [start]
    while queue:
        address = queue.pop()
        if address in seen:
            continue
        seen.add(address)
        response = client.get(address)
        assert response.status_code == 200, f"{address} answered {response.status_code}"
        html = response.get_data(as_text=True)
        assert "&lt;a " not in html, f"{address} shows HTML as text"
        for href in links_on(html):
            target = urldefrag(urljoin(address, href))[0]
            if not urlsplit(target).scheme and target.startswith("/"):
                queue.append(target)
    return seen


def test_every_page_is_reachable_by_links_from_the_home_page(app, client):
    with app.test_request_context():
        expected = {url_for(endpoint, **values) for endpoint, values in site_urls(app.extensions["portal.content"])}
    reachable = crawl(client)
    assert expected <= reachable
    assert len(expected) > 50


def test_home_page_links_to_each_part_of_the_framework(client):
    hrefs = links_on(client.get("/").get_data(as_text=True))
    for address in (
        "/social-value/",
        "/framework/",
        "/measures/",
        "/charter/",
        "/guidance/",
        "/accessibility-statement/",
        "/privacy-notice/",
    ):
        assert address in hrefs


def test_measure_page_says_what_counts_and_what_evidence_to_keep(app, client):
    measure = app.extensions["portal.content"].measures[0]
    html = client.get(f"/measures/{measure.slug}/").get_data(as_text=True)
    assert measure.title in html
    assert measure.unit in html
    assert measure.reporting_label in html
    for heading in ("What counts", "What does not count", "Evidence to keep"):
        assert heading in html
    assert all(item.replace("'", "&#39;") in html for item in measure.evidence)


def test_priority_page_lists_only_its_own_measures(app, client):
    content = app.extensions["portal.content"]
    wellbeing = content.framework.priorities[1]
    html = client.get(f"/measures/priority/{wellbeing.id}/").get_data(as_text=True)
    for measure in content.measures:
        assert (f"/measures/{measure.slug}/" in html) == (measure.priority == wellbeing.id)


def test_unknown_addresses_get_the_not_found_page(client):
    for address in (
        "/measures/zz99/",
        "/nothing-here/",
        "/guidance/accessibility-statement/",
        "/measures/priority/unknown/",
        "/home/",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "Page not found" in response.get_data(as_text=True)


def test_pages_are_branded_for_the_council_not_govuk(app, client):
    site = app.extensions["portal.content"].site
    html = client.get("/").get_data(as_text=True)
    assert site.council.logo_text in html
    assert site.service_name in html
    assert "GOV.UK" not in html
    assert "govuk-logo" not in html and "crown" not in html.lower()
    assert "favicon.ico" not in html and "govuk-icon" not in html and "manifest.json" not in html


def test_every_response_sends_the_security_headers(client):
    for address in ("/", "/measures/", "/sitemap.xml", "/missing/"):
        headers = client.get(address).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["Referrer-Policy"]


def test_sitemap_lists_every_page_at_the_council_address(app, client):
    content = app.extensions["portal.content"]
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    with app.test_request_context():
        for endpoint, values in site_urls(content):
            assert f"<loc>{content.site.base_url}{url_for(endpoint, **values)}</loc>" in xml


def test_pages_show_the_council_contact_details(app, client):
    email = app.extensions["portal.content"].site.council.contact_email
    assert f'href="mailto:{email}"' in client.get("/charter/").get_data(as_text=True)
