"""A Lambda's templates come from modules the build compiled (portal/compiled_templates.py), and show exactly what the
same templates read from source show, for each set of settings a function has."""

import re

import pytest
from flask import render_template

from portal import compiled_templates, create_app
from portal.config import PROJECT_ROOT

from .conftest import CONTENT

TOKEN = re.compile(rb'name="csrf_token" value="[^"]*"')  # a fresh one each time the form is shown
HOSTILE = "Acme \u202eLtd <script>alert(1)</script> & Sons"


@pytest.fixture(scope="module")
def package_root(tmp_path_factory):
    """A folder laid out as a package's root is: NAME holding the templates as the build compiles them."""
    root = tmp_path_factory.mktemp("package")
    folder = compiled_templates.compiled(create_app({"TESTING": True}).jinja_env, tmp_path_factory.mktemp("cache"))
    (root / compiled_templates.NAME).symlink_to(folder, target_is_directory=True)
    return root


def _shown(app, template, **values):
    with app.test_request_context("/"):
        return render_template(template, **values)


@pytest.mark.parametrize("functions", [("council",), ("assessment",), ("supplier",), ("charter",)])
def test_each_function_shows_the_same_page_from_its_compiled_templates(package_root, built, functions):
    settings = {"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]}
    from_source = create_app(settings, functions=functions)
    compiled = create_app(settings, functions=functions)
    compiled_templates.use_compiled(compiled.jinja_env, package_root)

    for template, values in [
        ("error.html", {"title": "There is a problem", "message": HOSTILE}),
    ]:
        page = _shown(compiled, template, **values)
        assert page == _shown(from_source, template, **values)
        assert "<script>alert" not in page
    for path in ("/", "/does-not-exist", "/council/sign-in", "/supplier/sign-in"):
        pages = [app.test_client().get(path) for app in (compiled, from_source)]
        assert len({(p.status_code, TOKEN.sub(b"", p.data)) for p in pages}) == 1, path
    assert [loader for loader in compiled.jinja_env.loader.modules.values() if loader], "no compiled modules were used"
    # The council's pages isolate every value, so a right-to-left override cannot turn the page around (bidi.py).
    assert ("\u2068Acme" in _shown(compiled, "error.html", message=HOSTILE)) == (functions == ("council",))


def test_without_compiled_templates_a_function_reads_its_sources(tmp_path, built):
    app = create_app({"TESTING": True, "PORTAL_CONTENT": CONTENT, "PORTAL_ASSETS": built[1]}, functions=("assessment",))
    loader = app.jinja_env.loader
    compiled_templates.use_compiled(app.jinja_env, tmp_path)  # no NAME folder there, as locally
    assert app.jinja_env.loader is loader
    assert not (PROJECT_ROOT / compiled_templates.NAME).exists(), "a compiled folder here would hide template edits"
