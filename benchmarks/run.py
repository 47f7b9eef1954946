"""Run every benchmark and print its table: python benchmarks/run.py (or make benchmarks, which builds first)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    build_time,
    cold_start,
    contracts_list,
    council_list,
    evidence_upload,
    evidence_zip,  # noqa: E402
    lighthouse,
    page_weight,
)

for title, benchmark in (
    ("Build time", build_time),
    ("Page weight", page_weight),
    ("Lighthouse", lighthouse),
    ("Cold start", cold_start),
    ("Evidence uploads", evidence_upload),
    ("Evidence ZIP", evidence_zip),
    ("Council list at scale", council_list),
    ("Contracts at scale", contracts_list),
):
    print(f"\n## {title}\n")
    benchmark.main()
