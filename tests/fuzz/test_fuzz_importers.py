"""The roster and completion importers on random and mutated files: a file is imported or refused with a
user error (``CoursegenError``), never an unhandled exception; a refused file leaves the database exactly
as it was; and no record is lost: every data row read is either imported or rejected with a reason, and the
rejected-rows file reads back with one line per rejection."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from generator.coverage.database import open_database
from generator.coverage.importing import ImportSummary, write_rejections
from generator.coverage.records import RecordOptions, import_records
from generator.coverage.rosters import RosterOptions, import_rosters
from generator.diagnostics import CoursegenError
from generator.source.loader import load_corpus
from tests.conftest import MINI, REPO
from tests.fuzz.conftest import fuzz
from tests.fuzz.test_fuzz_loader import mutate, mutations

ROSTERS = REPO / "tests" / "coverage" / "data" / "rosters"
HEADER = ["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học"]
RECORD_HEADER = ["Mã học sinh", "Họ và tên", "Khóa học", "Bài học", "Ngày học", "Có mặt", "Điểm"]
BASE_CODES = ["3301000001", "3301000002"]
CORPUS = load_corpus(MINI)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A migrated database holding two students, copied for every example."""
    folder = tmp_path_factory.mktemp("db")
    roster = folder / "goc.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code in BASE_CODES:
            writer.writerow([code, "Nguyễn Văn An", "10A1", "Trường THPT Phố Hiến", "Phường Phố Hiến", "Hưng Yên", "2025-2026"])
    path = folder / "template.sqlite3"
    db = open_database(path)
    try:
        import_rosters(db, [roster], RosterOptions())
    finally:
        db.close()
    return path


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@contextmanager
def database(template: Path) -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "coverage.sqlite3"
        shutil.copyfile(template, path)
        yield path, Path(tmp)


def check_import(template: Path, name: str, data: bytes, kind: str = "roster") -> ImportSummary | None:
    """Import ``data`` as a file called ``name``; assert the invariants; return the summary (None: refused)."""
    with database(template) as (path, tmp):
        source = tmp / name
        source.write_bytes(data)
        before = dump(path)
        db = open_database(path)
        try:
            if kind == "roster":
                summary = import_rosters(db, [source], RosterOptions())
            else:
                summary = import_records(db, CORPUS, [source], RecordOptions(), as_of=date(2025, 12, 31))
        except CoursegenError as exc:
            assert str(exc)
            db.close()
            assert dump(path) == before, "a refused file changed the database"
            return None
        db.close()
        # Rows a records file marks absent or not attempted are skipped on purpose and counted as such.
        skipped = sum(count for label, count in summary.unchanged.items() if "(bỏ qua)" in label)
        assert summary.rows_imported + summary.rejected_count + skipped == summary.rows_read, \
            "a row was neither imported, nor rejected, nor reported as skipped"
        assert all(r.reason for r in summary.rejections)
        if summary.rejected_count:
            rejects = tmp / "tu-choi.csv"
            write_rejections(rejects, summary)
            with rejects.open(encoding="utf-8-sig", newline="") as handle:
                rows = [row for row in csv.reader(handle) if row and row[0] != "Tệp"]
            assert len(rows) == summary.rejected_count
        return summary


@fuzz(examples=150)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_bytes_are_refused_or_imported(data: bytes, suffix: str, template_db: Path):
    check_import(template_db, "ds" + suffix, data)


ORIGINALS = sorted(p for p in ROSTERS.iterdir() if p.suffix in (".csv", ".txt"))


@fuzz(examples=150)
@given(original=st.sampled_from(ORIGINALS), steps=mutations())
def test_mutated_real_rosters_are_refused_or_imported(original: Path, steps, template_db: Path):
    check_import(template_db, original.name, mutate(original.read_bytes(), steps))


