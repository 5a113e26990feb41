"""The worked example with a known answer (tests/coverage/data/worked/README.md): Lai Châu, 15/11/2025."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.coverage.cli import make_report
from generator.coverage.database import open_database
from generator.coverage.export import csv_text
from generator.coverage.facts import CoverageFact
from generator.coverage.report import Level, Status, build_report
from generator.model import Audience, CoverageTargets
from generator.source.loader import load_corpus
from generator.text import fold
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


STUDENTS_BAND = ("Khóa học: Làm quen dịch vụ công trực tuyến — Học sinh trung học phổ thông, năm học 2025-2026"
                 " — chỉ tiêu 80% đến 31/12/2025")
STAFF_BAND = ("Khóa học: Làm quen dịch vụ công trực tuyến — Cán bộ vận hành hệ thống dịch vụ công, năm 2025"
              " — chỉ tiêu 100% đến 31/12/2025")
TEAM_BAND = ("Khóa học: Làm quen dịch vụ công trực tuyến — Thành viên Tổ công nghệ số cộng đồng, năm 2025"
             " — chỉ tiêu 100% đến 31/12/2025")
HEADER_ROW = 8


def sheet_table(ws) -> list[tuple]:
    """The rows of a report sheet under its header, as plain values (shares rounded to 0.1%, dates as
    dates, merged-away cells dropped), up to the blank row above the signature lines."""
    rows = []
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        if all(cell.value is None for cell in cells):
            break
        values = []
        for cell in cells:
            value = cell.value
            if cell.number_format == "0.0%" and isinstance(value, (int, float)):
                value = round(value * 100, 1)
            elif hasattr(value, "date"):
                value = value.date()
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        rows.append(tuple(values))
    return rows


def by_hand(enrolled: int, covered: int, recent: int, target: int, trend_days: int = 90, as_of=REPORT_DAY):
    """Figures computed the way the README computes them: share, remaining, status, projection."""
    needed = -(-enrolled * target // 100)
    remaining = max(0, needed - covered)
    projected = None if remaining == 0 or recent == 0 else as_of + timedelta(days=-(-remaining * trend_days // recent))
    status = "Đạt" if remaining == 0 else "Đúng tiến độ" if projected and projected <= date(2025, 12, 31) else "Chậm tiến độ"
    return (enrolled, covered, round(covered / enrolled * 100, 1), remaining, status, projected or "—")


# The worked example (tests/coverage/data/worked/README.md): learners, covered and covered in the window.
LC_STUDENTS = {  # (commune, school): enrolled, covered, recent
    ("Phường Đoàn Kết", "Trường THPT Quyết Thắng"): (10, 6, 4),
    ("Phường Đoàn Kết", "Trường THPT Thành phố Lai Châu"): (12, 10, 3),
    ("Phường Tân Phong", "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu"): (6, 3, 0),
    ("Xã Bình Lư", "Trường THPT Tam Đường"): (15, 5, 2),
}


def _sum(parts):
    return tuple(map(sum, zip(*parts, strict=True)))


def test_xlsx_report_equals_the_hand_count_cell_by_cell(worked, tmp_path):
    """Every sheet of the workbook, row by row and cell by cell, against figures summed by hand from the
    README's table (not from the report model)."""
    project, db = worked
    out = tmp_path / "bao-cao.xlsx"
    result = coverage(project, db, "report", "--as-of", "2025-11-15", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Tỉnh - Thành phố", "Xã - Phường", "Đơn vị theo xã", "Tổng theo đơn vị", "Biểu đồ"]
    for ws in workbook.worksheets[:4]:
        assert ws["A4"].value.startswith("BÁO CÁO KẾT QUẢ BỒI DƯỠNG")
        header = [cell.value for cell in ws[HEADER_ROW]]
        assert header[0] == "STT" and header[-6:] == ["Số người học", "Đã hoàn thành", "Tỷ lệ", "Còn thiếu",
                                                     "Tình trạng", "Dự kiến đạt chỉ tiêu"]
        assert "Khóa học" not in header and "mini-dvc" not in str(list(ws.values))  # titles, not ids
    province = by_hand(*_sum(LC_STUDENTS.values()), 80)
    communes = {}
    for (commune, _), figures in LC_STUDENTS.items():
        communes.setdefault(commune, []).append(figures)
    staff, team = by_hand(12, 8, 6, 100), by_hand(5, 5, 0, 100)
    assert province == (43, 24, 55.8, 11, "Chậm tiến độ", date(2026, 3, 5))  # the README's answer

    assert sheet_table(workbook["Tỉnh - Thành phố"]) == [
        (STUDENTS_BAND,), (1, "Lai Châu", *province), (None, "Tổng cộng", *province),
        (STAFF_BAND,), (1, "Lai Châu", *staff), (None, "Tổng cộng", *staff),
        (TEAM_BAND,), (1, "Lai Châu", *team), (None, "Tổng cộng", *team),
    ]
    assert sheet_table(workbook["Xã - Phường"]) == [
        (STUDENTS_BAND,),
        *[(n, commune, *by_hand(*_sum(parts), 80)) for n, (commune, parts) in enumerate(communes.items(), 1)],
        (None, "Cộng Lai Châu", *province),
        (STAFF_BAND,), (1, "Phường Đoàn Kết", *staff), (None, "Cộng Lai Châu", *staff),
        (TEAM_BAND,), (1, "Phường Tân Phong", *team), (None, "Cộng Lai Châu", *team),
    ]
    assert sheet_table(workbook["Đơn vị theo xã"]) == [
        (STUDENTS_BAND,),
        *[(n, commune, school, *by_hand(*figures, 80))
          for n, ((commune, school), figures) in enumerate(LC_STUDENTS.items(), 1)],
        (None, "Cộng Lai Châu", None, *province),
        (STAFF_BAND,), (1, "Phường Đoàn Kết", "UBND phường Đoàn Kết", *staff),
        (None, "Cộng Lai Châu", None, *staff),
        (TEAM_BAND,), (1, "Phường Tân Phong", "Tổ công nghệ số cộng đồng tổ dân phố 5", *team),
        (None, "Cộng Lai Châu", None, *team),
    ]
    schools = sorted(LC_STUDENTS.items(), key=lambda item: fold(item[0][1]))
    assert [row[1] for row in sheet_table(workbook["Tổng theo đơn vị"])[1:5]] == [
        "Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu", "Trường THPT Quyết Thắng", "Trường THPT Tam Đường",
        "Trường THPT Thành phố Lai Châu"]
    assert sheet_table(workbook["Tổng theo đơn vị"])[:6] == [
        (STUDENTS_BAND,),
        *[(n, school, 1, *by_hand(*figures, 80)) for n, ((_, school), figures) in enumerate(schools, 1)],
        (None, "Cộng Lai Châu", None, *province),
    ]
    charts = workbook["Biểu đồ"]._charts
    assert len(charts) == 3  # one per course: columns for the shares, the target as a line
    assert charts[0].type == "col" and [type(c).__name__ for c in charts[0]._charts] == ["BarChart", "LineChart"]


# A small second example, counted by hand: one school whose students live in two communes.
# Trường THPT Quyết Thắng: 4 students in Phường Đoàn Kết (3 completed on 06/10/2025, in the window), 3 in
# Phường Tân Phong (1 completed on 10/03/2025, before the window). Trường THPT Tam Đường: 2 in Xã Bình Lư,
# both completed on 06/10/2025. Report of 15/11/2025, target 80% by 31/12/2025.
SPLIT_ROSTER = """DANH SÁCH HỌC SINH THPT NĂM HỌC 2025-2026
STT,Mã học sinh,Họ và tên,Lớp,Trường,Xã/Phường,Tỉnh/Thành phố
1,1201090001,Lò Văn An,10A1,Trường THPT Quyết Thắng,Phường Đoàn Kết,Lai Châu
2,1201090002,Lò Thị Bích,10A1,Trường THPT Quyết Thắng,Phường Đoàn Kết,Lai Châu
3,1201090003,Tòng Văn Cường,10A1,Trường THPT Quyết Thắng,Phường Đoàn Kết,Lai Châu
4,1201090004,Tòng Thị Dung,10A1,Trường THPT Quyết Thắng,Phường Đoàn Kết,Lai Châu
5,1201090005,Vàng Văn Em,10A1,Trường THPT Quyết Thắng,Phường Tân Phong,Lai Châu
6,1201090006,Vàng Thị Giang,10A1,Trường THPT Quyết Thắng,Phường Tân Phong,Lai Châu
7,1201090007,Lù Văn Hải,10A1,Trường THPT Quyết Thắng,Phường Tân Phong,Lai Châu
8,1201090008,Lù Thị Hoa,10A2,Trường THPT Tam Đường,Xã Bình Lư,Lai Châu
9,1201090009,Sùng Văn Khải,10A2,Trường THPT Tam Đường,Xã Bình Lư,Lai Châu
"""
SPLIT_DONE = {"1201090001": "06/10/2025", "1201090002": "06/10/2025", "1201090003": "06/10/2025",
              "1201090005": "10/03/2025", "1201090008": "06/10/2025", "1201090009": "06/10/2025"}


def test_a_school_split_across_communes_has_its_own_total(tmp_path):
    project = make_project(tmp_path / "project")
    db = tmp_path / "coverage.sqlite3"
    (tmp_path / "ds.csv").write_text(SPLIT_ROSTER, encoding="utf-8")
    lessons = ["Mã học sinh,Khóa học,Bài học,Ngày"] + [f"{code},mini-dvc,{n},{day}" for code, day in SPLIT_DONE.items()
                                                      for n in (1, 2)]
    quiz = ["Mã học sinh,Khóa học,Điểm,Ngày kiểm tra"] + [f"{code},mini-dvc,8,{day}" for code, day in SPLIT_DONE.items()]
    (tmp_path / "diem-danh.csv").write_text("\n".join(lessons) + "\n", encoding="utf-8")
    (tmp_path / "kiem-tra.csv").write_text("\n".join(quiz) + "\n", encoding="utf-8")
    for step in (("import-roster", str(tmp_path / "ds.csv")),
                 ("import-records", "--as-of", "2025-11-30", str(tmp_path / "diem-danh.csv"),
                  str(tmp_path / "kiem-tra.csv"))):
        result = coverage(project, db, *step)
        assert result.returncode == 0, result.stderr
    out = tmp_path / "bao-cao.xlsx"
    assert coverage(project, db, "report", "--as-of", "2025-11-15", "--course", "mini-dvc", "--out",
                    str(out)).returncode == 0
    workbook = load_workbook(out)
    band = (STUDENTS_BAND,)
    # By hand: Đoàn Kết 4 learners, 3 covered (3 recent): needed ⌈3.2⌉ = 4, 1 missing, +⌈1 × 90 / 3⌉ = 30 days
    # = 15/12/2025, on track. Tân Phong 3, 1 (0 recent): needed 3, 2 missing, no pace: behind.
    # Bình Lư 2, 2: met. The school: 7 learners, 4 covered (3 recent): needed ⌈5.6⌉ = 6, 2 missing,
    # +60 days = 14/01/2026 after the deadline: behind — although one of its parts is on track.
    # The province: 9, 6 (5 recent): needed ⌈7.2⌉ = 8, 2 missing, +36 days = 21/12/2025, on track.
    doan_ket = (4, 3, 75.0, 1, "Đúng tiến độ", date(2025, 12, 15))
    tan_phong = (3, 1, 33.3, 2, "Chậm tiến độ", "—")
    binh_lu = (2, 2, 100.0, 0, "Đạt", "—")
    quyet_thang = (7, 4, 57.1, 2, "Chậm tiến độ", date(2026, 1, 14))
    province = (9, 6, 66.7, 2, "Đúng tiến độ", date(2025, 12, 21))
    assert (by_hand(4, 3, 3, 80), by_hand(7, 4, 3, 80), by_hand(9, 6, 5, 80)) == (doan_ket, quyet_thang, province)
    assert sheet_table(workbook["Đơn vị theo xã"]) == [
        band,
        (1, "Phường Đoàn Kết", "Trường THPT Quyết Thắng", *doan_ket),
        (2, "Phường Tân Phong", "Trường THPT Quyết Thắng", *tan_phong),
        (3, "Xã Bình Lư", "Trường THPT Tam Đường", *binh_lu),
        (None, "Cộng Lai Châu", None, *province),
    ]
    assert sheet_table(workbook["Tổng theo đơn vị"]) == [
        band,
        (1, "Trường THPT Quyết Thắng", 2, *quyet_thang),
        (2, "Trường THPT Tam Đường", 1, *binh_lu),
        (None, "Cộng Lai Châu", None, *province),
    ]
    assert sheet_table(workbook["Xã - Phường"]) == [
        band, (1, "Phường Đoàn Kết", *doan_ket), (2, "Phường Tân Phong", *tan_phong),
        (3, "Xã Bình Lư", *binh_lu), (None, "Cộng Lai Châu", *province),
    ]


def test_pdf_report_figures_equal_the_hand_count(worked, tmp_path):
    project, db = worked
    out = tmp_path / "bao-cao.pdf"
    result = coverage(project, db, "report", "--as-of", "2025-11-15", "--pdf", str(out), "--issued", "2025-11-20")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = " ".join(" ".join(text.split()).split())
    assert "Tổng số người học: 43; đã hoàn thành: 24, đạt 55,8%. Chỉ tiêu: 80% đến ngày 31/12/2025 (cần 35 người)," \
           " còn thiếu 11 người. Tình trạng: chậm tiến độ" in flat
    assert "dự kiến đạt chỉ tiêu ngày 05/03/2026" in flat
    for number, (commune, parts) in enumerate({"Phường Đoàn Kết": [(10, 6, 4), (12, 10, 3)],
                                               "Phường Tân Phong": [(6, 3, 0)],
                                               "Xã Bình Lư": [(15, 5, 2)]}.items(), 1):
        enrolled, covered, share, remaining, status, _ = by_hand(*_sum(parts), 80)
        assert f"{number} {commune} {enrolled} {covered} {share:.1f}% {remaining} {status}".replace(".", ",") in lines
    assert "Cộng Lai Châu 43 24 55,8% 11 Chậm tiến độ" in lines
    assert "Tổng số người học: 12; đã hoàn thành: 8, đạt 66,7%." in flat
    assert "Tổng số người học: 5; đã hoàn thành: 5, đạt 100,0%." in flat and "Tình trạng: đã đạt chỉ tiêu." in flat
    assert "Theo đơn vị: 4 đơn vị; 1 đạt chỉ tiêu, 1 đúng tiến độ, 2 chậm tiến độ." in flat


def test_public_report_hides_small_groups_and_what_would_reveal_them(worked):
    students, staff, team = report_for(worked, public=True).sections
    shown = [(row.level, row.name) for row in students.rows if not row.suppressed]
    assert shown == [
        (Level.PROVINCE, "Lai Châu"), (Level.COMMUNE, "Phường Đoàn Kết"),
        (Level.UNIT, "Trường THPT Quyết Thắng"), (Level.UNIT, "Trường THPT Thành phố Lai Châu"),
    ]
    assert not any(row.suppressed for row in staff.rows)
    assert all(row.suppressed for row in team.rows)


def test_public_school_totals_never_reveal_a_hidden_part(worked):
    students = report_for(worked, public=True).sections[0]
    assert [(s.unit_name, s.suppressed) for s in students.schools] == [
        ("Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu", True), ("Trường THPT Quyết Thắng", False),
        ("Trường THPT Tam Đường", True), ("Trường THPT Thành phố Lai Châu", False),
    ]
    # A school with 30 students in one commune (shown) and 3 in another (hidden there): its total of 33
    # would give the 3 away by subtraction, so it is hidden too.
    course = load_corpus(worked[0]).courses[0]
    facts = [CoverageFact(course.id, Audience.STUDENTS, "2025-2026", 12, commune, unit, name, enrolled, covered, 0)
             for commune, unit, name, enrolled, covered in (
                 (3637, 1, "Trường A", 30, 20), (3640, 1, "Trường A", 3, 1), (3640, 2, "Trường B", 12, 6),
                 (3637, 3, "Trường C", 25, 25))]
    section = build_report(facts, [course], CoverageTargets(), REPORT_DAY, public=True).sections[0]
    visible_units = {(u.commune_code, u.unit_name) for u in section.level(Level.UNIT) if not u.suppressed}
    assert visible_units == {(3637, "Trường A"), (3637, "Trường C")}
    assert [(s.unit_name, s.enrolled, s.suppressed) for s in section.schools] == [
        ("Trường A", 33, True), ("Trường B", 12, True), ("Trường C", 25, False)]
