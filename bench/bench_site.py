"""Site build: coursegen (plugin + generated pages + folded search + offline zip) vs plain mkdocs.

Usage: python -m bench.bench_site [--courses 100] [--lessons 10] [--repeat 3]

For the bundled corpus and a generated one, the same Markdown that coursegen generates is written
to a plain docs folder and built by plain ``mkdocs build`` (same theme, extensions, search and
offline plugins, no coursegen plugin) in the same run. Reports seconds (best of N), pages per second
and coursegen's overhead ratio. Target: overhead at most 20%.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from bench.make_corpus import make_corpus
from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.site import pages
from generator.builders.site.plugin import ASSETS
from generator.source.loader import load_corpus

REPO = Path(__file__).resolve().parent.parent


def plain_project(root: Path, work: Path) -> Path:
    """The generated Markdown, media and assets as a plain mkdocs project (no coursegen plugin)."""
    corpus = load_corpus(root)
    docs = work / "docs"
    for page in pages.all_pages(corpus, []):
        target = docs / page.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        # the same content a hand-written site would carry: quizzes written into the Markdown
        markdown = pages.fill_quiz_slots(corpus, page.markdown)
        target.write_text(markdown, encoding="utf-8")
    for course in corpus.courses:
        if course.media_dir.is_dir():
            shutil.copytree(course.media_dir, docs / pages.course_dir(course) / "media", dirs_exist_ok=True)
    shutil.copytree(ASSETS, docs / "assets")
    config = yaml.unsafe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "coursegen"]
    config["nav"] = pages.nav(corpus, [])
    config["extra_css"] = ["assets/coursegen/coursegen.css"]
    config["extra_javascript"] = ["assets/coursegen/quiz.js"]
    config["extra"] = {"polyfills": ["assets/vendor/iframe-worker/shim.js"]}
    config.pop("watch", None)
    config["validation"] = {"omitted_files": "info", "absolute_links": "info", "unrecognized_links": "info", "anchors": "info"}
    config["strict"] = False
    (work / "mkdocs.yml").write_text(yaml.dump(config, allow_unicode=True), encoding="utf-8")
    return work / "mkdocs.yml"


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(label: str, root: Path, repeat: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        config_file = plain_project(root, work / "plain")
        page_count = sum(1 for _ in (work / "plain" / "docs").rglob("*.md"))

        def plain() -> None:
            mkdocs_build(load_config(config_file=str(config_file), site_dir=str(work / "plain-site")))

        def ours() -> None:
            build_project(root, work / "site", only=["site"], progress=Progress(quiet=True), clean=True)

        plain_s = best(repeat, plain)
        ours_s = best(repeat, ours)
        print(f"{label}: {page_count} trang | mkdocs thuần {plain_s:.2f} s ({page_count / plain_s:.0f} trang/s)"
              f" | coursegen {ours_s:.2f} s ({page_count / ours_s:.0f} trang/s)"
              f" | chi phí thêm {100 * (ours_s / plain_s - 1):+.1f}%")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    measure("Bộ khóa học kèm theo", REPO, args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        root = make_corpus(Path(tmp) / "corpus", args.courses, args.lessons, 50)
        measure(f"Bộ sinh tự động {args.courses}×{args.lessons}", root, args.repeat)


if __name__ == "__main__":
    main()
