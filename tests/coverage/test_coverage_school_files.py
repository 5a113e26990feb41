"""School files as schools make them (tests/coverage/data/school-files, made by make_school_files.py):
one class, 10A2 of Trường THPT Tiên Lữ, 47 students, typed by hand, exported by the school software,
saved as CSV in the usual encodings and as .ods by LibreOffice; then its attendance book, a paper
sheet and hand-typed results. Exact learners, enrolments, attendance and scores; no absence stored
as attendance; every file and every rejected-rows file imported again changes nothing."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.coverage.values import MARKS, PRESENT, attendance_mark, mark_key, unit_key
from tests.coverage.conftest import DATA, coverage, dump, rejected_lines, rows

sys.path.insert(0, str(DATA))
from make_school_files import LEFT, PRESENT_2, STUDENTS, book_score, lesson2_mark  # noqa: E402

FILES = DATA / "school-files"
HAND, SOFTWARE, ODS = "10A2-go-tay.xlsx", "10A2-phan-mem.xlsx", "10A2-libreoffice.ods"
CSVS = ("10A2-utf8.csv", "10A2-utf8-bom.csv", "10A2-cp1258.csv")
CLASS_FILES = (HAND, SOFTWARE, ODS, *CSVS)
CODES = {code for code, _ in STUDENTS}


def roster(project, db, *names: str, extra: tuple[str, ...] = ()):
    return coverage(project, db, "import-roster", *extra, *(str(FILES / n) for n in names))


def the_class(db) -> list[tuple]:
    return rows(db, "SELECT l.code, l.full_name, u.name, e.class_name, e.grade, e.period, e.commune_code"
                    " FROM enrollments e JOIN learners l ON l.id = e.learner_id JOIN units u ON u.id = e.unit_id"
                    " ORDER BY 1")


def assert_one_class(db) -> None:
    found = the_class(db)
    assert [r[0] for r in found] == sorted(CODES)  # 47 learners, every code with its leading zero
    assert {(r[1]) for r in found} == {name for _, name in STUDENTS}
    assert {r[3:7] for r in found} == {("10A2", 10, "2025-2026", 12364)}
    assert rows(db, "SELECT COUNT(*) FROM units") == [(1,)]
    assert rows(db, "SELECT COUNT(*) FROM learners") == [(47,)]


def test_hand_typed_list_is_read_as_the_eye_reads_it(project, db_path):
    result = roster(project, db_path, HAND)
    assert result.returncode == 0, result.stderr
    assert_one_class(db_path)
    err = result.stderr
    assert f"{HAND}, trang DS lớp: học sinh trung học phổ thông, 2025-2026, lớp 10A2 (theo tiêu đề)" in err
    assert f"{HAND}, trang DS lớp: 44 mã là ô số đã mất số 0 ở đầu, được khôi phục" in err
    assert "dòng 10: 33209000104 → 033209000104" in err
    assert f"{HAND}, trang DS lớp: 2 dòng đang ẩn KHÔNG được nhập (dòng 27, 44); nếu cần nhập, dùng --include-hidden" in err
    assert f'{HAND}, trang Nháp: trang tính đang ẩn, KHÔNG được nhập' in err
    assert "ô gộp (" in err and "E7:E56" in err and "được điền xuống" in err
    assert ("đã bỏ qua 5 dòng không phải người học (ký tên, tổng cộng, ghi chú): dòng 57 (Tổng số: 47 học sinh);"
            " dòng 59 (Tiên Lữ, ngày 15 tháng 9 năm 2025); dòng 60 (NGƯỜI LẬP BIỂU HIỆU TRƯỞNG); dòng 61") in err
    assert "dòng 63 (Nguyễn Văn Bình Trần Thị Hoa)" in err
    assert not rows(db_path, f"SELECT code FROM learners WHERE code IN ('{LEFT[0][0]}', '{LEFT[1][0]}')")


@pytest.mark.parametrize("order", [(HAND, SOFTWARE, ODS, *CSVS), (SOFTWARE, *CSVS, ODS, HAND)], ids=["hand-first", "software-first"])
def test_hand_typed_and_exported_files_of_one_class_give_one_class(project, db_path, order):
    for name in order:
        result = roster(project, db_path, name)
        assert result.returncode == 0, f"{name}\n{result.stderr}"
    assert_one_class(db_path)
    school = rows(db_path, "SELECT name FROM units")[0][0]
    assert unit_key(school) == unit_key("Trường THPT Tiên Lữ") == "tien lu"
    before = dump(db_path)
    for name in CLASS_FILES:  # every file again: nothing changes
        again = roster(project, db_path, name)
        assert again.returncode == 0, again.stderr
        assert "người học mới: 0" in again.stderr and "đơn vị mới (trường, cơ quan, tổ): 0" in again.stderr
    assert [line for line in dump(db_path) if not line.startswith(("INSERT INTO imports", "imports:"))] == [
        line for line in before if not line.startswith(("INSERT INTO imports", "imports:"))]


def test_school_names_merged_are_reported(project, db_path):
    roster(project, db_path, HAND)
    result = roster(project, db_path, SOFTWARE)
    assert ('các tên “Trường THPT Tiên Lữ” được coi là cùng đơn vị “THPT Tiên Lữ” (so tên sau khi bỏ "Trường",'
            ' "THPT", dấu và khoảng trắng thừa)') in result.stderr


def test_hidden_rows_and_sheets_only_with_the_option(project, db_path):
    result = roster(project, db_path, HAND, extra=("--include-hidden", "--school-year", "2025-2026"))
    assert "2 dòng đang ẩn đã được nhập như mọi dòng (dòng 27, 44)" in result.stderr
    assert "trang Nháp: trang tính đang ẩn, vẫn được nhập" in result.stderr
    assert rows(db_path, "SELECT COUNT(*) FROM learners") == [(49,)]
    # the scratch sheet's row has no school: rejected, not silently taken
    assert rejected_lines(result.stderr) == [
        f"{HAND}, trang Nháp, dòng 2: Đơn vị: thiếu tên trường, cơ quan hoặc tổ; Xã/Phường: thiếu tên xã/phường"]


def test_class_option_for_a_list_without_class(project, db_path, tmp_path):
    plain = tmp_path / "ds.csv"
    plain.write_text("Mã học sinh,Họ và tên,Trường,Xã/Phường,Tỉnh/Thành phố\n"
                     "033209000101,Nguyễn An,THPT Tiên Lữ,Xã Tiên Lữ,Hưng Yên\n", encoding="utf-8")
    refused = coverage(project, db_path, "import-roster", "--school-year", "2025-2026", str(plain))
    assert refused.returncode == 1  # no class column, no class in the title or the name: who are they?
    assert "ds.csv: không rõ đây là danh sách học sinh, cán bộ hay thành viên tổ công nghệ số" in refused.stderr
    result = coverage(project, db_path, "import-roster", "--audience", "students", "--school-year", "2025-2026",
                      "--class", "10a3", str(plain))
    assert result.returncode == 0, result.stderr
    assert rows(db_path, "SELECT class_name, grade FROM enrollments") == [("10a3", 10)]


def test_cp1252_csv_with_lost_letters_is_refused_with_the_way_out(project, db_path):
    result = roster(project, db_path, "10A2-cp1252.csv")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert '10A2-cp1252.csv: chữ tiếng Việt trong tệp đã bị thay bằng dấu "?"' in result.stderr
    assert '"CSV UTF-8 (Comma delimited) (*.csv)"' in result.stderr
    assert rows(db_path, "SELECT COUNT(*) FROM learners") == [(0,)]


def test_empty_workbook_names_the_file(project, db_path):
    result = roster(project, db_path, "so-tinh-trong.xlsx")
    assert result.returncode == 1
    assert result.stderr.strip() == "Lỗi: so-tinh-trong.xlsx: sổ tính không có dữ liệu (mọi trang tính đều trống)"


# -- records ----------------------------------------------------------------------------------------------
def records(project, db, *names: str, extra: tuple[str, ...] = ()):
    return coverage(project, db, "import-records", "--as-of", "30/11/2025", "--course", "mini-dvc", *extra,
                    *(str(FILES / n) for n in names))


def attended(db) -> set[tuple]:
    return set(rows(db, "SELECT l.code, a.lesson_id, a.attended_on FROM attendance a"
                        " JOIN learners l ON l.id = a.learner_id"))


def test_attendance_book_marks_by_lesson_column(project, db_path):
    roster(project, db_path, SOFTWARE)
    result = records(project, db_path, "so-diem-danh-10A2.xlsx")
    assert result.returncode == 0, result.stderr
    lesson1 = {(code, "mini-b01", "2025-10-06") for code, _ in STUDENTS}
    lesson2 = {(code, "mini-b02", "2025-10-13") for n, (code, _) in enumerate(STUDENTS, 1)
               if lesson2_mark(n) in PRESENT_2}
    assert attended(db_path) == lesson1 | lesson2
    assert len(lesson2) == 7  # "x", " X ", "có": 3 + 2 + 2 of 47
    # no absence, whatever its spelling, is stored as attendance
    absent = {code for n, (code, _) in enumerate(STUDENTS, 1) if lesson2_mark(n) not in PRESENT_2}
    assert not {code for code, lesson, _ in attended(db_path) if lesson == "mini-b02"} & absent
    scores = set(rows(db_path, "SELECT l.code, q.taken_on, q.score_bp FROM quiz_results q"
                               " JOIN learners l ON l.id = q.learner_id"))
    assert scores == {(code, "2025-10-20", round(book_score(n) * 1000)) for n, (code, _) in enumerate(STUDENTS, 1)
                      if book_score(n) is not None}
    assert len(scores) == 43
    err = result.stderr
    assert "sổ điểm danh theo bài (cột bài 1, 2)" in err
    assert "ô vắng mặt trong sổ điểm danh (không tính là đã học): 40" in err
    for line in ("  vắng (P): vắng có phép, 3", "  Nghỉ học: vắng, 3", "  ốm: nghỉ ốm, 3", "  -: vắng, 3",
                 "  x: có mặt, 50", "  k/p: vắng không phép, 2", "  (ô trống): vắng, 2"):
        assert line in err.splitlines(), line
    assert "dòng 54 (Lê Thị Mai Trần Thị Hoa)" in err
    before = dump(db_path)
    again = records(project, db_path, "so-diem-danh-10A2.xlsx")
    assert "lượt điểm danh mới: 0" in again.stderr and "kết quả kiểm tra mới: 0" in again.stderr
    assert [x for x in dump(db_path) if "imports" not in x] == [x for x in before if "imports" not in x]


def test_book_with_columns_not_understood_is_refused_by_name(project, db_path):
    roster(project, db_path, SOFTWARE)
    result = records(project, db_path, "so-diem-danh-cot-la.xlsx")
    assert result.returncode == 1
    assert ('so-diem-danh-cot-la.xlsx, trang Sheet: không hiểu các cột "Tuần 1" (cột C), "Tuần 2" (cột D)'
            in result.stderr)
    assert rows(db_path, "SELECT COUNT(*) FROM attendance") == [(0,)]


def test_paper_sheet_unknown_mark_is_a_row_error(project, db_path):
    roster(project, db_path, SOFTWARE)
    result = records(project, db_path, "diem-danh-bai-2.csv")
    assert result.returncode == 1
    assert rejected_lines(result.stderr) == [
        'diem-danh-bai-2.csv, dòng 6: Có mặt (cột F): ký hiệu điểm danh "??" không rõ nghĩa (các ký hiệu được nhận:'
        ' x, có mặt; P, CP, có phép; KP, không phép; ốm, nghỉ ốm; vắng, nghỉ, "-" …; xem docs/tep-cua-truong.md)']
    assert attended(db_path) == {(STUDENTS[40][0], "mini-b02", "2025-10-13"), (STUDENTS[44][0], "mini-b02", "2025-10-13")}
    assert "  ??: không rõ nghĩa (dòng bị từ chối), 1" in result.stderr.splitlines()


def test_hand_typed_results_with_number_codes_match_and_say_so(project, db_path):
    roster(project, db_path, SOFTWARE)
    result = records(project, db_path, "ket-qua-go-tay.xlsx")
    assert "4 ô Mã được lưu dạng số (có thể đã mất số 0 ở đầu); chúng được khớp" in result.stderr
    assert rejected_lines(result.stderr) == [
        'ket-qua-go-tay.xlsx, trang Sheet, dòng 5: Mã: mã "33209000999" không có trong danh sách học sinh trung học'
        " phổ thông; hãy nhập danh sách người học trước; mã ngắn hơn các mã trong danh sách (12 chữ số), có lẽ ô Mã"
        " đã mất số 0 ở đầu, nhưng thêm số 0 vào cũng không có mã này: hãy kiểm tra lại mã"]
    assert set(rows(db_path, "SELECT l.code, q.score_bp FROM quiz_results q JOIN learners l ON l.id = q.learner_id")) == {
        (code, 9000) for code, _ in STUDENTS[:3]}


# -- rejected rows that round-trip -----------------------------------------------------------------------
def two_sheet_workbook(path: Path) -> None:
    """Two classes, each sheet with its own columns in its own order, one bad row each."""
    wb = Workbook()
    first = wb.active
    first.title = "10A1"
    first.append(["DANH SÁCH HỌC SINH LỚP 10A1 - NĂM HỌC 2025-2026"])
    first.append(["STT", "Mã học sinh", "Họ và tên", "Trường", "Xã/Phường", "Tỉnh/Thành phố"])
    first.append([1, "033209000201", "Nguyễn Văn Một", "THPT Tiên Lữ", "Xã Tiên Lữ", "Hưng Yên"])
    first.append([2, "033209000202", "Trần Thị Hai", "THPT Tiên Lữ", "Xã Không Có", "Hưng Yên"])
    second = wb.create_sheet("Lớp 10A3")
    second.append(["Họ và tên học sinh", "Tỉnh/Thành phố", "Xã/Phường", "Trường", "Mã học sinh", "Ghi chú dài"])
    second.append(["Lê Văn Ba Rất Dài Tên", "Hưng Yên", "Xã Tiên Lữ", "THPT Tiên Lữ", "033209000301", ""])
    second.append(["Phạm Thị Bốn Cũng Dài", "Hưng Yên", "", "THPT Tiên Lữ", "033209000302", "chuyển đến"])
    wb.save(path)


def test_rejects_of_a_two_sheet_workbook_keep_each_header_and_what_the_import_needs(project, db_path, tmp_path):
    source = tmp_path / "hai-lop.xlsx"
    two_sheet_workbook(source)
    rejects = tmp_path / "tu-choi.csv"
    result = coverage(project, db_path, "import-roster", "--school-year", "2025-2026", "--rejects", str(rejects), str(source))
    assert result.returncode == 1
    files = [tmp_path / "tu-choi-1.csv", tmp_path / "tu-choi-2.csv"]
    assert f"vào {files[0]}, {files[1]} (mỗi trang tính một tệp" in result.stderr
    first, second = ([row for row in csv.reader(p.open(encoding="utf-8-sig", newline=""))] for p in files)
    assert first[0] == ["Tệp", "Dòng gốc", "Lý do từ chối", "STT", "Mã học sinh", "Họ và tên", "Trường", "Xã/Phường",
                        "Tỉnh/Thành phố", "Năm học", "Lớp"]
    assert first[1][:5] == ["hai-lop.xlsx, trang 10A1", "4", first[1][2], "2", "033209000202"]
    assert first[1][-2:] == ["2025-2026", "10A1"]
    assert second[0][3:] == ["Họ và tên học sinh", "Tỉnh/Thành phố", "Xã/Phường", "Trường", "Mã học sinh", "Ghi chú dài",
                             "Năm học", "Lớp"]
    assert second[1][3] == "Phạm Thị Bốn Cũng Dài" and second[1][-2:] == ["2025-2026", "10A3"]
    stored = dump(db_path)
    for path in files:  # as written, with no option: every row rejected again, nothing changes
        again = coverage(project, db_path, "import-roster", str(path))
        assert again.returncode == 1 and "Dòng bị từ chối (1)" in again.stderr, again.stderr
    assert [x for x in dump(db_path) if "imports" not in x] == [x for x in stored if "imports" not in x]
    # fixed (the commune), each imports with no option, under its own columns
    for path, row, column, value in ((files[0], first, 7, "Xã Tiên Lữ"), (files[1], second, 5, "Xã Tiên Lữ")):
        row[1][column] = value
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(row)
        fixed = coverage(project, db_path, "import-roster", str(path))
        assert fixed.returncode == 0, fixed.stderr
    assert set(rows(db_path, "SELECT l.code, l.full_name, e.class_name, e.period FROM enrollments e"
                             " JOIN learners l ON l.id = e.learner_id")) == {
        ("033209000201", "Nguyễn Văn Một", "10A1", "2025-2026"), ("033209000202", "Trần Thị Hai", "10A1", "2025-2026"),
        ("033209000301", "Lê Văn Ba Rất Dài Tên", "10A3", "2025-2026"),
        ("033209000302", "Phạm Thị Bốn Cũng Dài", "10A3", "2025-2026")}


def test_staff_rejects_carry_the_audience_and_year(project, db_path, tmp_path):
    source = tmp_path / "can-bo.csv"
    source.write_text("Mã cán bộ,Họ và tên,Đơn vị,Xã/Phường,Tỉnh/Thành phố\n"
                      "CB01,Đỗ Văn Năm,UBND xã Tiên Lữ,Xã Tiên Lữ,Hưng Yên\nCB02,Ngô Thị Sáu,UBND xã Tiên Lữ,,Hưng Yên\n",
                      encoding="utf-8")
    rejects = tmp_path / "tu-choi.csv"
    coverage(project, db_path, "import-roster", "--audience", "staff", "--year", "2025", "--rejects", str(rejects),
             str(source))
    lines = list(csv.reader(rejects.open(encoding="utf-8-sig", newline="")))
    assert lines[1] == ["Đối tượng: Cán bộ vận hành hệ thống dịch vụ công"]
    lines[-1][6] = "Xã Tiên Lữ"
    with rejects.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(lines)
    fixed = coverage(project, db_path, "import-roster", str(rejects))
    assert fixed.returncode == 0, fixed.stderr
    assert set(rows(db_path, "SELECT l.audience, l.code, e.period FROM enrollments e JOIN learners l ON l.id = e.learner_id")) == {
        ("staff", "CB01", "2025"), ("staff", "CB02", "2025")}


# -- the vocabulary ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, meaning", [
    ("x", "có mặt"), ("X", "có mặt"), ("Có mặt", "có mặt"), ("co mat", "có mặt"), ("1", "có mặt"),
    ("P", "vắng có phép"), ("CP", "vắng có phép"), ("có phép", "vắng có phép"), ("vắng (P)", "vắng có phép"),
    ("Vắng  có phép", "vắng có phép"), ("KP", "vắng không phép"), ("không phép", "vắng không phép"),
    ("K/P", "vắng không phép"), ("ốm", "nghỉ ốm"), ("nghỉ ốm", "nghỉ ốm"), ("NGHI OM", "nghỉ ốm"),
    ("Nghỉ", "vắng"), ("Nghỉ học", "vắng"), ("Vắng mặt", "vắng"), ("-", "vắng"), ("v", "vắng"), ("", "vắng"),
    (None, "vắng"), (0, "vắng"), (1, "có mặt"),
])
def test_marks_as_schools_write_them(written, meaning):
    assert attendance_mark(written) == meaning


@pytest.mark.parametrize("written", ["??", "x?", "có mặt muộn", "2", "vang mat co le", "OK"])
def test_unknown_marks_are_never_present(written):
    with pytest.raises(ValueError, match="không rõ nghĩa"):
        attendance_mark(written)


def test_each_spelling_has_one_meaning():
    from generator.coverage import values

    seen: dict[str, str] = {}
    for meaning, spellings in values._MARKS_WRITTEN.items():
        for written in spellings:
            key = mark_key(written)
            assert seen.setdefault(key, meaning) == meaning, f"{written!r} means both {seen[key]} and {meaning}"
    assert MARKS[mark_key("x")] == PRESENT


def test_as_of_accepts_the_files_date_forms(project, db_path):
    roster(project, db_path, SOFTWARE)
    for form in ("30/11/2025", "30-11-2025", "2025-11-30", "30.11.2025"):
        result = coverage(project, db_path, "import-records", "--as-of", form, "--course", "mini-dvc", "--dry-run",
                          str(FILES / "ket-qua-go-tay.xlsx"))
        assert "Traceback" not in result.stderr and "Sẽ nhập 3 dòng" in result.stderr, result.stderr
    bad = coverage(project, db_path, "import-records", "--as-of", "31/02/2025", str(FILES / "ket-qua-go-tay.xlsx"))
    assert bad.returncode == 2 and 'ngày "31/02/2025" không tồn tại' in bad.stderr


def test_question_marks_in_a_good_file_are_not_lost_letters(project, db_path, tmp_path):
    """Web addresses have "?" between letters too; a Vietnamese file is recognised by its own letters."""
    good = tmp_path / "ds.csv"
    good.write_text("Mã học sinh,Họ và tên,Lớp,Trường,Xã/Phường,Tỉnh/Thành phố,Năm học,Trang cá nhân\n"
                    "033209000101,Nguyễn An,10A2,THPT Tiên Lữ,Xã Tiên Lữ,Hưng Yên,2025-2026,https://a.vn/p?id=1\n"
                    "033209000102,Trần Bình,10A2,THPT Tiên Lữ,Xã Tiên Lữ,Hưng Yên,2025-2026,https://a.vn/p?id=2\n",
                    encoding="utf-8")
    result = coverage(project, db_path, "import-roster", str(good))
    assert result.returncode == 0, result.stderr


def test_an_lms_export_with_question_columns_is_not_taken_for_a_book(project, db_path, tmp_path):
    """Only columns that look like attendance ("Tuần 1", "06/10") are refused; "Câu 1" is a quiz column."""
    export = tmp_path / "lms.csv"
    export.write_text("Mã học sinh,Điểm,Ngày hoàn thành,Câu 1,Câu 2\n033209000101,8,27/10/2025,1,0\n", encoding="utf-8")
    roster(project, db_path, SOFTWARE)
    result = coverage(project, db_path, "import-records", "--as-of", "30/11/2025", "--course", "mini-dvc", str(export))
    assert result.returncode == 0, result.stderr
    assert rows(db_path, "SELECT score_bp FROM quiz_results") == [(8000,)]
