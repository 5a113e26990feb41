"""Completion records from a paper attendance sheet and an LMS grade export."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from generator.coverage.values import ValueProblem, parse_date, parse_school_year, school_year_of, score_basis_points
from tests.coverage.conftest import RECORDS, ROSTERS, coverage, dump, rejected_lines, rows

PAPER = "diem-danh-10a1.csv"
LMS = "ket-qua-lms.xlsx"


@pytest.fixture
def roster(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / "ds-hoc-sinh-utf8-bom.csv"))
    assert "người học mới: 4" in result.stderr
    return db_path


def test_paper_attendance_sheet(project, roster):
    result = coverage(project, roster, "import-records", "--as-of", "2025-11-30", str(RECORDS / PAPER))
    assert result.returncode == 1
    assert rejected_lines(result.stderr) == [
        f'{PAPER}, dòng 7: Mã: mã "3301009999" không có trong danh sách học sinh trung học phổ thông; hãy nhập danh'
        " sách người học trước",
        f'{PAPER}, dòng 8: Bài học: khóa học "mini-dvc" không có bài "Bài 3" (các bài: 1 (mini-b01), 2 (mini-b02))',
        f'{PAPER}, dòng 9: Ngày: ngày "31/02/2025" không tồn tại',
        f'{PAPER}, dòng 11: Khóa học: không có khóa học "mini-dvcc"; có phải "mini-dvc"? (các khóa học: mini-dvc,'
        " minicb-dvc, minitc-dvc)",
    ]
    assert "dòng vắng mặt (bỏ qua): 1" in result.stderr
    # A course named by its title is the same course; "Bài 1" is lesson number 1.
    assert rows(roster, "SELECT l.code, a.course_id, a.lesson_id, a.attended_on FROM attendance a"
                        " JOIN learners l ON l.id = a.learner_id ORDER BY 1, 3, 4") == [
        ("3301000101", "mini-dvc", "mini-b01", "2025-10-06"),
        ("3301000101", "mini-dvc", "mini-b02", "2025-10-13"),
        ("3301000102", "mini-dvc", "mini-b01", "2025-10-20"),
        ("3301000102", "mini-dvc", "mini-b02", "2025-10-13"),
    ]


def test_lms_grade_export_with_maximum_column_and_not_attempted_rows(project, roster):
    result = coverage(project, roster, "import-records", "--as-of", "2025-11-30", "--course", "mini-dvc",
                      str(RECORDS / LMS))
    assert rejected_lines(result.stderr) == [
        f"{LMS}, trang Điểm, dòng 5: Điểm: điểm 11 lớn hơn điểm tối đa 10",
        f"{LMS}, trang Điểm, dòng 7: Ngày: ngày 05/01/2026 ở sau ngày hôm nay (30/11/2025)",
    ]
    assert "dòng không có bài học hay điểm, như chưa làm bài (bỏ qua): 1" in result.stderr
    assert rows(roster, "SELECT l.code, q.taken_on, q.score_bp FROM quiz_results q"
                        " JOIN learners l ON l.id = q.learner_id ORDER BY 1, 2") == [
        ("3301000101", "2025-10-20", 8500),
        ("3301000102", "2025-10-20", 6500),
        ("3301000102", "2025-10-27", 9000),
    ]
    before = dump(roster)
    again = coverage(project, roster, "import-records", "--as-of", "2025-11-30", "--course", "mini-dvc",
                     str(RECORDS / LMS))
    assert dump(roster) == before
    assert "kết quả kiểm tra mới: 0" in again.stderr and "kết quả kiểm tra đã có: 3" in again.stderr


def test_absent_from_the_lesson_but_the_score_still_counts(project, roster, tmp_path):
    sheet = tmp_path / "so-diem-danh.csv"
    sheet.write_text("Mã học sinh,Bài học,Có mặt,Điểm,Ngày\n"
                     "3301000103,2,vắng,8,20/10/2025\n3301000104,2,,,20/10/2025\n3301000104,1,x,,13/10/2025\n",
                     encoding="utf-8")
    result = coverage(project, roster, "import-records", "--as-of", "2025-11-30", "--course", "mini-dvc", str(sheet))
    assert result.returncode == 0, result.stderr
    assert "dòng vắng mặt (bỏ qua): 1" in result.stderr
    assert rows(roster, "SELECT l.code, a.lesson_id FROM attendance a JOIN learners l ON l.id = a.learner_id") == [
        ("3301000104", "mini-b01")]
    assert rows(roster, "SELECT l.code, q.score_bp FROM quiz_results q JOIN learners l ON l.id = q.learner_id") == [
        ("3301000103", 8000)]


def test_records_need_a_course(project, roster, tmp_path):
    sheet = tmp_path / "diem.csv"
    sheet.write_text("Mã học sinh,Điểm,Ngày\n3301000101,9,20/10/2025\n", encoding="utf-8")
    result = coverage(project, roster, "import-records", "--as-of", "2025-11-30", str(sheet))
    assert rejected_lines(result.stderr) == [
        "diem.csv, dòng 2: Khóa học: thiếu khóa học (thêm cột Khóa học hoặc dùng --course)",
    ]
    wrong = coverage(project, roster, "import-records", "--course", "khong-co", str(sheet))
    assert wrong.returncode == 1 and 'tùy chọn --course: không có khóa học "khong-co"' in wrong.stderr


@pytest.mark.parametrize("value, expected", [
    ("15/11/2025", date(2025, 11, 15)), ("5/1/2026", date(2026, 1, 5)), ("15-11-2025", date(2025, 11, 15)),
    ("2025-11-15", date(2025, 11, 15)), ("15.11.2025", date(2025, 11, 15)), ("15/11/2025 14:30", date(2025, 11, 15)),
    ("ngày 15 tháng 11 năm 2025", date(2025, 11, 15)), (datetime(2025, 11, 15, 9, 0), date(2025, 11, 15)),
])
def test_dates_day_before_month(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["11/15/2025", "31/02/2025", "hôm qua", ""])
def test_bad_dates(value):
    with pytest.raises(ValueProblem):
        parse_date(value)


@pytest.mark.parametrize("score, scale, default, percent_header, expected", [
    ("8,5", None, 10, False, 8500), (8.5, 10, 10, False, 8500), ("85%", None, 10, False, 8500),
    (85, None, 10, True, 8500), (17, 20, 10, False, 8500), (7, "", 10, False, 7000), (70, None, 100, False, 7000),
])
def test_scores_become_hundredths_of_a_percent(score, scale, default, percent_header, expected):
    assert score_basis_points(score, scale, default, percent_header) == expected


def test_school_years_run_from_september():
    assert school_year_of(date(2025, 9, 1)) == "2025-2026"
    assert school_year_of(date(2025, 8, 31)) == "2024-2025"
    assert school_year_of(date(2026, 5, 31)) == "2025-2026"
    assert parse_school_year("2025 – 26") == "2025-2026"
    with pytest.raises(ValueProblem):
        parse_school_year("2025-2027")


def test_a_big_import_read_in_a_second_process_gives_the_same_result(project, roster, tmp_path, monkeypatch):
    """National imports read their files in a forked reader process (``coverage.parallel``), above a
    size threshold; here the threshold is 0. Same database, same messages, same rejected-rows file as
    the one-process import of the same files into a copy of the same roster."""
    files = [str(RECORDS / LMS), str(RECORDS / PAPER)]  # about equal halves: a reader process each
    monkeypatch.setenv("COURSEGEN_READERS", "2")
    one_db, two_db = roster, tmp_path / "two.sqlite3"
    assert "người học mới: 4" in coverage(project, two_db, "import-roster", str(ROSTERS / "ds-hoc-sinh-utf8-bom.csv")).stderr
    results = []
    for db, threshold in ((one_db, str(1 << 40)), (two_db, "0")):
        monkeypatch.setenv("COURSEGEN_READER_MIN_BYTES", threshold)
        rejects = tmp_path / threshold / "tu-choi.csv"
        rejects.parent.mkdir()
        result = coverage(project, db, "import-records", "--as-of", "2025-11-30", "--rejects", str(rejects), *files)
        assert result.returncode == 1  # the paper sheet has bad rows
        # one rejected-rows file per table (each keeps its own header): tu-choi-1.csv, tu-choi-2.csv
        written = [p.read_bytes() for p in sorted(rejects.parent.glob("tu-choi*.csv"))]
        assert len(written) == 2
        results.append((result.stderr.replace(str(db), "DB").replace(str(rejects.parent), "REJECTS"), written))
    assert results[0] == results[1]
    assert "Dòng bị từ chối" in results[0][0]
    tables = ("attendance", "quiz_results", "completions", "completion_rules")
    assert [sorted(rows(one_db, f"SELECT * FROM {t}")) for t in tables] == [
        sorted(rows(two_db, f"SELECT * FROM {t}")) for t in tables]
    assert rows(two_db, "SELECT COUNT(*) FROM attendance")[0][0] > 0


def test_reader_processes_are_used_above_the_threshold_one_per_run_of_files(project, roster, monkeypatch, tmp_path):
    import os

    from generator.coverage import records
    from generator.coverage.database import open_database
    from generator.coverage.records import RecordOptions, import_records
    from generator.source.loader import load_corpus

    real_read = records._read_files
    seen = tmp_path / "readers"
    seen.mkdir()

    def spying_read(writers, paths, *args):
        (seen / f"{os.getpid()}-{len(paths)}").write_text("")  # the file system, since readers are forked
        return real_read(writers, paths, *args)

    monkeypatch.setattr(records, "_read_files", spying_read)
    monkeypatch.setenv("COURSEGEN_READERS", "2")
    db = open_database(roster)
    found = {}
    try:
        for threshold in (str(1 << 40), "0"):
            monkeypatch.setenv("COURSEGEN_READER_MIN_BYTES", threshold)
            summary = import_records(db, load_corpus(project), [RECORDS / LMS, RECORDS / PAPER], RecordOptions(),
                                     as_of=date(2025, 11, 30), dry_run=True)
            assert summary.rows_imported > 0 and summary.rejected_count > 0
            assert summary.files == [LMS, PAPER]
            found[threshold] = sorted(p.name for p in seen.iterdir())
            for path in seen.iterdir():
                path.unlink()
    finally:
        db.close()
    assert found[str(1 << 40)] == [f"{os.getpid()}-2"]  # below the threshold: read here, both files
    readers = [name.split("-") for name in found["0"]]
    assert sorted(count for _, count in readers) == ["1", "1"]  # a process per file
    assert len({pid for pid, _ in readers} | {str(os.getpid())}) == 3
