"""What a cold Lambda function does before its first page: it imports nothing that page does not need, and renders
each Markdown text from content/ when a page first shows it; the build renders all of them, so a text that cannot be
rendered still stops it, naming the file."""

import json
import shutil
import subprocess
import sys

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.content import load_content
from portal.content.snapshot import NAME, read_snapshot, snapshot

from .conftest import CONTENT
from .content_edits import problems

# In a fresh process: what a Lambda's app has rendered and imported once it is made, then after its first page.
# argv[3], if given, stands for the package's root, where a snapshot of the content may be.
FRESH_FUNCTION = r"""
import json, sys
from pathlib import Path
from portal import config, create_app
if len(sys.argv) > 3:
    config.PROJECT_ROOT = Path(sys.argv[3])
app = create_app({"PORTAL_CONTENT": Path(sys.argv[1]), "PORTAL_ASSETS": Path(sys.argv[2])}, functions=("checklist",))
content = app.extensions["portal.content"]
heavy = ("markdown", "icalendar", "functions.mail.outbox", "yaml", "marshmallow")  # Markdown, calendars, the email sender's
# thread, and reading and checking content
made = {"imported": [m for m in heavy if m in sys.modules], "rendered": sum(p.body._html is not None for p in content.pages)}
page = app.test_client().get("/")
after = {"status": page.status_code, "rendered": sum(p.body._html is not None for p in content.pages),
         "home": str(content.page("home").body) in page.get_data(as_text=True)}
print(json.dumps({"made": made, "after": after, "pages": len(content.pages), "imported": [m for m in heavy if m in sys.modules]}))
"""


def _fresh_function(built, tmp_path, *package_root):
    result = subprocess.run(
        [sys.executable, "-c", FRESH_FUNCTION, str(CONTENT), str(built[1]), *map(str, package_root)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PORTAL_VAR": str(tmp_path), "PORTAL_STORAGE": str(tmp_path / "storage")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_functions_app_imports_and_renders_only_what_its_first_page_shows(built, tmp_path):
    answer = _fresh_function(built, tmp_path)  # no snapshot: the content is read and checked, not rendered
    assert answer["made"] == {"imported": ["yaml", "marshmallow"], "rendered": 0}
    assert answer["after"]["status"] == 200 and answer["after"]["home"]
    assert 0 < answer["after"]["rendered"] < answer["pages"]


def test_a_page_shows_the_same_html_whether_rendered_at_once_or_on_first_use(built):
    local = create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]})
    function = create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]}, functions=("checklist",))
    for path in ("/", "/guidance/getting-help/", "/events/"):
        assert function.test_client().get(path).get_data() == local.test_client().get(path).get_data(), path


def test_markdown_that_cannot_be_rendered_stops_the_build_naming_its_file(content_copy):
    page = content_copy / "pages" / "getting-help.md"
    page.write_text(page.read_text() + "\n" + "- " * 3000 + "too deep\n")  # the Markdown library's recursion gives up
    assert "content/pages/getting-help.md" in problems(content_copy)
    assert "this Markdown cannot be shown" in problems(content_copy)
    assert load_content(content_copy, render_all=False).page("getting-help")  # loads; rendering would fail on use


def test_blank_markdown_is_still_refused_as_empty(content_copy):
    path = content_copy / "charter.yaml"
    text = path.read_text()
    start = text.index("how_to_sign_up:")
    path.write_text(
        text[:start]
        + 'how_to_sign_up: "   "\n'
        + "".join(line + "\n" for line in text[start:].splitlines()[1:] if not line.startswith((" ", "\t")) or not line.strip())
    )
    assert "how_to_sign_up" in problems(content_copy) and "this cannot be empty" in problems(content_copy)


def test_a_function_takes_its_packages_snapshot_of_the_content_and_so_reads_and_checks_nothing(built, tmp_path):
    (tmp_path / NAME).write_bytes(snapshot(CONTENT))
    answer = _fresh_function(built, tmp_path, tmp_path)
    assert answer["made"]["imported"] == [] and answer["imported"] == []
    assert answer["made"]["rendered"] == answer["pages"]  # rendered by the build
    assert answer["after"]["status"] == 200 and answer["after"]["home"]


def test_a_snapshot_is_used_only_for_the_content_it_was_made_from(tmp_path):
    content = shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / NAME).write_bytes(snapshot(content))
    assert (tmp_path / NAME).read_bytes() == snapshot(content), "the same files give the same bytes"
    assert read_snapshot(tmp_path / NAME, content) == load_content(content)
    page = content / "pages" / "getting-help.md"
    page.write_text(page.read_text() + "\nA new line.\n")
    assert read_snapshot(tmp_path / NAME, content) is None
    assert read_snapshot(tmp_path / "none.pickle", content) is None


def test_a_snapshot_is_the_same_bytes_in_every_process():
    """Packages are the same bytes for the same inputs, so the snapshot must not depend on a process's hash seed
    (a set in the content's model would)."""
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import hashlib, sys; from portal.content.snapshot import snapshot; "
                "print(hashlib.sha256(snapshot(sys.argv[1])).hexdigest())",
                str(CONTENT),
            ],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr[-3000:]
        digests.add(result.stdout.strip())
    assert len(digests) == 1
