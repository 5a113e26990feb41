"""Whole builds at province scale: clean, nothing changed, one lesson edited.

Usage: .venv/bin/python -m bench.bench_build [--courses 100] [--lessons 10] [--questions 50] [--repeat 1]
                                              [--corpus DIR]

Generates the large synthetic corpus (``bench/make_corpus.py``, 100 courses × 10 lessons × 50 questions
with images) unless ``--corpus`` names one, then runs the real command line ``coursegen build`` in a
subprocess, as a user does, three ways:

1. clean (``--clean``: site, every leaflet, deck and export, offline zip, manifest);
2. again with nothing changed;
3. after editing one lesson of one course.

For each: wall time, CPU time of coursegen and its worker processes, the largest resident memory of
one process (``getrusage(RUSAGE_CHILDREN)``) and the largest total of the process tree (sampled from
/proc every 50 ms), and the load average before the run (other work on the machine slows every
figure). After the edit, the two manifests are compared: outputs of the other courses must be
untouched. Targets: clean < 60 s and < 2 GB, nothing changed < 2 s, one lesson < 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.make_corpus import make_corpus  # noqa: E402


@dataclass
class Run:
    label: str
    wall: float
    cpu: float
    peak_process_mb: float
    peak_tree_mb: float
    load: float
    stderr: str


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, now."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _rss_kb(current)
        stack += _children(current)
    return total


def run_build(label: str, project: Path, *extra: str) -> Run:
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(project), "build", *extra],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{label}: coursegen build thất bại:\n{stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(label, wall, cpu, after.ru_maxrss / 1024, peak / 1024, load, stderr)


def manifest(project: Path) -> dict:
    return json.loads((project / "site" / "manifest.json").read_text(encoding="utf-8"))


def untouched(before: dict, after: dict, course: str) -> tuple[int, list[str]]:
    """(how many outputs of other courses' leaflets, decks and exports kept their bytes, which changed)."""
    same, changed = 0, []
    for path, record in after["outputs"].items():
        if record["course"] in (None, course) or record["builder"] == "site":
            continue
        if before["outputs"].get(path, {}).get("sha256") == record["sha256"]:
            same += 1
        else:
            changed.append(path)
    return same, changed


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def show(run: Run, target: str) -> None:
    print(f"{run.label:<28} {run.wall:7.2f} s  (CPU {run.cpu:6.1f} s, bộ nhớ lớn nhất: 1 tiến trình "
          f"{run.peak_process_mb:6.0f} MB, cả cây {run.peak_tree_mb:6.0f} MB; tải máy trước khi chạy {run.load:.2f})"
          f"  mục tiêu {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1, help="lần chạy mỗi loại; báo lần nhanh nhất")
    parser.add_argument("--corpus", type=Path, help="dùng bộ học liệu có sẵn (được chép, không bị sửa)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        project = work / "corpus"
        if args.corpus:
            shutil.copytree(args.corpus, project, ignore=shutil.ignore_patterns("site", ".site*", ".coursegen-cache"))
        else:
            make_corpus(project, args.courses, args.lessons, args.questions)
        courses = sorted(p.name for p in (project / "courses").iterdir() if p.is_dir())
        lessons = sum(len(list((project / "courses" / c / "lessons").glob("*.md"))) for c in courses)
        print(f"Bộ học liệu: {len(courses)} khóa học, {lessons} bài học; máy có {os.cpu_count()} nhân")

        clean = [run_build("Dựng sạch", project, "--clean") for _ in range(args.repeat)]
        noop = [run_build("Không có gì thay đổi", project) for _ in range(args.repeat)]
        if any("Không có gì thay đổi" not in r.stderr for r in noop):
            print("  (mã nguồn coursegen đổi trong lúc đo: lần dựng 'không đổi' phải dựng lại; hãy chạy lại)")
        edited = []
        course = courses[len(courses) // 2]
        lesson = sorted((project / "courses" / course / "lessons").glob("*.md"))[0]
        for index in range(args.repeat):
            before = manifest(project)
            with lesson.open("a", encoding="utf-8") as handle:
                handle.write(f"\nĐoạn bổ sung số {index + 1}: người dân tra cứu hồ sơ trên Cổng Dịch vụ công quốc gia.\n")
            edited.append(run_build("Sửa một bài học", project))
            same, changed = untouched(before, manifest(project), course)
        steps = [line for line in edited[-1].stderr.splitlines() if line.startswith(("[", "Cần dựng"))]

        print()
        show(best(clean), "< 60 s, < 2 GB")
        show(best(noop), "< 2 s")
        show(best(edited), "< 10 s")
        print(f"\nSau khi sửa {lesson.relative_to(project)}:")
        for line in steps:
            print(f"  {line}")
        print(f"  Tờ rơi, bộ thẻ, ngân hàng câu hỏi của các khóa khác: {same} tệp giữ nguyên byte,"
              f" {len(changed)} tệp đổi{': ' + ', '.join(changed[:5]) if changed else ''}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
