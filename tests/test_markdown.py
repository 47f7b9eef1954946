from portal.reading.markdown import render


def test_markdown_gets_govuk_typography_classes():
    html = render("## Heading\n\nSome text with [a link](/charter/).\n\n- one\n- two\n")
    assert '<h2 class="govuk-heading-l">Heading</h2>' in html
    assert '<p class="govuk-body">Some text with <a class="govuk-link" href="/charter/">a link</a>.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_paragraphs_inside_list_items_take_the_list_style():
    html = render("- first\n\n- second\n")
    assert "<li>\n<p>first</p>" in html
