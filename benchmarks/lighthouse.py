"""Lighthouse scores for the home page and a measure page, in Debian's Chromium, against the frozen site.

Lighthouse is fetched by npx on first use (about 180 MB), so `make test` does not carry it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.preview import serving  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SITE = Path(__file__).resolve().parent.parent / "build" / "site"
LIGHTHOUSE = "lighthouse@13.5.0"
PAGES = ["/", "/measures/le01/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def scores(url: str, form_factor: str) -> dict:
    flags = " ".join(["--headless=new"] + CHROMIUM_ARGS)
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for attempt in (1, 2):  # Chromium now and then shows a start-up interstitial; a second run clears it
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if result.returncode == 0:
            break
    else:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main():
    print("| page | device | performance | accessibility | best practices | SEO |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    with serving(SITE) as base_url:
        for address in PAGES:
            for form_factor in ("mobile", "desktop"):
                s = scores(base_url + address, form_factor)
                print(
                    f"| {address} | {form_factor} | {s['performance']} | {s['accessibility']} "
                    f"| {s['best-practices']} | {s['seo']} |"
                )


if __name__ == "__main__":
    main()