CELL = st.one_of(
    st.sampled_from(["", " ", "3301000009", "3301 000 010", "'0123", "10A1", "12", "Trường THPT Phố Hiến",
                     "Phường Phố Hiến", "Xã Tiên Lữ", "Hưng Yên", "Thái Bình", "2025-2026", "2025", "x", "vắng", "8,5",
                     "10/10", "85%", "06/10/2025", "2025-10-06", "31/02/2025", "mini-dvc", "Bài 1", "mini-b02",
                     "=1+1", "=HYPERLINK(\"http://x\")", "+84912", "-1", "@SUM(A1)", "<script>alert(1)</script>",
                     "Robert'); DROP TABLE learners;--", "\x1b[2J", "a\x00b", "\u202e", "é" * 300]),
    st.text(max_size=20),
)
DELIMITERS = st.sampled_from([",", ";", "\t", "|"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"])


def table_bytes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str, title: str) -> bytes:
    text_rows = ([[title]] if title else []) + [header] + rows
    lines = []
    for row in text_rows:
        buffer = []
        for cell in row:
            if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
                cell = '"' + cell.replace('"', '""') + '"'
            buffer.append(cell)
        lines.append(delimiter.join(buffer))
    return ("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace")


@fuzz(examples=150)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=12), delimiter=DELIMITERS,
       encoding=ENCODINGS, title=st.sampled_from(["", "DANH SÁCH HỌC SINH NĂM HỌC 2025-2026"]))
def test_rosters_of_random_cells_import_every_row_or_reject_it(rows, delimiter, encoding, title, template_db: Path):
    check_import(template_db, "ds.csv", table_bytes(HEADER, rows, delimiter, encoding, title))


@fuzz(examples=120)
@given(rows=st.lists(st.lists(st.one_of(st.sampled_from(BASE_CODES), CELL), min_size=0, max_size=8), max_size=12),
       delimiter=DELIMITERS, encoding=ENCODINGS)
def test_records_of_random_cells_import_every_row_or_reject_it(rows, delimiter, encoding, template_db: Path):
    check_import(template_db, "diem-danh.csv", table_bytes(RECORD_HEADER, rows, delimiter, encoding, ""), kind="records")


XLSX_CELL = st.one_of(CELL.filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s)), st.integers(-10**12, 10**12),
                      st.floats(allow_nan=True, allow_infinity=False), st.booleans(), st.dates(), st.none())


@fuzz(examples=30, deadline_ms=10000)
@given(rows=st.lists(st.lists(XLSX_CELL, max_size=8), max_size=10), header_row=st.integers(1, 4))
def test_workbooks_of_random_cells_import_every_row_or_reject_it(rows, header_row: int, template_db: Path, tmp_path_factory):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for _ in range(header_row - 1):
        sheet.append(["DANH SÁCH HỌC SINH"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path_factory.mktemp("xlsx") / "ds.xlsx"
    workbook.save(path)
    check_import(template_db, "ds.xlsx", path.read_bytes())


UNIT = st.one_of(CELL, st.text(max_size=30)).filter(lambda s: s.strip())


@fuzz(examples=40)
@given(units=st.lists(UNIT, min_size=1, max_size=5), names=st.lists(CELL, min_size=1, max_size=5))
def test_reports_of_any_imported_names_are_written_and_hold_text(units, names, template_db: Path):
    """Whatever units and names a roster brings, the terminal, CSV and XLSX reports are written, hold no
    control characters and no formula."""
    from openpyxl import load_workbook

    from generator.coverage.cli import make_report
    from generator.coverage.export import render_table, write_csv, write_xlsx

    rows = [[f"35{i:08d}", names[i % len(names)], "10A1", unit, "Phường Phố Hiến", "Hưng Yên", "2025-2026"]
            for i, unit in enumerate(units)]
    with database(template_db) as (path, tmp):
        source = tmp / "ds.csv"
        source.write_bytes(table_bytes(HEADER, rows, ",", "utf-8", ""))
        db = open_database(path)
        try:
            import_rosters(db, [source], RosterOptions())
            report = make_report(db, CORPUS, date(2025, 12, 1))
        finally:
            db.close()
        table = render_table(report)
        assert not any(ch in table for ch in "\x1b\x07\x00")
        write_csv(report, tmp / "r.csv")
        write_xlsx(report, tmp / "r.xlsx")
        with (tmp / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
            assert csv.reader(handle)
        for sheet in load_workbook(tmp / "r.xlsx").worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row)
