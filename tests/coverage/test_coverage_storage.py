"""Storage: numbered migrations, refusing what it does not understand; outputs safe in spreadsheets."""

from __future__ import annotations

import csv
import os
from datetime import date

import pytest
from openpyxl import load_workbook

from generator.coverage import cli as coverage_cli
from generator.coverage import facts
from generator.coverage.database import open_database
from generator.coverage.export import write_csv, write_xlsx
from generator.coverage.facts import CoverageFact
from generator.coverage.migrations import LATEST, MIGRATIONS
from generator.coverage.report import build_report
from generator.diagnostics import CoursegenError
from generator.model import Audience, CoverageTargets
from generator.source.loader import load_corpus
from tests.coverage.conftest import ROSTERS, connect, coverage, is_pg, new_pg_database


def test_a_new_database_gets_every_migration_once(db_path):
    db = open_database(db_path)
    db.close()
    open_database(db_path).close()  # opening again applies nothing twice
    connection = connect(db_path)
    versions = connection.execute("SELECT version, description FROM schema_version ORDER BY version").fetchall()
    tables = {row[0] for row in connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'" if is_pg(db_path)
        else "SELECT name FROM sqlite_master WHERE type = 'table'")}
    connection.close()
    assert versions == [(m.version, m.description) for m in MIGRATIONS]
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))
    assert {"schema_version", "units", "learners", "enrollments", "attendance", "quiz_results", "imports"} <= tables


def test_a_version_1_database_is_upgraded_with_its_data_and_reports_the_same(project, db_path, backend, request,
                                                                              monkeypatch, tmp_path):
    """A database made by the first release (schema 1: no stored completions) is migrated in place
    when opened; its report is the one the same data gives in a new database."""
    from generator.coverage import migrations
    from tests.coverage.test_coverage_worked import WORKED_STEPS

    for step in WORKED_STEPS:
        assert coverage(project, db_path, *step).returncode == 0
    expected = coverage(project, db_path, "report", "--as-of", "2025-11-30")
    assert expected.returncode == 0 and "Lai Châu" in expected.stdout
    old = (tmp_path / "v1.sqlite3" if backend == "sqlite"
           else request.getfixturevalue("pg_server").create_database(f"schema_v1_{os.getpid()}"))
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST", 1)
    open_database(old).close()
    monkeypatch.undo()
    source, target = connect(db_path), connect(old)
    for table, columns in (
        ("units", "id, audience, province_code, name_key, name"), ("learners", "id, audience, code, full_name"),
        ("enrollments", "learner_id, period, unit_id, province_code, commune_code, grade, class_name"),
        ("attendance", "learner_id, course_id, lesson_id, attended_on"),
        ("quiz_results", "learner_id, course_id, taken_on, score_bp"),
    ):
        rows = source.execute(f"SELECT {columns} FROM {table}").fetchall()
        assert rows, table
        for row in rows:
            target.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})", row)
    target.commit()
    source.close()
    assert target.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    target.close()
    upgraded = coverage(project, old, "report", "--as-of", "2025-11-30")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout == expected.stdout
    check = connect(old)
    assert check.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST
    assert check.execute("SELECT COUNT(*) FROM completions").fetchone()[0] > 0
    check.close()


def test_a_database_from_a_newer_coursegen_is_refused(db_path):
    open_database(db_path).close()
    connection = connect(db_path)
    connection.execute("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01')", (LATEST + 1,))
    connection.commit()
    connection.close()
    with pytest.raises(CoursegenError, match=f"lược đồ phiên bản {LATEST + 1}, mới hơn"):
        open_database(db_path)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(project, tmp_path):
    not_db = tmp_path / "ds.csv"
    not_db.write_text("Mã học sinh,Họ và tên\n" * 200, encoding="utf-8")
    before = not_db.read_bytes()
    result = coverage(project, not_db, "status")
    assert result.returncode == 1
    assert "không phải tệp cơ sở dữ liệu SQLite của coursegen" in result.stderr
    assert not_db.read_bytes() == before


