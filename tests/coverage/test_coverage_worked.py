"""The worked example with a known answer (tests/coverage/data/worked/README.md): Lai Châu, 15/11/2025."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.coverage.cli import make_report
from generator.coverage.database import open_database
from generator.coverage.export import csv_text
from generator.coverage.report import Level, Status
from generator.source.loader import load_corpus
from tests.coverage.conftest import BACKENDS, WORKED, coverage, make_project, new_pg_database

REPORT_DAY = date(2025, 11, 15)
MET, ON_TRACK, BEHIND = Status.MET, Status.ON_TRACK, Status.BEHIND


WORKED_STEPS = [
    ("import-roster", str(WORKED / "hoc-sinh-2024-2025.csv"), str(WORKED / "hoc-sinh-2025-2026.csv")),
    ("import-roster", "--audience", "staff", str(WORKED / "can-bo-2025.csv")),
    ("import-roster", "--audience", "community-team", str(WORKED / "to-cong-nghe-so-2025.csv")),
    ("import-records", "--as-of", "2025-11-30", str(WORKED / "diem-danh.csv"), str(WORKED / "kiem-tra.csv"),
     str(WORKED / "can-bo-va-to-ket-qua.csv")),
]


@pytest.fixture(scope="module", params=BACKENDS)
def worked(request, tmp_path_factory) -> tuple[Path, Path | str]:
    """The project and a database (SQLite, then PostgreSQL) with the worked example imported through
    the command line: every known answer below is checked on both back ends."""
    base = tmp_path_factory.mktemp("worked")
    project = make_project(base / "project")
    db = base / "coverage.sqlite3" if request.param == "sqlite" else new_pg_database(request.getfixturevalue("pg_server"))
    for step in WORKED_STEPS:
        result = coverage(project, db, *step)
        assert result.returncode == 0, result.stderr
    return project, db


def report_for(worked, day=REPORT_DAY, public=False):
    project, db_path = worked
    db = open_database(db_path, create=False)
    try:
        return make_report(db, load_corpus(project), day, public=public)
    finally:
        db.close()


def figures(section):
    return [
        (row.level.value, row.name, row.enrolled, row.covered, round(row.share * 100, 1), row.needed, row.remaining,
         row.projected, row.status)
        for row in section.rows
    ]


def test_students_known_answer(worked):
    students = report_for(worked).sections[0]
    assert (students.course.id, students.window.period, students.target.percent) == ("mini-dvc", "2025-2026", 80)
    assert students.target.deadline == date(2025, 12, 31)
    assert figures(students) == [
        ("province", "Lai Châu", 43, 24, 55.8, 35, 11, date(2026, 3, 5), BEHIND),
        ("commune", "Phường Đoàn Kết", 22, 16, 72.7, 18, 2, date(2025, 12, 11), ON_TRACK),
        ("unit", "Trường THPT Quyết Thắng", 10, 6, 60.0, 8, 2, date(2025, 12, 30), ON_TRACK),
        ("unit", "Trường THPT Thành phố Lai Châu", 12, 10, 83.3, 10, 0, None, MET),
        ("commune", "Phường Tân Phong", 6, 3, 50.0, 5, 2, None, BEHIND),
        ("unit", "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu", 6, 3, 50.0, 5, 2, None, BEHIND),
        ("commune", "Xã Bình Lư", 15, 5, 33.3, 12, 7, date(2026, 9, 26), BEHIND),
        ("unit", "Trường THPT Tam Đường", 15, 5, 33.3, 12, 7, date(2026, 9, 26), BEHIND),
    ]
    assert [row.recent for row in students.rows] == [9, 7, 4, 3, 0, 0, 2, 2]


def test_staff_and_team_known_answer(worked):
    _, staff, team = report_for(worked).sections
    assert (staff.window.period, staff.target.percent, staff.window.trend_days) == ("2025", 100, 90)
    assert figures(staff) == [
        ("province", "Lai Châu", 12, 8, 66.7, 12, 4, date(2026, 1, 14), BEHIND),
        ("commune", "Phường Đoàn Kết", 12, 8, 66.7, 12, 4, date(2026, 1, 14), BEHIND),
        ("unit", "UBND phường Đoàn Kết", 12, 8, 66.7, 12, 4, date(2026, 1, 14), BEHIND),
    ]
    assert figures(team)[0] == ("province", "Lai Châu", 5, 5, 100.0, 5, 0, None, MET)


def test_last_school_year_and_the_staff_trend_window_clipped_to_the_year(worked):
    students = report_for(worked, date(2025, 5, 31)).sections[0]
    assert students.window.period == "2024-2025"
    assert figures(students)[0] == ("province", "Lai Châu", 16, 15, 93.8, 13, 0, None, MET)
    # On 20/03/2025 the 90-day window would reach into 2024, whose training does not count for 2025:
    # it starts on 1 January (79 days). The two trained on 10/03 are covered and recent.
    staff = report_for(worked, date(2025, 3, 20)).sections[1]
    assert staff.window.trend_days == 79
    assert (staff.rows[0].enrolled, staff.rows[0].covered, staff.rows[0].recent) == (12, 2, 2)
    assert staff.rows[0].projected == date(2026, 4, 19)  # 20/03/2025 + ⌈10 × 79 / 2⌉ = 395 days


def test_a_period_without_a_roster_is_explained(worked):
    report = report_for(worked, date(2026, 9, 10))
    assert report.sections[0].rows == []
    assert report.notes[0] == (
        "khóa học mini-dvc: chưa có danh sách học sinh trung học phổ thông cho năm học 2026-2027"
        " (danh sách gần nhất: 2025-2026); hãy nhập danh sách người học của kỳ này"
    )


def test_the_terminal_table(worked):
    project, db = worked
    result = coverage(project, db, "report", "--as-of", "2025-11-15", "--course", "mini-dvc")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Đối tượng: Học sinh trung học phổ thông — năm học 2025-2026 — chỉ tiêu 80% đến 31/12/2025" in lines
    table = [" ".join(line.split()) for line in lines if line.startswith(("Lai", "  "))]
    assert table == [
        "Lai Châu 43 24 55,8% 80% 11 Chậm tiến độ 05/03/2026",
        "Phường Đoàn Kết 22 16 72,7% 80% 2 Đúng tiến độ 11/12/2025",
        "Trường THPT Quyết Thắng 10 6 60,0% 80% 2 Đúng tiến độ 30/12/2025",
        "Trường THPT Thành phố Lai Châu 12 10 83,3% 80% 0 Đạt —",
        "Phường Tân Phong 6 3 50,0% 80% 2 Chậm tiến độ —",
        "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu 6 3 50,0% 80% 2 Chậm tiến độ —",
        "Xã Bình Lư 15 5 33,3% 80% 7 Chậm tiến độ 26/09/2026",
        "Trường THPT Tam Đường 15 5 33,3% 80% 7 Chậm tiến độ 26/09/2026",
    ]


def test_csv_output(worked):
    rows = list(csv.DictReader(io.StringIO(csv_text(report_for(worked)))))
    assert len(rows) == 8 + 3 + 3
    province = rows[0]
    assert province == {
        "Khóa học": "mini-dvc", "Đối tượng": "Học sinh trung học phổ thông", "Kỳ báo cáo": "2025-2026",
        "Cấp": "Tỉnh/Thành phố", "Mã tỉnh": "12", "Tỉnh/Thành phố": "Lai Châu", "Mã xã": "", "Xã/Phường": "",
        "Đơn vị": "", "Số người học": "43", "Đã hoàn thành": "24", "Tỷ lệ (%)": "55.8", "Chỉ tiêu (%)": "80",
        "Hạn chỉ tiêu": "2025-12-31", "Còn thiếu": "11", "Tình trạng": "Chậm tiến độ",
        "Dự kiến đạt chỉ tiêu": "2026-03-05", "Số liệu đến ngày": "2025-11-15",
    }
    assert [(r["Xã/Phường"], r["Đơn vị"], r["Tình trạng"]) for r in rows[1:4]] == [
        ("Phường Đoàn Kết", "", "Đúng tiến độ"), ("Phường Đoàn Kết", "Trường THPT Quyết Thắng", "Đúng tiến độ"),
        ("Phường Đoàn Kết", "Trường THPT Thành phố Lai Châu", "Đạt"),
    ]


def test_xlsx_yearly_report(worked, tmp_path):
    project, db = worked
    out = tmp_path / "bao-cao.xlsx"
    result = coverage(project, db, "report", "--as-of", "2025-11-15", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Tỉnh - Thành phố", "Xã - Phường", "Đơn vị", "Biểu đồ"]
    communes = workbook["Xã - Phường"]
    assert communes["A4"].value.startswith("BÁO CÁO KẾT QUẢ BỒI DƯỠNG")
    header = [cell.value for cell in communes[8]]
    assert header == ["STT", "Khóa học", "Đối tượng", "Kỳ báo cáo", "Tỉnh/Thành phố", "Xã/Phường", "Số người học",
                      "Đã hoàn thành", "Tỷ lệ", "Chỉ tiêu", "Hạn chỉ tiêu", "Còn thiếu", "Tình trạng",
                      "Dự kiến đạt chỉ tiêu"]
    first = [cell.value for cell in communes[9]]
    assert first[:8] == [1, "mini-dvc", "Học sinh trung học phổ thông", "2025-2026", "Lai Châu", "Phường Đoàn Kết",
                         22, 16]
    assert first[8] == pytest.approx(16 / 22) and communes.cell(9, 9).number_format == "0.0%"
    assert first[9:] == [0.8, first[10], 2, "Đúng tiến độ", first[13]]
    assert (first[10].date(), first[13].date()) == (date(2025, 12, 31), date(2025, 12, 11))
    units = workbook["Đơn vị"]
    assert [units.cell(r, 7).value for r in range(9, 13)] == [
        "Trường THPT Quyết Thắng", "Trường THPT Thành phố Lai Châu", "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu",
        "Trường THPT Tam Đường",
    ]
    charts = workbook["Biểu đồ"]._charts
    assert len(charts) == 3  # one bar chart per course
    assert charts[0].type == "bar"


def test_public_report_hides_small_groups_and_what_would_reveal_them(worked):
    students, staff, team = report_for(worked, public=True).sections
    shown = [(row.level, row.name) for row in students.rows if not row.suppressed]
    assert shown == [
        (Level.PROVINCE, "Lai Châu"), (Level.COMMUNE, "Phường Đoàn Kết"),
        (Level.UNIT, "Trường THPT Quyết Thắng"), (Level.UNIT, "Trường THPT Thành phố Lai Châu"),
    ]
    assert not any(row.suppressed for row in staff.rows)
    assert all(row.suppressed for row in team.rows)
