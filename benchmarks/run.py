"""Run every benchmark and print its table: python benchmarks/run.py (or make benchmarks, which builds first)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import build_time, evidence_upload, evidence_zip, lighthouse, page_weight  # noqa: E402

for title, benchmark in (("Build time", build_time), ("Page weight", page_weight), ("Lighthouse", lighthouse),
                         ("Evidence uploads", evidence_upload), ("Evidence ZIP", evidence_zip)):
    print(f"\n## {title}\n")
    benchmark.main()
