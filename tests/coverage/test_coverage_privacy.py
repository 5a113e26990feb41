"""No learner name or code in anything meant for publication; small groups hidden; erasure on request."""

from __future__ import annotations

import csv
import html
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.coverage.facts import CoverageFact
from generator.coverage.report import Level, ReportRow, build_report
from generator.model import Audience, CoverageTargets
from generator.text import fold
from tests.coverage.conftest import WORKED, connect, coverage, dump, is_pg

ROSTERS = ["hoc-sinh-2024-2025.csv", "hoc-sinh-2025-2026.csv"]


@pytest.fixture
def worked_db(project, db_path):
    for args in (
        ("import-roster", *(str(WORKED / name) for name in ROSTERS)),
        ("import-roster", "--audience", "staff", str(WORKED / "can-bo-2025.csv")),
        ("import-roster", "--audience", "community-team", str(WORKED / "to-cong-nghe-so-2025.csv")),
        ("import-records", "--as-of", "2025-11-30", str(WORKED / "diem-danh.csv"), str(WORKED / "kiem-tra.csv"),
         str(WORKED / "can-bo-va-to-ket-qua.csv")),
    ):
        assert coverage(project, db_path, *args).returncode == 0
    return db_path


def learners(db: Path) -> list[tuple[str, str]]:
    connection = connect(db)
    try:
        return connection.execute("SELECT code, full_name FROM learners").fetchall()
    finally:
        connection.close()


