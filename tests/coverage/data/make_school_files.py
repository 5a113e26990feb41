"""Write the school-file corpus of tests/coverage/test_coverage_school_files.py (run once; outputs committed).

    .venv/bin/python tests/coverage/data/make_school_files.py

One class, 10A2 of Trường THPT Tiên Lữ (Hưng Yên), 47 students, school year 2025-2026, written the
ways schools write it: typed by hand in Excel (title block, no class column, codes typed as numbers
so their leading zero is gone, a merged school column, two hidden rows of students who left, a blank
separator row, a totals line and a signature block, a hidden scratch sheet), exported by the school
software (codes as text, every column), saved as CSV in UTF-8, UTF-8 with BOM, Windows-1258 and
Windows-1252 (letters lost), and as LibreOffice .ods (converted by LibreOffice itself). Then the
records: an attendance book with a column per lesson and the marks teachers write, a paper sheet with
a "Có mặt" column, and a results file typed by hand with number codes. All people are invented.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent / "school-files"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import cp1258  # noqa: E402

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE = ("Thị", "Văn", "Minh", "Thu", "Đức", "Hồng", "Quang", "Ngọc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai",
         "Nam", "Ngân", "Phúc", "Quân", "Thảo", "Trang", "Tú", "Uyên", "Việt", "Yến")

CLASS, SCHOOL_YEAR = "10A2", "2025-2026"
SCHOOL_SOFTWARE, SCHOOL_HAND = "Trường THPT Tiên Lữ", "THPT Tiên Lữ"
COMMUNE, PROVINCE = "Xã Tiên Lữ", "Hưng Yên"
STUDENTS = [(f"0332090001{n:02d}", f"{FAMILY[n % 12]} {MIDDLE[n % 8]} {GIVEN[(n * 7) % 24]}") for n in range(1, 48)]
LEFT = [("033209000190", "Vũ Thị Chuyển"), ("033209000191", "Lê Văn Đi")]  # transferred out: hidden rows
TEXT_CODES = {1, 2, 3}  # in the hand-typed file, the first three codes were typed as text ('033209000101)

# The attendance book: a mark per student and lesson, as teachers write them. Lesson 1 for everyone,
# lesson 2 with every kind of absence; the test knows who attended from these.
BOOK_MARKS_2 = ["x", "P", "KP", "ốm", "Nghỉ", "vắng (P)", "-", "Vắng mặt", "CP", "nghỉ ốm", "Nghỉ học", "",
                " X ", "có", "k/p", "Có phép", "khong phep", "V"]
PRESENT_2 = {"x", " X ", "có"}


def lesson2_mark(n: int) -> str:
    return BOOK_MARKS_2[(n - 1) % len(BOOK_MARKS_2)]


def book_score(n: int) -> float | None:
    return None if n % 10 == 0 else round(5 + (n % 6), 1)  # every tenth did not take the check


def title_font(cell) -> None:
    cell.font = Font(name="Times New Roman", bold=True, size=13)
    cell.alignment = Alignment(horizontal="center")


def hand_typed(path: Path) -> None:
    """The class list as a form teacher types it: title, no class column, number codes, merged school."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS lớp"
    for row, text in enumerate(("SỞ GIÁO DỤC VÀ ĐÀO TẠO HƯNG YÊN", "TRƯỜNG THPT TIÊN LỮ", "",
                                f"DANH SÁCH HỌC SINH LỚP {CLASS}", f"NĂM HỌC {SCHOOL_YEAR}"), 1):
        ws.cell(row, 1, text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        title_font(ws.cell(row, 1))
    ws.append(["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Trường", "Xã/Phường", "Tỉnh/Thành phố"])
    first = ws.max_row + 1
    people = STUDENTS[:20] + LEFT[:1] + STUDENTS[20:35] + LEFT[1:] + STUDENTS[35:]
    for n, (code, name) in enumerate(people, 1):
        index = int(code[-2:])
        typed = code if (index in TEXT_CODES or (code, name) in LEFT) else int(code)  # Excel drops the zero
        ws.append([n, typed, name, f"{1 + index % 28:02d}/0{1 + index % 9}/2010", SCHOOL_HAND if n == 1 else None,
                   COMMUNE if n == 1 else None, PROVINCE if n == 1 else None])
        if (code, name) in LEFT:
            ws.row_dimensions[ws.max_row].hidden = True
        if n == 25:
            ws.append([])  # a blank separator row the teacher left
    last = ws.max_row
    for column in (5, 6, 7):  # school, commune, province merged down the list
        ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    ws.append([None, None, "Tổng số: 47 học sinh"])
    ws.append([])
    ws.append([None, None, None, None, "Tiên Lữ, ngày 15 tháng 9 năm 2025"])
    ws.append([None, "NGƯỜI LẬP BIỂU", None, None, "HIỆU TRƯỞNG"])
    ws.append([None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"])
    ws.append([])
    ws.append([None, "Nguyễn Văn Bình", None, None, "Trần Thị Hoa"])
    scratch = wb.create_sheet("Nháp")
    scratch.append(["Mã học sinh", "Họ và tên", "Lớp"])
    scratch.append(["999", "Học sinh thử", "10A9"])
    scratch.sheet_state = "hidden"
    wb.save(path)


def software_rows() -> list[list[object]]:
    rows: list[list[object]] = [["STT", "Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố",
                                 "Năm học"]]
    for n, (code, name) in enumerate(STUDENTS, 1):
        rows.append([n, code, name, CLASS, SCHOOL_SOFTWARE, COMMUNE, PROVINCE, SCHOOL_YEAR])
    return rows


def software_export(path: Path) -> None:
    """The same class from the school-management software: every column, codes as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách học sinh"
    ws.append(["DANH SÁCH HỌC SINH (xuất từ phần mềm quản lý nhà trường)"])
    for row in software_rows():
        ws.append(row)
    wb.save(path)


def csv_bytes(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def csv_files(folder: Path) -> None:
    text = csv_bytes([["DANH SÁCH HỌC SINH LỚP 10A2 - TRƯỜNG THPT TIÊN LỮ"], *software_rows(),
                      [], ["", "", "Tiên Lữ, ngày 15 tháng 9 năm 2025"], ["", "Người lập biểu"], ["", "Nguyễn Văn Bình"]])
    (folder / "10A2-utf8.csv").write_bytes(text.encode("utf-8"))
    (folder / "10A2-utf8-bom.csv").write_bytes(text.encode("utf-8-sig"))
    (folder / "10A2-cp1258.csv").write_bytes(cp1258(text))
    (folder / "10A2-cp1252.csv").write_bytes(text.encode("cp1252", errors="replace"))  # "Tr??ng THPT Ti?n L?"


def ods(folder: Path) -> None:
    """The hand-typed list saved by LibreOffice Calc as .ods (hidden rows, merged cells, hidden sheet kept)."""
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "10A2.xlsx"
        hand_typed(source)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{temp}/profile", "--headless", "--convert-to", "ods",
                        "--outdir", temp, str(source)], check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(temp) / "10A2.ods", folder / "10A2-libreoffice.ods")


def attendance_book(path: Path) -> None:
    """One row per student, a column per lesson, then the score and the date, under a title, over signatures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ điểm danh"
    ws.append(["SỔ ĐIỂM DANH VÀ KẾT QUẢ BỒI DƯỠNG KỸ NĂNG DỊCH VỤ CÔNG TRỰC TUYẾN"])
    ws.append([f"Lớp {CLASS} - {SCHOOL_SOFTWARE}"])
    ws.append(["STT", "Mã học sinh", "Họ và tên", "Bài 1 (06/10/2025)", "Bài 2 (13/10/2025)", "Điểm", "Ngày"])
    for n, (code, name) in enumerate(STUDENTS, 1):
        score = book_score(n)
        ws.append([n, code, name, "x", lesson2_mark(n), score, "20/10/2025" if score is not None else None])
    ws.append([])
    ws.append([None, "Giáo viên chủ nhiệm", None, None, None, "Hiệu trưởng"])
    ws.append([None, "(Ký, ghi rõ họ tên)"])
    ws.append([None, "Lê Thị Mai", None, None, None, "Trần Thị Hoa"])
    wb.save(path)


def unknown_columns_book(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã học sinh", "Họ và tên", "Tuần 1", "Tuần 2", "Điểm", "Ngày"])
    ws.append([STUDENTS[0][0], STUDENTS[0][1], "x", "x", 8, "20/10/2025"])
    wb.save(path)


def paper_sheet(path: Path) -> None:
    """A paper attendance sheet typed in: one row per student and lesson, a "Có mặt" column; one mark
    nobody can read ("??")."""
    rows = [["ĐIỂM DANH BÀI 2 - LỚP 10A2"], ["Mã học sinh", "Họ và tên", "Khóa học", "Bài học", "Ngày", "Có mặt"]]
    for mark, (code, name) in zip(("x", "Vắng", "nghỉ ốm", "??", "có mặt"), STUDENTS[40:45], strict=True):
        rows.append([code, name, "mini-dvc", "2", "13/10/2025", mark])
    path.write_text(csv_bytes(rows), encoding="utf-8")


def hand_results(path: Path) -> None:
    """Scores typed by hand: the code column holds numbers (zero lost); one code not on the roster."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã học sinh", "Họ và tên", "Điểm", "Ngày kiểm tra"])
    for code, name in STUDENTS[:3]:
        ws.append([int(code), name, 9, "27/10/2025"])
    ws.append([33209000999, "Người không có trong danh sách", 7, "27/10/2025"])
    wb.save(path)


def empty_workbook(path: Path) -> None:
    wb = Workbook()
    wb.create_sheet("Sheet2")
    wb.save(path)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    hand_typed(HERE / "10A2-go-tay.xlsx")
    software_export(HERE / "10A2-phan-mem.xlsx")
    csv_files(HERE)
    ods(HERE)
    attendance_book(HERE / "so-diem-danh-10A2.xlsx")
    unknown_columns_book(HERE / "so-diem-danh-cot-la.xlsx")
    paper_sheet(HERE / "diem-danh-bai-2.csv")
    hand_results(HERE / "ket-qua-go-tay.xlsx")
    empty_workbook(HERE / "so-tinh-trong.xlsx")


if __name__ == "__main__":
    main()
