"""The command line: reproducible clean builds across processes, a no-op build, and diff-manifest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.build.conftest import contents, edit, identities
from tests.conftest import REPO, run_coursegen


def build_in_subprocess(project: Path, out: Path, tz: str, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed}
    result = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(project), "build", "--out", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def test_two_clean_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    """Other folder, other process, time zone and hash seed: the same leaflets, decks, exports, site, manifest."""
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(project, moved)
    build_in_subprocess(project, tmp_path / "a", "UTC", "1")
    build_in_subprocess(moved, tmp_path / "b", "Asia/Ho_Chi_Minh", "2")
    a, b = contents(tmp_path / "a"), contents(tmp_path / "b")
    assert len([p for p in a if p.startswith("downloads/")]) == 3 * 10 + 1  # per course 6 leaflets, deck, 3 exports
    assert a == b


def test_nothing_to_do_is_said_and_nothing_is_written(project: Path) -> None:
    first = run_coursegen("-C", str(project), "build")
    assert first.returncode == 0, first.stderr
    assert "Đã xây dựng xong" in first.stderr
    before = identities(project / "site")
    again = run_coursegen("-C", str(project), "build")
    assert again.returncode == 0, again.stderr
    assert "Không có gì thay đổi từ lần dựng trước" in again.stderr
    assert "Đọc học liệu" not in again.stderr  # not even loaded
    assert identities(project / "site") == before
    clean = run_coursegen("-C", str(project), "build", "--clean")
    assert clean.returncode == 0, clean.stderr
    assert "26 phần dựng lại, 0 phần dùng lại" in clean.stderr  # 3 builders × 3 courses, 17 pages


def test_diff_manifest_tells_a_print_shop_which_leaflets_changed(project: Path, tmp_path: Path) -> None:
    assert run_coursegen("-C", str(project), "build", "--out", str(tmp_path / "release-1")).returncode == 0
    edit(project / "courses/m2-dvc/course.yml", "Làm thủ tục ngay trên điện thoại", "Làm thủ tục trên điện thoại")
    assert run_coursegen("-C", str(project), "build", "--out", str(tmp_path / "release-2")).returncode == 0

    result = run_coursegen("diff-manifest", str(tmp_path / "release-1"), str(tmp_path / "release-2" / "manifest.json"),
                           "--builder", "leaflets")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # The leaflet headline is on the A5 flyer and the tri-fold (print and proof); the citizen's large-print
    # sheet has its own words (large_print:), so it does not change.
    assert lines[0] == "Tờ rơi, tờ gấp: 4 tệp mới, đổi hoặc bỏ"
    changed = [line for line in lines if line.startswith("  đổi")]
    assert len(changed) == 4 and not any("chu-lon" in line for line in changed)
    assert all("m2-dvc" in line and "nguồn đổi: courses/m2-dvc/course.yml" in line for line in changed)
    assert lines[-1] == "Giữ nguyên: 14 tệp."  # the other two courses' leaflets, m2's large-print sheet

    everything = run_coursegen("diff-manifest", str(tmp_path / "release-1"), str(tmp_path / "release-2"))
    assert "Trang học:" in everything.stdout and "Bộ thẻ Anki" not in everything.stdout  # same deck bytes

    missing = run_coursegen("diff-manifest", str(tmp_path / "khong-co"), str(tmp_path / "release-2"))
    assert missing.returncode == 1 and "không đọc được tệp manifest.json" in missing.stderr