def published_text(path: Path) -> str:
    """Everything inside an output file: a CSV as text, a workbook as all its XML parts with the
    character references (openpyxl writes "Lai Ch&#226;u") decoded."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(html.unescape(archive.read(name).decode("utf-8")) for name in archive.namelist())
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    return path.read_text(encoding="utf-8-sig")


def assert_no_learner_data(text: str, people: list[tuple[str, str]]) -> None:
    folded = fold(unicodedata.normalize("NFC", text))
    for code, name in people:
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text, re.IGNORECASE), code
        assert name not in text and fold(name) not in folded, name


def test_nothing_meant_for_publication_names_a_learner(project, worked_db, tmp_path):
    people = learners(worked_db)
    assert len(people) == 44 + 12 + 5
    outputs = []
    for name, public in (("cong-bo.csv", True), ("cong-bo.xlsx", True), ("cong-bo.pdf", True), ("noi-bo.csv", False),
                         ("noi-bo.xlsx", False), ("noi-bo.pdf", False)):
        out = tmp_path / name
        args = ["report", "--as-of", "2025-11-15", "--out", str(out)] + (["--public"] if public else [])
        result = coverage(project, worked_db, *args)
        assert result.returncode == 0, result.stderr
        outputs.append(published_text(out))
        outputs.append(result.stderr)
    table = coverage(project, worked_db, "report", "--as-of", "2025-11-15", "--public")
    outputs.append(table.stdout)
    for text in outputs:
        assert "Lai Châu" in text or "Đã ghi" in text  # the outputs are real reports, not empty files
        assert_no_learner_data(text, people)
    # The check does find learners where they are: in the local database.
    with pytest.raises(AssertionError):
        assert_no_learner_data("\n".join(dump(worked_db)), people)
    leaky = tmp_path / "leaky.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = people[-1][1]
    workbook.save(leaky)
    with pytest.raises(AssertionError):
        assert_no_learner_data(published_text(leaky), people[-1:])


def test_public_outputs_hide_small_units_in_every_format(project, worked_db, tmp_path):
    out = tmp_path / "cong-bo.csv"
    coverage(project, worked_db, "report", "--as-of", "2025-11-15", "--public", "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hidden = [(r["Khóa học"], r["Cấp"], r["Xã/Phường"], r["Đơn vị"]) for r in rows
              if r["Tình trạng"].startswith("Không công bố")]
    assert hidden == [
        ("mini-dvc", "Xã/Phường", "Phường Tân Phong", ""),
        ("mini-dvc", "Đơn vị", "Phường Tân Phong", "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu"),
        ("mini-dvc", "Xã/Phường", "Xã Bình Lư", ""),
        ("mini-dvc", "Đơn vị", "Xã Bình Lư", "Trường THPT Tam Đường"),
        ("minitc-dvc", "Tỉnh/Thành phố", "", ""),
        ("minitc-dvc", "Xã/Phường", "Phường Tân Phong", ""),
        ("minitc-dvc", "Đơn vị", "Phường Tân Phong", "Tổ công nghệ số cộng đồng tổ dân phố 5"),
    ]
    for row in rows:
        if row["Tình trạng"].startswith("Không công bố"):
            assert row["Số người học"] == row["Đã hoàn thành"] == row["Còn thiếu"] == row["Tỷ lệ (%)"] == ""
        else:
            assert int(row["Số người học"]) >= 10


def fact(commune: int, unit: int, enrolled: int) -> CoverageFact:
    return CoverageFact("mini-dvc", Audience.STUDENTS, "2025-2026", 12, commune, unit, f"Trường {unit}", enrolled,
                        enrolled // 2, 0)


def shown(rows: list[ReportRow]) -> list[tuple[Level, str]]:
    return [(r.level, r.name) for r in rows if not r.suppressed]


def test_one_hidden_unit_hides_the_next_smallest_sibling(mini_course):
    # Commune 3388 (Đoàn Kết): units of 4, 30 and 12 learners. Hiding only the 4 would let anyone
    # subtract 30 + 12 from the commune's 46, so the 12 is hidden as well (4 + 12 ≥ 10).
    facts = [fact(3388, 1, 4), fact(3388, 2, 30), fact(3388, 3, 12)]
    report = build_report(facts, [mini_course], CoverageTargets(), mini_course.release_date, public=True)
    assert shown(report.rows()) == [(Level.PROVINCE, "Lai Châu"), (Level.COMMUNE, "Phường Đoàn Kết"),
                                    (Level.UNIT, "Trường 2")]


def test_two_small_units_together_still_under_the_threshold_take_a_third(mini_course):
    facts = [fact(3388, 1, 3), fact(3388, 2, 4), fact(3388, 3, 40), fact(3388, 4, 25)]
    report = build_report(facts, [mini_course], CoverageTargets(), mini_course.release_date, public=True)
    assert shown(report.rows()) == [(Level.PROVINCE, "Lai Châu"), (Level.COMMUNE, "Phường Đoàn Kết"),
                                    (Level.UNIT, "Trường 3")]
    threshold = CoverageTargets(suppress_below=3)
    report = build_report(facts, [mini_course], threshold, mini_course.release_date, public=True)
    assert len(shown(report.rows())) == 6  # nothing below 3: nothing hidden


@pytest.fixture
def mini_course(mini_project):
    from generator.source.loader import load_corpus

    return load_corpus(mini_project).courses[0]


def test_erasing_a_learner_removes_every_trace(project, worked_db):
    code, name = "1201000101", "Tòng Thị Bình"
    assert (code, name) in learners(worked_db)
    dry = coverage(project, worked_db, "erase", "--audience", "students", "--dry-run", code)
    assert "Sẽ xóa 1 người học cùng 2 lượt ghi danh, 2 lượt điểm danh và 1 kết quả kiểm tra." in dry.stderr
    assert (code, name) in learners(worked_db)
    unknown = coverage(project, worked_db, "erase", "--audience", "students", code, "1209999999")
    assert unknown.returncode == 1 and "mang mã 1209999999; chưa xóa gì" in unknown.stderr
    assert (code, name) in learners(worked_db)
    result = coverage(project, worked_db, "erase", "--audience", "students", code)
    assert result.returncode == 0, result.stderr
    assert "Đã xóa 1 người học cùng 2 lượt ghi danh, 2 lượt điểm danh và 1 kết quả kiểm tra." in result.stderr
    assert all(c != code for c, _ in learners(worked_db))
    # Without foreign keys on the big tables (migration 2), the erase itself leaves no row behind
    # that points to a learner or unit that is gone.
    connection = connect(worked_db)
    orphans = {table: connection.execute(
        f"SELECT COUNT(*) FROM {table} WHERE learner_id NOT IN (SELECT id FROM learners)").fetchone()[0]
        for table in ("enrollments", "attendance", "quiz_results", "completions")}
    orphans["units"] = connection.execute(
        "SELECT COUNT(*) FROM enrollments WHERE unit_id NOT IN (SELECT id FROM units)").fetchone()[0]
    stored = connection.execute("SELECT COUNT(*) FROM completions").fetchone()[0]
    connection.close()
    assert orphans == dict.fromkeys(orphans, 0)
    assert stored > 0  # (the check looked at real completions)
    text = "\n".join(dump(worked_db))
    assert code not in text and name not in text
    if is_pg(worked_db):
        # PostgreSQL: the erase vacuums the tables, so the dead row versions are pruned at once.
        connection = connect(worked_db)
        vacuumed = connection.execute(
            "SELECT COUNT(*) FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND relname IN"
            " ('learners', 'enrollments', 'attendance', 'quiz_results')").fetchone()
        connection.close()
        assert vacuumed == (4,)
    else:
        # secure_delete: the bytes are gone from the file too, not just unlinked from the tables.
        raw = worked_db.read_bytes()
        assert code.encode() not in raw and name.encode("utf-8") not in raw
        assert b"1201000102" in raw  # (the check can see a code that is still there)
    # The worked example's Lai Châu count drops by one learner.
    report = coverage(project, worked_db, "report", "--as-of", "2025-11-15", "--course", "mini-dvc",
                      "--level", "province")
    assert " ".join(report.stdout.split()).count("Lai Châu 42 23") == 1
