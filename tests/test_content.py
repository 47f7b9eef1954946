"""The content loader accepts the default content and names the file, place and problem of every mistake."""

import os
import subprocess
import sys


from portal.config import PROJECT_ROOT
from portal.content import load_content

from .content_edits import edit, problems
from .conftest import CONTENT


def test_default_content_is_a_complete_framework():
    content = load_content(CONTENT)
    assert [p.title for p in content.framework.priorities] == [
        "Supporting the local economy",
        "Promoting wellbeing",
        "A great place to live",
    ]
    assert len(content.measures) == 38
    assert all(content.measures_for(p.id) for p in content.framework.priorities)
    assert len(content.framework.principles) >= 5
    assert content.charter.commitments
    for section in ("home", "about", "guidance", "what-we-look-for", "legal"):
        assert content.pages_in(section), f"no pages in section {section}"
    assert {p.slug for p in content.pages_in("legal")} == {"accessibility-statement", "privacy-notice"}


def test_broken_yaml_names_the_file_and_line(content_copy):
    edit(content_copy / "measures" / "le01.yaml", "unit:", "unit: [unclosed\nreporting_x:")
    message = problems(content_copy)
    assert "content/measures/le01.yaml, line " in message
    assert "not valid YAML" in message


def test_missing_field_names_the_field(content_copy):
    path = content_copy / "measures" / "le02.yaml"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("unit:")))
    message = problems(content_copy)
    assert "content/measures/le02.yaml" in message
    assert "'unit': Missing data for required field" in message


def test_wrong_type_names_the_field_and_line(content_copy):
    edit(content_copy / "framework.yaml", "title: Our Social Value Framework", "title: [1, 2]")
    message = problems(content_copy)
    assert "content/framework.yaml, line 1: 'title': Not a valid string" in message


def test_unknown_field_is_reported(content_copy):
    path = content_copy / "charter.yaml"
    path.write_text(path.read_text() + "\nsignature: Chief Executive\n")
    assert "content/charter.yaml, line " in problems(content_copy)
    assert "'signature': Unknown field" in problems(content_copy)


def test_nested_mistake_points_at_the_list_item(content_copy):
    path = content_copy / "framework.yaml"
    lines = path.read_text().splitlines()
    first_outcome_title = next(
        i
        for i, line in enumerate(lines)
        if line.strip().startswith("title:") and i > next(j for j, l in enumerate(lines) if l.strip() == "outcomes:")
    )
    lines[first_outcome_title] = lines[first_outcome_title].split("title:")[0] + "title: ''"
    path.write_text("\n".join(lines))
    assert (
        f"content/framework.yaml, line {first_outcome_title + 1}: 'priorities.0.outcomes.0.title': this cannot be empty"
        in problems(content_copy)
    )


def test_reporting_frequency_must_be_one_we_know(content_copy):
    path = content_copy / "measures" / "le03.yaml"
    text = path.read_text()
    path.write_text("\n".join("reporting: weekly" if l.startswith("reporting:") else l for l in text.splitlines()))
    assert "'reporting': use one of: monthly, quarterly, six-monthly, annually, end-of-contract" in problems(content_copy)


def test_measure_must_belong_to_a_known_priority_and_outcome(content_copy):
    path = content_copy / "measures" / "le04.yaml"
    path.write_text("\n".join("priority: jobs" if l.startswith("priority:") else l for l in path.read_text().splitlines()))
    assert "'priority': 'jobs' is not a priority in framework.yaml" in problems(content_copy)

    path.write_text("\n".join("priority: wellbeing" if l.startswith("priority:") else l for l in path.read_text().splitlines()))
    assert "is not an outcome of 'wellbeing'" in problems(content_copy)


def test_two_measures_cannot_share_a_code(content_copy):
    original = (content_copy / "measures" / "le05.yaml").read_text()
    (content_copy / "measures" / "le05.yaml").write_text(original.replace("code: LE05", "code: LE06"))
    message = problems(content_copy)
    assert (
        "LE06 is also the code in content/measures/le05.yaml" in message
        or "LE06 is also the code in content/measures/le06.yaml" in message
    )
    assert "name the file le06.yaml to match its code" in message


def test_repeated_key_is_reported(content_copy):
    path = content_copy / "site.yaml"
    path.write_text(path.read_text() + "\nservice_name: Another name\n")
    assert "content/site.yaml, line " in problems(content_copy)
    assert "'service_name' is given twice" in problems(content_copy)


def test_brand_colour_must_be_readable_under_white_text(content_copy):
    path = content_copy / "site.yaml"
    text = path.read_text()
    brand = next(l for l in text.splitlines() if l.strip().startswith("brand:"))
    path.write_text(text.replace(brand, '  brand: "#ffdd00"'))
    assert "'colours.brand': white header text on #ffdd00 has a contrast ratio of 1.3:1" in problems(content_copy)
    path.write_text(text.replace(brand, "  brand: blue"))
    assert "'colours.brand': give a colour as # and six hex digits" in problems(content_copy)


def test_page_needs_front_matter(content_copy):
    path = content_copy / "pages" / "getting-help.md"
    body = path.read_text().split("---", 2)[2]
    path.write_text(body)
    assert "content/pages/getting-help.md, line 1: the file must start with front matter" in problems(content_copy)


def test_page_front_matter_is_checked_with_line_numbers(content_copy):
    path = content_copy / "pages" / "getting-help.md"
    text = path.read_text()
    section = next(l for l in text.splitlines() if l.startswith("section:"))
    line = text.splitlines().index(section) + 1
    path.write_text(text.replace(section, "section: news"))
    assert f"content/pages/getting-help.md, line {line}: 'section': use one of: home, about" in problems(content_copy)


def test_page_cannot_take_an_address_the_portal_uses(content_copy):
    (content_copy / "pages" / "getting-help.md").rename(content_copy / "pages" / "measures.md")
    assert "'measures' is the address of a page the portal makes itself" in problems(content_copy)


def test_file_that_is_not_utf8_is_reported(content_copy):
    (content_copy / "charter.yaml").write_bytes("title: Charte \xe9t\xe9\n".encode("latin-1"))
    assert "content/charter.yaml: the file is not saved as UTF-8 text" in problems(content_copy)


def test_missing_file_is_reported(content_copy):
    (content_copy / "charter.yaml").unlink()
    assert "content/charter.yaml: this file is missing" in problems(content_copy)


def test_every_problem_is_listed_at_once(content_copy):
    (content_copy / "charter.yaml").unlink()
    edit(content_copy / "framework.yaml", "title: Our Social Value Framework", "title: ''")
    message = problems(content_copy)
    assert message.startswith("The content has 2 problems")
    assert "charter.yaml" in message and "framework.yaml" in message


def test_build_fails_with_the_message_and_no_traceback(content_copy):
    (content_copy / "charter.yaml").unlink()
    result = subprocess.run(
        [sys.executable, "build.py"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_CONTENT": str(content_copy), "PORTAL_ASSETS": str(content_copy.parent / "assets")},
    )
    assert result.returncode == 1
    assert "content/charter.yaml: this file is missing" in result.stderr
    assert "Traceback" not in result.stderr
