"""Site search on a large corpus: index size, and load and query time in Chromium slowed to a cheap phone.

Usage: python -m bench.bench_search [--courses 100] [--lessons 10] [--cpu-slowdown 6]

Builds the site of a generated corpus (``bench.make_corpus``; 100×10 = 1,000 lessons by default), then
opens it from file:// in headless Chromium with the CPU throttled (DevTools ``setCPUThrottlingRate``) and
times what the search worker does: building its syllable index from ``search_index.js`` once, then a set
of multi-syllable queries with and without diacritics.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.make_corpus import make_corpus
from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from tests.browser import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
QUERIES = ["lệ phí", "le phi", "đăng ký", "dang ky", "hồ sơ", "mã hồ sơ", "tam tru", "dinh danh dien tu"]
WORKER = REPO / "generator/site/assets/coursegen/search-worker.js"


def measure(site: Path, slowdown: float) -> None:
    index = site / "search/search_index.json"
    raw = index.read_bytes()
    print(f"chỉ mục tìm kiếm: {len(raw) / 1e6:.2f} MB ({len(gzip.compress(raw)) / 1e6:.2f} MB nén gzip), "
          f"công cụ tìm kiếm {WORKER.stat().st_size / 1e3:.1f} KB")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((site / "index.html").resolve().as_uri())
        page.add_script_tag(content=WORKER.read_text(encoding="utf-8"))
        page.add_script_tag(path=str(site / "search/search_index.js"))  # what Material loads from file://
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        setup = page.evaluate("() => { const t = performance.now(); coursegenSearch.setup(__index);"
                              " return performance.now() - t; }")
        docs = page.evaluate("__index.docs.length")
        print(f"CPU chậm {slowdown:g}×: dựng chỉ mục {docs} mục trong {setup:.0f} ms")
        for query in QUERIES:
            ms, groups = page.evaluate("""q => { const t = performance.now(); const r = coursegenSearch.search(q);
                return [performance.now() - t, r.items.length]; }""", query)
            print(f"  “{query}”: {ms:.0f} ms, {groups} trang")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--cpu-slowdown", type=float, default=6)
    args = parser.parse_args()
    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    print("Bộ khóa học kèm theo:")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        build_project(REPO, Path(tmp) / "site", only=["site"], progress=Progress(quiet=True), clean=True)
        measure(Path(tmp) / "site", args.cpu_slowdown)
        print(f"Bộ sinh tự động {args.courses}×{args.lessons} bài:")
        root = make_corpus(Path(tmp) / "corpus", args.courses, args.lessons, 20)
        build_project(root, Path(tmp) / "big", only=["site"], progress=Progress(quiet=True), clean=True)
        measure(Path(tmp) / "big", args.cpu_slowdown)


if __name__ == "__main__":
    main()
