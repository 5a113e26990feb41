"""A killed process or a full disk during ``coursegen build`` or an import leaves the previous outputs and
the database exactly as they were, says so in Vietnamese (no traceback), and the next run succeeds."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI, REPO, run_coursegen

FULL = "ổ đĩa đã hết chỗ trống"


def tree(path: Path) -> dict[str, str]:
    """Every file below ``path`` with its SHA-256: two equal trees are byte-identical."""
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def with_fault(*fault: str, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.hostile.faultinject", *fault, "--", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("faults") / "project"
    shutil.copytree(MINI, project)
    result = run_coursegen("-C", str(project), "build")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    """A built project whose sources then changed, so the next build really rebuilds everything."""
    target = tmp_path / "project"
    shutil.copytree(built_once, target, symlinks=True)
    course = target / "courses/mini-dvc/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("Khóa học ngắn", "Khóa học rất ngắn"), encoding="utf-8")
    return target


def staged_files(project: Path) -> list[Path]:
    return [p for d in project.glob(".site.tmp-*") for p in d.rglob("*") if p.is_file()]


@pytest.mark.parametrize("moment", ["first-output", "site-pages"])
def test_killed_build_leaves_the_site_as_it_was(project: Path, moment: str):
    before = tree(project / "site")
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(project), "build"], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while True:
            files = staged_files(project)
            if moment == "first-output" and files:
                break
            if moment == "site-pages" and any(p.suffix == ".html" for p in files):
                break
            assert process.poll() is None, f"the build ended (exit {process.returncode}) before the moment {moment}"
            assert time.monotonic() < deadline, "the build never reached the moment to kill it"
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes, as a power cut would
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert tree(project / "site") == before
    rerun = run_coursegen("-C", str(project), "build")
    assert rerun.returncode == 0, rerun.stderr
    assert "Khóa học rất ngắn" in (project / "site/khoa-hoc/index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


@pytest.mark.parametrize("allowed", [0, 10, 20])
def test_disk_full_during_build_keeps_the_site(project: Path, allowed: int):
    """The write number ``allowed + 1`` of every process fails: in the decks and exports workers (0), while
    mkdocs copies the theme (10), while it writes pages (20). (The site no longer ships lunr's ~40 files,
    so the pages come after about 20 writes, not 50.)"""
    before = tree(project / "site")
    result = with_fault(".site.tmp-", str(allowed), "ENOSPC", args=["-C", str(project), "build"])
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert FULL in result.stderr and "Đầu ra cũ và cơ sở dữ liệu được giữ nguyên" in result.stderr, result.stderr
    assert tree(project / "site") == before
    assert leftovers(project) == []
    assert run_coursegen("-C", str(project), "build").returncode == 0


def test_read_only_disk_is_named(project: Path):
    result = with_fault(".site.tmp-", "0", "EROFS", args=["-C", str(project), "build"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ổ đĩa chỉ cho phép đọc" in result.stderr and ".site.tmp-" in result.stderr, result.stderr


def roster(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học"])
        for i in range(rows):
            writer.writerow([f"34{i:08d}", f"Người Học Số {i}", "11A1", "Trường THPT Phố Hiến", "Phường Phố Hiến",
                             "Hưng Yên", "2025-2026"])
    return path


def dump(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_disk_full_during_import_keeps_the_database(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    db = tmp_path / "coverage.sqlite3"
    first = run_coursegen("-C", str(project), "coverage", "import-roster", "--db", str(db), str(roster(tmp_path / "a.csv", 50)))
    assert first.returncode == 0, first.stderr
    before = dump(db)
    big = roster(tmp_path / "b.csv", 3000)
    result = with_fault("sqlite-full", "2", args=["-C", str(project), "coverage", "import-roster", "--db", str(db), str(big)])
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "cơ sở dữ liệu không ghi được" in result.stderr and "dữ liệu cũ được giữ nguyên" in result.stderr
    assert dump(db) == before
    again = run_coursegen("-C", str(project), "coverage", "import-roster", "--db", str(db), str(big))
    assert again.returncode == 0, again.stderr


def test_disk_full_while_writing_a_report_keeps_the_old_report(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    db = tmp_path / "coverage.sqlite3"
    assert run_coursegen("-C", str(project), "coverage", "import-roster", "--db", str(db),
                         str(roster(tmp_path / "a.csv", 20))).returncode == 0
    out = tmp_path / "bao-cao.xlsx"
    command = ["-C", str(project), "coverage", "report", "--db", str(db), "--as-of", "2025-12-01", "--out", str(out)]
    assert run_coursegen(*command).returncode == 0
    before = out.read_bytes()
    result = with_fault("bao-cao", "0", "ENOSPC", args=command)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert FULL in result.stderr or "No space left" in result.stderr, result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "bao-cao" in p.name) == ["bao-cao.xlsx"]
