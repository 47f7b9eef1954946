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


def test_importing_the_core_loads_neither_flask_nor_storage():
    result = subprocess.run([sys.executable, "-c", "import sys, portal.questionnaire.model, portal.content; "
                             "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'boto3', 'functions'}))"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