def test_reports_need_an_existing_database(project, tmp_path):
    result = coverage(project, tmp_path / "chua-co.sqlite3", "report")
    assert result.returncode == 1
    assert "chưa có cơ sở dữ liệu" in result.stderr
    assert not (tmp_path / "chua-co.sqlite3").exists()


def test_reports_need_coverage_tables_in_a_postgresql_database(project, pg_server):
    url = new_pg_database(pg_server)
    result = coverage(project, url, "report")
    assert result.returncode == 1
    assert f"chưa có dữ liệu độ phủ trong {url}" in result.stderr
    wrong = url.replace("postgres@127.0.0.1:", "postgres:mat-khau-bi-mat@127.0.0.1:1")
    refused = coverage(project, wrong, "status")
    assert refused.returncode == 1 and "không kết nối được cơ sở dữ liệu PostgreSQL" in refused.stderr
    assert "mat-khau-bi-mat" not in refused.stderr


def test_default_database_is_in_the_project(project):
    from tests.conftest import run_coursegen

    imported = run_coursegen("-C", str(project), "coverage", "import-roster", str(ROSTERS / "ds-hoc-sinh-nfd.csv"))
    assert imported.returncode == 0, imported.stderr
    result = run_coursegen("-C", str(project), "coverage", "status")
    assert result.returncode == 0, result.stderr
    assert (project / "coverage.sqlite3").is_file()
    assert f"Cơ sở dữ liệu: {project / 'coverage.sqlite3'} (lược đồ phiên bản {LATEST})" in result.stdout
    assert "Học sinh trung học phổ thông, 2025-2026: 2 người học" in result.stdout


def test_the_cli_default_trend_matches_the_facts_default():
    assert coverage_cli.DEFAULT_TREND_DAYS == facts.DEFAULT_TREND_DAYS


@pytest.fixture
def injected_report(mini_project):
    course = load_corpus(mini_project).courses[0]
    names = ["=HYPERLINK(\"http://x.example\",\"Bấm\")", "+1+2", "-3", "@SUM(A1)", "Trường THPT Bình thường"]
    rows = [CoverageFact(course.id, Audience.STUDENTS, "2025-2026", 12, 3388, i, name, 20, 10, 1)
            for i, name in enumerate(names)]
    return build_report(rows, [course], CoverageTargets(), date(2025, 11, 15)), names


def test_xlsx_writes_formula_like_names_as_text(injected_report, tmp_path):
    report, names = injected_report
    out = tmp_path / "bao-cao.xlsx"
    write_xlsx(report, out)
    units = load_workbook(out)["Đơn vị theo xã"]
    column = next(c.column for c in units[8] if c.value == "Đơn vị (trường, cơ quan, tổ)")
    cells = [row[0] for row in units.iter_rows(min_row=9, min_col=column, max_col=column) if row[0].value in names]
    assert sorted(cell.value for cell in cells) == sorted(names)
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(name in out.read_bytes().decode("latin-1") for name in ("<f>", "<f "))


