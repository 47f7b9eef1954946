"""Print a plan's HTML to PDF with WeasyPrint (which needs Debian's Pango), fetching nothing from anywhere."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are not installed where this runs."""


def pdf_from_html(html: str) -> bytes:
    """A tagged PDF of a self-contained HTML document (styles inline, nothing to load); its <title> titles the PDF."""
    try:
        import weasyprint  # imported here: heavy, and it loads Pango, which a function that never prints does not need
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    # The plan holds what a supplier typed; refusing every URL means nothing in it can make the server fetch anything.
    no_fetching = weasyprint.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, url_fetcher=no_fetching, base_url=None)
    return document.write_pdf(pdf_tags=True)
