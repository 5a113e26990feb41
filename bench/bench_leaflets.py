"""Leaflet throughput: how many print-ready PDFs coursegen writes per second, on one core.

Usage: .venv/bin/python bench/bench_leaflets.py [--courses 40] [--project tests/data/mini]

Every course of the project is copied under new ids (``<id>-b001`` …) so that each gets its own QR
code, then ``build_leaflets`` writes its three leaflets (A5 flyer, A4 large-print sheet for citizens, A4 tri-fold), each
as a print PDF and a proof PDF. A "leaflet" below is one PDF file. Target: at least 20 leaflets/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.builders.leaflets import build_leaflets  # noqa: E402
from generator.builders.leaflets.fonts import register_fonts  # noqa: E402
from generator.source.loader import load_corpus  # noqa: E402

TARGET = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=40, help="courses to build (copies of the project's)")
    parser.add_argument("--project", default=str(REPO / "tests" / "data" / "mini"))
    args = parser.parse_args()

    corpus = load_corpus(Path(args.project))
    base = corpus.courses
    courses = tuple(
        dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-b{i:03d}") for i in range(args.courses)
    )
    register_fonts()  # one-off start-up cost, not per leaflet
    with tempfile.TemporaryDirectory() as tmp:
        build_leaflets(corpus, Path(tmp) / "warm", courses[:1])
        started = time.perf_counter()
        written, errors = build_leaflets(corpus, Path(tmp) / "out", courses)
        elapsed = time.perf_counter() - started
        files = sorted((Path(tmp) / "out").iterdir())
        size = sum(f.stat().st_size for f in files)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    pdfs = len(files)
    rate = pdfs / elapsed
    print(f"courses: {len(courses)}, leaflet layouts: {len(written)}, PDF files: {pdfs}")
    print(f"time: {elapsed:.2f} s, {rate:.1f} leaflets (PDF files)/s, {len(courses) / elapsed:.2f} courses/s,"
          f" {size / pdfs / 1024:.0f} KiB per PDF on average")
    print(f"target >= {TARGET:.0f} leaflets/s: {'met' if rate >= TARGET else 'NOT met'}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