def test_csv_neutralises_formula_like_names(injected_report, tmp_path):
    report, _ = injected_report
    out = tmp_path / "bao-cao.csv"
    write_csv(report, out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        units = [row["Đơn vị"] for row in csv.DictReader(handle) if row["Đơn vị"]]
    assert sorted(units) == sorted(["'=HYPERLINK(\"http://x.example\",\"Bấm\")", "'+1+2", "'-3", "'@SUM(A1)",
                                    "Trường THPT Bình thường"])


def test_report_files_are_replaced_whole(injected_report, tmp_path, monkeypatch):
    report, _ = injected_report
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "bao-cao.xlsx"
    out.write_bytes(b"old report")

    def broken_save(self, filename):
        raise OSError("đĩa đầy")

    monkeypatch.setattr("openpyxl.Workbook.save", broken_save)
    with pytest.raises(CoursegenError, match="không ghi được"):
        write_xlsx(report, out)
    assert out.read_bytes() == b"old report"
    assert [p.name for p in out.parent.iterdir()] == ["bao-cao.xlsx"]


def test_the_row_writer_inserts_each_new_row_once_and_counts_only_those(db_path, backend, monkeypatch):
    """``RowWriter`` with ``DO NOTHING``: batches of 3 rows (as if 100,000), some new, some holding a
    row already stored or a row twice. PostgreSQL copies clean batches straight into the table and
    sends the others to its stage, until three batches have failed; SQLite inserts row by row. The
    table ends with each distinct row once, and the count is the rows that were new."""
    from generator.coverage import storage

    monkeypatch.setattr(storage, "WRITE_BATCH", 3)
    monkeypatch.setattr(storage, "COPY_BATCH", 3)
    targets: list[str] = []
    real_copy = storage.RowWriter._copy

    def spying_copy(self, target, rows):
        targets.append("table" if target == self.table else "stage")
        return real_copy(self, target, rows)

    monkeypatch.setattr(storage.RowWriter, "_copy", spying_copy)

    def row(learner: int, day: int) -> tuple:
        return (learner, "mini-dvc", "mini-b01", f"2025-10-{day:02d}")

    stored = [row(1, 1), row(2, 1)]
    batches = [
        [row(3, 1), row(4, 1), row(5, 1)],  # new: straight in
        [row(6, 1), row(1, 1), row(7, 1)],  # one stored before this import
        [row(8, 1), row(8, 1), row(9, 1)],  # a row twice
        [row(10, 1), row(11, 1), row(12, 1)],  # new: straight in
        [row(3, 1), row(13, 1), row(14, 1)],  # one this import wrote: the third failure
        [row(15, 1), row(16, 1), row(17, 1)],  # new, but now everything goes to the stage
        [row(17, 1), row(18, 1), row(2, 1)],
    ]
    db = open_database(db_path)
    try:
        with db.transaction():
            setup = db.writer("attendance", ("learner_id", "course_id", "lesson_id", "attended_on"))
            for values in stored:
                setup.add(values)
            assert setup.close() == 2
        targets.clear()
        with db.transaction():
            writer = db.writer("attendance", ("learner_id", "course_id", "lesson_id", "attended_on"))
            for batch in batches:
                writer.write_batch(batch)
            changed = writer.close()
        found = db.query("SELECT learner_id, course_id, lesson_id, attended_on FROM attendance")
    finally:
        db.close()
    everything = {tuple(values) for values in stored} | {values for batch in batches for values in batch}
    assert sorted(map(tuple, found)) == sorted(everything)  # each row once
    assert changed == len(everything) - len(stored) == 16
    assert writer.sent == 21
    if backend == "postgresql":
        # straight in: batches 1 and 4; failed: 2, 3 and 5 (each then staged); staged: 6 and 7
        assert targets == ["table", "table", "stage", "table", "stage", "table", "table", "stage", "stage", "stage"]
    else:
        assert targets == []  # SQLite never copies


def test_the_row_writer_merges_a_stage_that_repeats_a_row(db_path, monkeypatch):
    """A stage holding the same new row twice: the anti-join insert fails at its savepoint and the
    merge falls back to ``ON CONFLICT``; the transaction goes on and the row is stored once."""
    from generator.coverage import storage

    monkeypatch.setattr(storage, "DIRECT_TRIES", 0)  # every batch goes to the stage
    db = open_database(db_path)
    try:
        with db.transaction():
            writer = db.writer("quiz_results", ("learner_id", "course_id", "taken_on", "score_bp"))
            writer.write_batch([(1, "mini-dvc", "2025-10-20", 8500), (1, "mini-dvc", "2025-10-20", 8500),
                                (2, "mini-dvc", "2025-10-20", 6000)])
            assert writer.close() == 2
            db.execute("INSERT INTO completion_rules (course_id, rule) VALUES (?, ?)", ("mini-dvc", "x"))
        assert db.query("SELECT learner_id, score_bp FROM quiz_results ORDER BY 1") == [(1, 8500), (2, 6000)]
        assert db.scalar("SELECT COUNT(*) FROM completion_rules") == 1  # written after the failed insert
    finally:
        db.close()
