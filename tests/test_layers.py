"""The shape of the code: layers that depend one way (DESIGN.md decision 11), and no mistake a linter can see."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_the_layers_depend_one_way():
    """The core imports neither Flask nor boto3 nor the functions; the site never imports the functions; no
    package's modules import each other in a circle. The contracts are in pyproject.toml."""
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_ruff_finds_nothing():
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted_as_ruff_formats_it():
    """`ruff format` (settings in pyproject.toml) is the one layout: run it before committing."""
    result = subprocess.run([str(BIN / "ruff"), "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_core_loads_neither_flask_nor_storage():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, portal.questionnaire.model, portal.content; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'boto3', 'functions'}))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def _is_view(module: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return leaf in ("web", "views", "pages", "cli") or leaf.endswith("_pages")


def test_each_feature_keeps_its_views_to_itself():
    """functions/ is in feature folders (assessment, events, council, council_api, exports, mail, storage), each with
    its views (web, views, pages, *_pages, cli) in their own modules: domain code never imports a view, and no other
    folder imports a feature's views; the app factory names them only as strings (portal/app.py FUNCTIONS)."""
    import grimp

    graph = grimp.build_graph("functions", "portal", cache_dir=None)
    wrong = []
    for view in (m for m in graph.modules if m.startswith("functions.") and _is_view(m)):
        folder = view.rsplit(".", 1)[0]
        for importer in graph.find_modules_that_directly_import(view):
            if not importer.startswith(folder + ".") or not _is_view(importer):
                wrong.append(f"{importer} imports the view {view}")
    assert not wrong, "\n".join(sorted(wrong))
