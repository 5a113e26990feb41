"""Roster imports from real-looking exports: every encoding, title blocks, the exact rows rejected."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from tests.coverage.conftest import ROSTERS, connect, coverage, dump, rejected_lines

BOM = "ds-hoc-sinh-utf8-bom.csv"
UTF16 = "ds-hoc-sinh-unicode-text.txt"
CP1258 = "ds-hoc-sinh-windows-1258.csv"
NFD = "ds-hoc-sinh-nfd.csv"
XLSX = "ds-hoc-sinh-theo-lop.xlsx"
STAFF = "ds-can-bo-mot-cua-2025.xlsx"
TEAM = "ds-to-cong-nghe-so-2025.csv"


def enrolments(db: Path) -> dict[str, tuple]:
    """code → (audience, name, unit, province code, commune code, grade, class, period)."""
    connection = connect(db)
    try:
        rows = connection.execute(
            "SELECT l.code, l.audience, l.full_name, u.name, e.province_code, e.commune_code, e.grade,"
            " e.class_name, e.period FROM enrollments e JOIN learners l ON l.id = e.learner_id"
            " JOIN units u ON u.id = e.unit_id"
        ).fetchall()
    finally:
        connection.close()
    return {row[0]: row[1:] for row in rows}


def test_utf8_bom_export_with_title_block_rejects_exactly_the_bad_rows(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / BOM))
    assert result.returncode == 1, result.stderr
    assert rejected_lines(result.stderr) == [
        f"{BOM}, dòng 10: Mã: trùng mã người học với dòng 7; chỉ dòng đầu tiên được nhập",
        f'{BOM}, dòng 11: Xã/Phường: Hưng Yên không có xã/phường "Thị trấn Quỳnh Côi" (theo danh mục sau sắp xếp'
        ' 2025); gần nhất: "Xã Quỳnh An", "Xã Quỳnh Phụ"',
        f"{BOM}, dòng 12: Lớp: thiếu lớp",
        f"{BOM}, dòng 13: Khối: khối 9 không thuộc trung học phổ thông (khối 10, 11, 12)",
        f"{BOM}, dòng 14: Mã: thiếu mã người học",
        f'{BOM}, dòng 15: Xã/Phường: Hưng Yên không có xã/phường "Xã Nguyễn Duu" (theo danh mục sau sắp xếp'
        ' 2025); gần nhất: "Xã Nguyễn Du", "Xã Nguyễn Trãi"',
    ]
    assert f"{BOM}: bảng mã UTF-8 có BOM; học sinh trung học phổ thông, 2025-2026" in result.stderr
    assert enrolments(db_path) == {
        "3301000101": ("students", "Nguyễn Thị Hồng Nhung", "Trường THPT Nguyễn Du", 33, 12532, 10, "10A1", "2025-2026"),
        "3301000102": ("students", "Trần Văn Khánh", "Trường THPT Nguyễn Du", 33, 12532, 10, "10A1", "2025-2026"),
        "3301000103": ("students", "Phạm Minh Quân", "Trường THPT Nguyễn Du", 33, 12472, 11, "11A2", "2025-2026"),
        "3301000104": ("students", "Lê Thu Trang", "Trường THPT Nguyễn Du", 33, 12472, 11, "11A2", "2025-2026"),
    }


def test_utf16_tab_separated_export_maps_the_old_province_with_a_warning(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / UTF16))
    assert result.returncode == 1
    assert (f'Cảnh báo: {UTF16}: tỉnh cũ "Thái Bình" đã được chuyển thành "Hưng Yên" theo Nghị quyết'
            " 202/2025/QH15 (4 dòng: 3, 4, 5, 6)") in result.stderr
    assert rejected_lines(result.stderr) == [
        f'{UTF16}, dòng 6: Xã/Phường: Hưng Yên không có xã/phường "Huyện Vũ Thư" (theo danh mục sau sắp xếp 2025);'
        ' gần nhất: "Xã Vũ Thư", "Xã Hưng Phú"',
        f'{UTF16}, dòng 7: Tỉnh/Thành phố: không có tỉnh/thành phố "Thái Bìnhh"; có phải "Thái Bình", "Hòa Bình",'
        ' "Hà Tĩnh"?',
    ]
    rows = enrolments(db_path)
    assert sorted(rows) == ["3401000201", "3401000202", "3401000203", "3401000206"]
    assert {row[3] for row in rows.values()} == {33}  # all in Hưng Yên, the province Thái Bình merged into
    assert rows["3401000202"][4] == rows["3401000201"][4]  # "Bắc Đông Quan" = "Xã Bắc Đông Quan"
    assert rows["3401000206"][7] == "2025-2026"  # "2025 - 2026" and "2025-2026" are one school year
    assert {row[5] for row in rows.values()} == {10, 11, 12}


def test_windows_1258_export_decodes_to_nfc_and_matches_loose_spellings(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / CP1258))
    assert "bảng mã Windows-1258" in result.stderr
    assert rejected_lines(result.stderr) == [
        f'{CP1258}, dòng 7: Xã/Phường: Hưng Yên không có xã/phường "Phường Hiến Nam" (theo danh mục sau sắp xếp'
        ' 2025); gần nhất: "Xã Tiên La", "Phường Sơn Nam", "Xã Diên Hà"',
    ]
    rows = enrolments(db_path)
    assert rows["3301000301"][1] == "Lê Hoàng Yến"
    assert unicodedata.is_normalized("NFC", rows["3301000302"][1])
    assert rows["3301000303"][1] == "Trịnh Thùy Dương"
    assert {code: row[4] for code, row in rows.items()} == {"3301000301": 11953, "3301000302": 11983,
                                                           "3301000303": 11980}


def test_nfd_export_is_stored_as_nfc_and_is_the_same_unit_as_nfc_text(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / NFD))
    assert result.returncode == 0, result.stderr
    rows = enrolments(db_path)
    assert rows["3301000401"][1:3] == ("Đặng Thị Thủy Tiên", "Trường THPT Hưng Yên")
    assert all(unicodedata.is_normalized("NFC", str(value)) for row in rows.values() for value in row)
    # The same school written in NFC in another file is the same unit, not a second one.
    nfc_file = project / "nfc.csv"
    nfc_file.write_text("Mã học sinh,Lớp,Trường,Xã/Phường,Tỉnh/Thành phố,Năm học\n"
                        "3301000403,10A5,Trường THPT Hưng Yên,Phường Sơn Nam,Hưng Yên,2025-2026\n", encoding="utf-8")
    assert coverage(project, db_path, "import-roster", str(nfc_file)).returncode == 0
    connection = connect(db_path)
    assert connection.execute("SELECT COUNT(*) FROM units").fetchone() == (1,)
    connection.close()


def test_workbook_with_a_sheet_per_class_and_a_two_row_header(project, db_path):
    result = coverage(project, db_path, "import-roster", str(ROSTERS / XLSX), "--unit", "Trường THPT Tiên Lữ")
    assert result.returncode == 1
    assert (f"Cảnh báo: {XLSX}, trang Hướng dẫn: không tìm thấy dòng tiêu đề cột") in result.stderr
    assert rejected_lines(result.stderr) == [
        f"{XLSX}, trang 10A2, dòng 8: Xã/Phường: thiếu tên xã/phường",
        f"{XLSX}, trang 10A2, dòng 9: Mã: trùng mã người học với dòng 8 của {XLSX}, trang 10A1;"
        " chỉ dòng đầu tiên được nhập",
    ]
    rows = enrolments(db_path)
    # Codes Excel stored as numbers come back without a trailing ".0"; the period came from the title.
    assert sorted(rows) == ["3301000501", "3301000502", "3301000503", "3301000511"]
    assert {row[2] for row in rows.values()} == {"Trường THPT Tiên Lữ"}
    assert {row[7] for row in rows.values()} == {"2025-2026"}
    assert rows["3301000511"][6] == "10A2"


def test_staff_workbook_and_team_csv_take_the_year_from_the_title(project, db_path):
    staff = coverage(project, db_path, "import-roster", "--audience", "staff", str(ROSTERS / STAFF))
    assert rejected_lines(staff.stderr) == [
        f"{STAFF}, trang Danh sách, dòng 9: Đơn vị: thiếu tên trường, cơ quan hoặc tổ",
    ]
    assert 'tỉnh cũ "Hải Dương" đã được chuyển thành "Thành phố Hải Phòng"' in staff.stderr
    team = coverage(project, db_path, "import-roster", "--audience", "community-team", str(ROSTERS / TEAM))
    assert team.returncode == 0, team.stderr
    rows = enrolments(db_path)
    assert rows["CB-0004"] == ("staff", "Đào Thị Kim Oanh", "UBND phường Hải Dương", 31, 10525, None, "", "2025")
    # The team file has no province column: the project's province (Hưng Yên) is used.
    assert rows["TCN-03"] == ("community-team", "Kiều Văn Nam", "Tổ công nghệ số cộng đồng thôn Tây", 33, 12364,
                              None, "", "2025")


def test_a_roster_without_audience_or_period_is_refused_as_a_whole(project, db_path):
    team = coverage(project, db_path, "import-roster", str(ROSTERS / TEAM))
    assert team.returncode == 1
    assert "không rõ đây là danh sách học sinh, cán bộ hay thành viên tổ công nghệ số" in team.stderr
    no_year = project / "khong-nam.csv"
    no_year.write_text("Mã học sinh,Lớp,Trường,Xã/Phường,Tỉnh\nHS1,10A,THPT A,Phố Hiến,Hưng Yên\n", encoding="utf-8")
    result = coverage(project, db_path, "import-roster", str(no_year))
    assert result.returncode == 1
    assert "không xác định được năm học của danh sách" in result.stderr
    assert "--school-year 2025-2026" in result.stderr
    staff_with_school_year = coverage(project, db_path, "import-roster", "--audience", "staff", "--school-year",
                                      "2025-2026", str(no_year))
    assert staff_with_school_year.returncode == 1
    assert "đây là danh sách cán bộ vận hành hệ thống dịch vụ công; hãy dùng --year" in staff_with_school_year.stderr
    connection = connect(db_path)
    assert connection.execute("SELECT (SELECT COUNT(*) FROM learners) + (SELECT COUNT(*) FROM imports)").fetchone() == (0,)
    connection.close()


def test_reimporting_changes_nothing_and_dry_run_writes_nothing(project, db_path):
    files = [str(ROSTERS / name) for name in (BOM, CP1258, NFD)]
    dry = coverage(project, db_path, "import-roster", "--dry-run", *files)
    assert "Chạy thử (--dry-run): không có gì được ghi vào cơ sở dữ liệu." in dry.stderr
    assert "người học mới: 9" in dry.stderr
    connection = connect(db_path)
    assert connection.execute("SELECT COUNT(*) FROM learners").fetchone() == (0,)
    assert connection.execute("SELECT COUNT(*) FROM imports").fetchone() == (0,)
    connection.close()
    first = coverage(project, db_path, "import-roster", *files)
    assert "người học mới: 9" in first.stderr
    before = dump(db_path)
    again = coverage(project, db_path, "import-roster", *files)
    assert dump(db_path) == before
    assert "người học mới: 0" in again.stderr
    assert "lượt ghi danh giữ nguyên: 9" in again.stderr
    assert f"Không có gì thay đổi trong {db_path}." in again.stderr
    assert f"Tệp này đã được nhập trước đây: {BOM}" in again.stderr


def test_a_later_roster_moves_a_student_and_the_dry_run_says_so(project, db_path):
    coverage(project, db_path, "import-roster", str(ROSTERS / NFD))
    moved = project / "chuyen-lop.csv"
    moved.write_text("DANH SÁCH NĂM HỌC 2025-2026\nMã học sinh,Họ và tên,Lớp,Trường,Xã/Phường,Tỉnh\n"
                     "3301000401,Đặng Thị Thủy Tiên,10A6,Trường THPT Hưng Yên,Phường Sơn Nam,Hưng Yên\n",
                     encoding="utf-8")
    dry = coverage(project, db_path, "import-roster", "--dry-run", str(moved))
    assert "lượt ghi danh thay đổi (lớp, đơn vị, xã): 1" in dry.stderr
    assert enrolments(db_path)["3301000401"][6] == "10A5"
    coverage(project, db_path, "import-roster", str(moved))
    assert enrolments(db_path)["3301000401"][6] == "10A6"


def test_rejected_rows_file_can_be_fixed_and_imported_again(project, db_path):
    rejects = project / "tu-choi.csv"
    coverage(project, db_path, "import-roster", str(ROSTERS / BOM), "--rejects", str(rejects))
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Tệp", "Dòng gốc", "Lý do từ chối", "STT"]
    assert [row[1] for row in rows[1:]] == ["10", "11", "12", "13", "14", "15"]
    assert rows[3][2] == "Lớp: thiếu lớp" and rows[3][4] == "3301000107"
    # Fix the missing class and the misspelt commune, drop the rest, and import the file again.
    fixed = [rows[0], rows[3][:8] + ["10A1"] + rows[3][9:], rows[6][:10] + ["Xã Nguyễn Du"] + rows[6][11:]]
    with rejects.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(fixed)
    result = coverage(project, db_path, "import-roster", str(rejects), "--school-year", "2025-2026")
    assert result.returncode == 0, result.stderr
    assert {"3301000107", "3301000110"} <= set(enrolments(db_path))


def test_unreadable_files_stop_the_import_with_nothing_written(project, db_path, tmp_path):
    good = str(ROSTERS / NFD)
    no_header = tmp_path / "khong-tieu-de.csv"
    no_header.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = coverage(project, db_path, "import-roster", good, str(no_header))
    assert result.returncode == 1
    assert "khong-tieu-de.csv: không tìm thấy dòng tiêu đề cột trong 30 dòng đầu" in result.stderr
    old_excel = tmp_path / "cu.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    result = coverage(project, db_path, "import-roster", good, str(old_excel))
    assert "cu.xls: tệp Excel 97-2003 (.xls) chưa được hỗ trợ" in result.stderr
    connection = connect(db_path)
    assert connection.execute("SELECT COUNT(*) FROM learners").fetchone() == (0,)
    connection.close()


def test_a_big_roster_import_read_in_a_second_process_gives_the_same_result(project, db_path, tmp_path, monkeypatch):
    """National rosters are read and checked in a forked reader process above a size threshold
    (``coverage.parallel``); here the threshold is 0. Every encoding, a workbook with a sheet per
    class, duplicates across sheets, rejected rows, an old province's warning, then a later roster
    that moves a student: the same messages, rejected-rows file and database as in one process."""
    students = [str(ROSTERS / name) for name in (BOM, UTF16, CP1258, NFD, XLSX)]
    steps = [("import-roster", *students), ("import-roster", "--audience", "staff", str(ROSTERS / STAFF)),
             ("import-roster", "--audience", "community-team", str(ROSTERS / TEAM)),
             ("import-roster", *students)]  # again: nothing changes
    databases = {"one": db_path, "two": tmp_path / "two.sqlite3"}
    outputs: dict[str, list] = {}
    for label, threshold in (("one", str(1 << 40)), ("two", "0")):
        monkeypatch.setenv("COURSEGEN_READER_MIN_BYTES", threshold)
        db = databases[label]
        outputs[label] = []
        for number, step in enumerate(steps):
            rejects = tmp_path / label / f"{number}.csv"
            rejects.parent.mkdir(exist_ok=True)
            result = coverage(project, db, *step, "--rejects", str(rejects))
            text = result.stderr.replace(str(db), "DB").replace(str(rejects.parent), "REJECTS")
            text = re.sub(r"lúc [0-9T:+-]+", "lúc …", text)  # when a file was first imported
            # one rejected-rows file per table that has rejected rows (each keeps its own header)
            written = [p.read_bytes() for p in sorted(rejects.parent.glob(f"{number}*.csv"))]
            outputs[label].append((result.returncode, text, written))
    assert outputs["one"] == outputs["two"]
    assert "trùng mã người học" in outputs["one"][0][1] and "tỉnh cũ" in outputs["one"][0][1]
    assert enrolments(databases["one"]) == enrolments(databases["two"])
    assert len(enrolments(databases["two"])) > 10


def test_the_roster_reader_runs_in_another_process_above_the_threshold(db_path, monkeypatch):
    import os

    from generator.coverage import rosters
    from generator.coverage.database import open_database
    from generator.coverage.rosters import RosterOptions, import_rosters

    readers: list[int] = []
    real_check = rosters._check_files

    def spying_check(*args):
        readers.append(os.getpid())
        return real_check(*args)

    monkeypatch.setattr(rosters, "_check_files", spying_check)
    db = open_database(db_path)
    try:
        for threshold in (str(1 << 40), "0"):
            monkeypatch.setenv("COURSEGEN_READER_MIN_BYTES", threshold)
            summary = import_rosters(db, [ROSTERS / BOM], RosterOptions(), dry_run=True)
            assert summary.rows_imported == 4 and summary.rejected_count == 6
            assert summary.changes["người học mới"] == 4
    finally:
        db.close()
    assert readers == [os.getpid()]  # the forked reader appended to its own copy of the list
