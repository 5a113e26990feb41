"""An import killed halfway leaves the database as it was; bad files change nothing; streaming reads."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from generator.coverage.rosters import ROSTER_FIELDS
from generator.coverage.tables import read_csv
from tests.conftest import REPO
from tests.coverage.conftest import ROSTERS, connect, coverage, dump, is_pg

COMMUNES = ["Phường Phố Hiến", "Phường Sơn Nam", "Phường Hồng Châu", "Xã Tiên Lữ", "Xã Nguyễn Du", "Xã Quỳnh Phụ"]


def big_roster(path: Path, rows: int) -> Path:
    """A school-year roster of ``rows`` students (large enough that SQLite spills pages to the file)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học"])
        for i in range(rows):
            writer.writerow([f"33{i:08d}", f"Nguyễn Văn Người Học Số {i}", f"1{i % 3}A{i % 9}",
                             f"Trường THPT Số {i % 40}", COMMUNES[i % 6], "Hưng Yên", "2025-2026"])
    return path


def in_transaction(url: str) -> bool:
    """True while another session of this PostgreSQL database sits in an open transaction."""
    connection = connect(url)
    try:
        return bool(connection.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle in transaction' AND pid <> pg_backend_pid()").fetchone()[0])
    finally:
        connection.close()


def wait_for_pause(process: subprocess.Popen, stage: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if f"COURSEGEN-PAUSED {stage}" in line:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"the import ended before pausing at {stage} (exit {process.returncode})")
    raise AssertionError(f"no pause at {stage} within {timeout} s")


@pytest.mark.parametrize("stage", ["staged", "merged"])
def test_import_killed_halfway_leaves_the_database_as_it_was(project, db_path, tmp_path, stage):
    assert coverage(project, db_path, "import-roster", str(ROSTERS / "ds-hoc-sinh-nfd.csv")).returncode == 0
    before_dump = dump(db_path)
    before_size = 0 if is_pg(db_path) else db_path.stat().st_size
    roster = big_roster(tmp_path / "ds-lon.csv", 30_000)
    # SQLite's default 2 MB page cache, so pages spill to the file before the commit (the hard case).
    env = {**os.environ, "COURSEGEN_COVERAGE_TEST_PAUSE": stage, "COURSEGEN_SQLITE_CACHE_KB": "2000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "-C", str(project), "coverage", "import-roster", "--db", str(db_path),
         str(roster)],
        cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        wait_for_pause(process, stage)
        if stage == "merged" and is_pg(db_path):
            # Every row has been written inside the open transaction, only the commit is missing.
            assert in_transaction(db_path)
        elif stage == "merged":
            journal = db_path.with_name(db_path.name + "-journal")
            # Every row has been written (the file grew as pages spilled), only the commit is missing.
            assert journal.exists()
            assert db_path.stat().st_size > before_size
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert dump(db_path) == before_dump  # SQLite: the hot journal was rolled back on the next open
    if not is_pg(db_path):
        connection = connect(db_path)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()
    # And the same import, run to the end, then works.
    result = coverage(project, db_path, "import-roster", str(roster))
    assert result.returncode == 0, result.stderr
    assert "người học mới: 30000" in result.stderr


def test_records_import_killed_before_commit_leaves_the_database_as_it_was(project, db_path, tmp_path):
    roster = big_roster(tmp_path / "ds.csv", 12_000)
    assert coverage(project, db_path, "import-roster", str(roster)).returncode == 0
    records = tmp_path / "diem-danh.csv"
    with records.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã học sinh", "Khóa học", "Bài học", "Điểm", "Ngày"])
        for i in range(12_000):
            writer.writerows([[f"33{i:08d}", "mini-dvc", "1", "", "06/10/2025"],
                              [f"33{i:08d}", "mini-dvc", "2", "8", "13/10/2025"]])
    before_dump = dump(db_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "-C", str(project), "coverage", "import-records", "--db", str(db_path),
         "--as-of", "2025-11-30", str(records)],
        cwd=REPO, env={**os.environ, "COURSEGEN_COVERAGE_TEST_PAUSE": "merged"}, stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL, text=True,
    )
    try:
        wait_for_pause(process, "merged")
        if is_pg(db_path):
            assert in_transaction(db_path)
        else:
            assert db_path.with_name(db_path.name + "-journal").exists()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert dump(db_path) == before_dump
    result = coverage(project, db_path, "import-records", "--as-of", "2025-11-30", str(records))
    assert "lượt điểm danh mới: 24000" in result.stderr and "kết quả kiểm tra mới: 12000" in result.stderr


def test_a_file_that_fails_midway_through_reading_writes_nothing(project, db_path, tmp_path):
    """Rows 2-5001 are good UTF-8, then comes a Windows-1258 line: with --encoding utf-8 forced, the
    read fails after thousands of rows were staged, and the whole import (both files) is undone."""
    good = big_roster(tmp_path / "tot.csv", 5000)
    broken = tmp_path / "hong.csv"
    broken.write_bytes(good.read_bytes() + "3300009999,Lê Văn Tám,10A1,THPT A,Phố Hiến,Hưng Yên,2025-2026\n"
                       .encode("cp1258", errors="replace").replace(b"?", b"\xe0"))
    coverage(project, db_path, "import-roster", str(ROSTERS / "ds-hoc-sinh-nfd.csv"))
    before = dump(db_path)
    result = coverage(project, db_path, "import-roster", "--encoding", "utf-8", str(ROSTERS / "ds-hoc-sinh-nfd.csv"),
                      str(broken))
    assert result.returncode == 1
    assert "Lỗi: hong.csv: không đọc được với bảng mã utf-8 (invalid continuation byte)" in result.stderr
    assert dump(db_path) == before


def test_csv_reader_streams(tmp_path):
    """Reading a 60,000-row roster holds only a few rows at a time (peak far below the file size)."""
    roster = big_roster(tmp_path / "ds.csv", 60_000)
    size = roster.stat().st_size
    tracemalloc.start()
    try:
        table = read_csv(roster, ROSTER_FIELDS)
        count = sum(1 for _ in table.scan())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 60_000
    assert size > 5_000_000
    assert peak < 1_000_000, f"peak {peak} bytes for a {size}-byte file"
