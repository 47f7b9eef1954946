"""How long python build.py takes on the default content, and on 10x and 100x the measures and pages."""

import shutil
import sys
import tempfile
import time
from itertools import product
from pathlib import Path
from string import ascii_uppercase

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build import build  # noqa: E402
from portal.config import PROJECT_ROOT  # noqa: E402

CONTENT = PROJECT_ROOT / "content"


def multiplied_content(factor: int, destination: Path) -> tuple[int, int]:
    """Copy the default content with `factor` times the measures and guidance pages; return their counts."""
    shutil.copytree(CONTENT, destination)
    measures = sorted((CONTENT / "measures").glob("*.yaml"))
    pages = [p for p in sorted((CONTENT / "pages").glob("*.md")) if "section: guidance" in p.read_text()]
    prefixes = ("".join(letters) for letters in product(ascii_uppercase, repeat=3))
    for copy in range(1, factor):
        prefix = next(prefixes)
        for number, source in enumerate(measures, start=1):
            original_code = source.stem.upper()
            code = f"{prefix}{number:02d}"
            text = source.read_text().replace(f"code: {original_code}", f"code: {code}")
            (destination / "measures" / f"{code.lower()}.yaml").write_text(text)
        for source in pages:
            (destination / "pages" / f"{source.stem}-{copy}.md").write_text(source.read_text())
    return len(list((destination / "measures").glob("*.yaml"))), len(list((destination / "pages").glob("*.md")))


def measure(factor: int) -> dict:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        measures, pages = multiplied_content(factor, work / "content")
        started = time.perf_counter()
        urls = build(work / "content", work / "site", work / "assets")
        seconds = time.perf_counter() - started
    return {"factor": factor, "measures": measures, "pages": pages, "files": len(urls), "seconds": seconds}


def main():
    print("| content | measures | Markdown pages | files written | build time |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for factor in (1, 10, 100):
        row = measure(factor)
        label = "default" if factor == 1 else f"{factor}x"
        print(f"| {label} | {row['measures']} | {row['pages']} | {row['files']} | {row['seconds']:.1f} s |")


if __name__ == "__main__":
    main()
