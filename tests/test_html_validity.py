"""The Nu HTML Checker finds no errors in any frozen page."""

import subprocess

from portal.config import PROJECT_ROOT

VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_frozen_page_is_valid_html(site_dir):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(site_dir)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
