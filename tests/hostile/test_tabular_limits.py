"""Hostile rosters (issue 27, points 3, 4, 5 and 9): tiny or crafted XLSX, ODS and CSV files that once
hung the import, took it to 3–4 GB or ended in an ``xml.etree`` traceback. Each is imported by the
real command in a child process under an address-space limit (``RLIMIT_AS``) and a time limit: the
exact Vietnamese refusal, exit 1, no traceback, the database as it was. Files come from the small
generators of ``tabular.py``."""

from __future__ import annotations

import csv
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.hostile import tabular

MEMORY_LIMIT = 512 << 20  # a normal roster import runs in under 200 MB of address space
TIME_LIMIT = 20.0  # seconds; each of these files is refused or read in about one
REPO = Path(__file__).resolve().parents[2]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_capped(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=REPO, capture_output=True, text=True,
                            preexec_fn=_cap_memory, timeout=120)
    return result, time.perf_counter() - started


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    return target


def learners(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT COUNT(*) FROM learners").fetchone()[0]
    finally:
        connection.close()


REFUSED = [
    ("ds.xlsx", tabular.far_row, 'ds.xlsx, trang DS: số dòng 2000000000 không hợp lệ (phải tăng dần và không quá 1.048.576)'),
    ("ds.xlsx", tabular.shared_strings_bomb,
     ("ds.xlsx: bảng chuỗi dùng chung (xl/sharedStrings.xml) giải nén ra 109,7 MB từ ",
      " KB, vượt giới hạn 64 MB hoặc tỷ lệ nén 200:1; tệp không phải danh sách thông thường")),
    ("ds.xlsx", tabular.styles_bomb,
     ("ds.xlsx: bảng định dạng (xl/styles.xml) giải nén ra 3,6 MB từ ", " KB, vượt giới hạn 8 MB hoặc tỷ lệ nén 200:1")),
    ("ds.xlsx", tabular.wide_row,
     ("ds.xlsx: trang tính DS (xl/worksheets/sheet1.xml) giải nén ra 152,6 MB từ ",
      " KB, vượt giới hạn 512 MB hoặc tỷ lệ nén 200:1")),
    ("ds.xlsx", tabular.far_column, "ds.xlsx, trang DS, dòng 3: có ô ở cột thứ 16384, quá giới hạn 1024 cột"),
    ("ds.xlsx", tabular.malformed_sheet, "ds.xlsx, trang DS: nội dung trang tính không phải XML hợp lệ"),
    ("ds.xlsx", tabular.entity_strings,
     "ds.xlsx: phần xl/sharedStrings.xml có khai báo DOCTYPE/ENTITY, không có trong sổ tính thật; tệp bị từ chối"),
    ("ds.ods", tabular.ods_repeated_rows, "ds.ods, trang DS: quá 1.048.576 dòng"),
    ("ds.ods", tabular.ods_repeated_columns, "ds.ods, trang DS, dòng 2: có ô ở cột thứ 16384, quá giới hạn 1024 cột"),
    ("ds.csv", tabular.csv_long_line, "ds.csv, dòng 2: tệp CSV hỏng (dòng dài hơn 1 MB); tệp không phải danh sách thông thường"),
    ("ds.csv", tabular.csv_wide_rejects, "ds.csv, dòng 2: có 100.007 cột, quá giới hạn 1024 cột"),
]


@pytest.mark.parametrize("name, make, message", REFUSED, ids=[make.__name__ for _, make, _ in REFUSED])
def test_hostile_workbook_is_refused_in_bounded_time_and_memory(project, tmp_path, name, make, message):
    path = make(tmp_path / name)
    db = tmp_path / "coverage.sqlite3"
    result, elapsed = run_capped("-C", str(project), "coverage", "import-roster", "--db", str(db), str(path))
    report = f"\n--- stderr\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, report
    assert result.returncode == 1, report
    assert result.stderr.startswith("Lỗi: ") and result.stderr.count("\n") == 1, report  # one line, the refusal
    for phrase in (message,) if isinstance(message, str) else message:
        assert phrase in result.stderr, f"{phrase!r} not in the message" + report
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"
    assert learners(db) == 0


ACCEPTED = [
    (tabular.last_excel_row, 2, 0),  # a student on row 1,048,576: read without walking the gap
    (tabular.ods_empty_rows, 1, 0),  # a billion empty rows after the data
    (tabular.dimension_and_rejects, 1, 20_000),  # a whole-sheet <dimension> and 20,000 rejected rows
]


@pytest.mark.parametrize("make, imported, rejected", ACCEPTED, ids=[a[0].__name__ for a in ACCEPTED])
def test_sparse_or_padded_workbook_is_read_in_bounded_time_and_memory(project, tmp_path, make, imported, rejected):
    path = make(tmp_path / ("ds.ods" if "ods" in make.__name__ else "ds.xlsx"))
    db, rejects = tmp_path / "coverage.sqlite3", tmp_path / "tu-choi.csv"
    result, elapsed = run_capped("-C", str(project), "coverage", "import-roster", "--db", str(db), "--rejects",
                                 str(rejects), str(path))
    report = f"\n--- stderr\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, report
    assert result.returncode == (1 if rejected else 0), report
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"
    assert learners(db) == imported
    if rejected:
        assert f"Dòng bị từ chối ({rejected})" in result.stderr
        with rejects.open(encoding="utf-8-sig", newline="") as handle:
            written = list(csv.reader(handle))
        assert len(written) == rejected + 1
        assert max(len(row) for row in written) == 3 + len(tabular.HEADER)  # no padding to the declared 16,384 columns


def test_more_rejected_rows_than_kept_are_counted_plainly(project, tmp_path):
    """Point 9: the rejected-rows file holds the first 100,000 rows and the command says how many it left out."""
    path = tabular.csv_many_rejects(tmp_path / "ds.csv")
    db, rejects = tmp_path / "coverage.sqlite3", tmp_path / "tu-choi.csv"
    result, elapsed = run_capped("-C", str(project), "coverage", "import-roster", "--db", str(db), "--rejects",
                                 str(rejects), str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "Dòng bị từ chối (100050)" in result.stderr
    assert (f"Đã ghi 100000 dòng bị từ chối đầu tiên kèm lý do vào {rejects}; 50 dòng bị từ chối khác KHÔNG được"
            " ghi") in result.stderr
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 100_001
    assert elapsed < 60
