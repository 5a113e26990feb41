"""Write the roster and record fixtures of tests/coverage (run once; the outputs are committed).

    .venv/bin/python tests/coverage/data/make_fixtures.py

Each file imitates a real export: title block, Vietnamese headers, the encoding and separator that
tool uses, signature lines below the data. The rows include the mistakes real files have; the tests
assert exactly which rows are rejected and why. All people are invented; codes are made up.

worked/ is the hand-countable example of tests/coverage/test_coverage_worked.py (see worked/README.md).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """Encode as Windows does for Vietnamese: base letters with their hats, tone marks combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in decomposed[1:] if m in TONES)
        base = unicodedata.normalize("NFC", decomposed[0] + "".join(m for m in decomposed[1:] if m not in TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


# -- realistic rosters ------------------------------------------------------------------------------
def roster_utf8_bom(folder: Path) -> None:
    """A department-wide export (UTF-8 with BOM, comma), Trường column on every row."""
    rows: list[list[object]] = [
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO HƯNG YÊN"],
        ["DANH SÁCH HỌC SINH THPT THAM GIA BỒI DƯỠNG KỸ NĂNG DỊCH VỤ CÔNG TRỰC TUYẾN"],
        ["Năm học 2025-2026"],
        [],
        ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố"],
        [1, "3301000101", "Nguyễn Thị Hồng Nhung", "12/03/2010", "Nữ", "10A1", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [2, "3301000102", "Trần Văn Khánh", "05/07/2010", "Nam", "10A1", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [3, "3301000103", "Phạm Minh Quân", "21/11/2009", "Nam", "11A2", "Trường THPT Nguyễn Du", "Xã Quỳnh Phụ", "Tỉnh Hưng Yên"],
        [4, "3301000104", "Lê Thu Trang", "02/02/2009", "Nữ", "11A2", "Trường THPT Nguyễn Du", "xã quỳnh phụ", "hưng yên"],
        [5, "3301000102", "Trần Văn Khánh", "05/07/2010", "Nam", "10A1", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [6, "3301000106", "Đỗ Ngọc Ánh", "14/08/2008", "Nữ", "12A3", "Trường THPT Nguyễn Du", "Thị trấn Quỳnh Côi", "Hưng Yên"],
        [7, "3301000107", "Vũ Đức Thịnh", "30/09/2010", "Nam", "", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [8, "3301000108", "Hoàng Gia Bảo", "09/01/2011", "Nam", "9A", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [9, "", "Bùi Khánh Linh", "17/04/2010", "Nữ", "10A1", "Trường THPT Nguyễn Du", "Xã Nguyễn Du", "Hưng Yên"],
        [10, "3301000110", "Ngô Phương Thảo", "23/06/2008", "Nữ", "12A3", "Trường THPT Nguyễn Du", "Xã Nguyễn Duu", "Hưng Yên"],
        [],
        ["", "", "", "", "", "", "Hưng Yên, ngày 15 tháng 9 năm 2025"],
        ["", "Người lập biểu", "", "", "", "", "Hiệu trưởng"],
    ]
    (folder / "ds-hoc-sinh-utf8-bom.csv").write_bytes(codecs.BOM_UTF8 + csv_text(rows).encode("utf-8"))


def roster_utf16(folder: Path) -> None:
    """Excel "Unicode Text" (UTF-16 LE with BOM, tab-separated), old province name Thái Bình."""
    rows: list[list[object]] = [
        ["DANH SÁCH HỌC SINH TRƯỜNG THPT BẮC ĐÔNG QUAN"],
        ["STT", "Mã HS", "Họ tên", "Lớp", "Khối", "Năm học", "Tên trường", "Phường/Xã", "Tỉnh"],
        [1, "3401000201", "Phạm Thị Mai", "10A", "10", "2025 - 2026", "Trường THPT Bắc Đông Quan", "Xã Bắc Đông Quan", "Thái Bình"],
        [2, "3401000202", "Nguyễn Văn Hùng", "10A", "10", "2025 - 2026", "Trường THPT Bắc Đông Quan", "Bắc Đông Quan", "Thái Bình"],
        [3, "3401000203", "Trần Thị Lan", "11B", "11", "2025 - 2026", "Trường THPT Bắc Đông Quan", "Xã Đông Hưng", "Tỉnh Thái Bình"],
        [4, "3401000204", "Lương Văn Tuấn", "11B", "11", "2025 - 2026", "Trường THPT Bắc Đông Quan", "Huyện Vũ Thư", "Thái Bình"],
        [5, "3401000205", "Đinh Thị Hà", "12C", "12", "2025 - 2026", "Trường THPT Bắc Đông Quan", "Xã Đông Hưng", "Thái Bìnhh"],
        [6, "3401000206", "Tạ Quang Huy", "12C", "12", "2025-2026", "Trường THPT Bắc Đông Quan", "Xã Đông Quan", "Hưng Yên"],
    ]
    data = csv_text(rows, delimiter="\t")
    (folder / "ds-hoc-sinh-unicode-text.txt").write_bytes(codecs.BOM_UTF16_LE + data.encode("utf-16-le"))


def roster_cp1258(folder: Path) -> None:
    """An old Windows export: Windows-1258 (tone marks as combining characters), semicolons."""
    rows: list[list[object]] = [
        ["TRƯỜNG THPT PHỐ HIẾN"],
        ["DANH SÁCH HỌC SINH LỚP 11A2 - NĂM HỌC 2025-2026"],
        ["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố"],
        ["3301000301", "Lê Hoàng Yến", "11A2", "Trường THPT Phố Hiến", "P. Phố Hiến", "Hung Yen"],
        ["3301000302", "Nguyễn Đức Mạnh", "11A2", "Trường THPT Phố Hiến", "phuong son nam", "TỈNH HƯNG YÊN"],
        ["3301000303", "Trịnh Thùy Dương", "11A2", "Trường THPT Phố Hiến", "Phường Hồng Châu", "Hưng Yên"],
        ["3301000304", "Mai Xuân Trường", "11A2", "Trường THPT Phố Hiến", "Phường Hiến Nam", "Hưng Yên"],
    ]
    (folder / "ds-hoc-sinh-windows-1258.csv").write_bytes(cp1258(csv_text(rows, delimiter=";")))


def roster_nfd(folder: Path) -> None:
    """A file saved on a Mac: UTF-8 without BOM, every letter decomposed (NFD)."""
    rows: list[list[object]] = [
        ["Danh sách học sinh năm học 2025-2026"],
        ["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố"],
        ["3301000401", "Đặng Thị Thủy Tiên", "10A5", "Trường THPT Hưng Yên", "Phường Sơn Nam", "Hưng Yên"],
        ["3301000402", "Quách Hữu Nghĩa", "10A5", "Trường THPT Hưng Yên", "Phường Phố Hiến", "Hưng Yên"],
    ]
    text = unicodedata.normalize("NFD", csv_text(rows))
    (folder / "ds-hoc-sinh-nfd.csv").write_bytes(text.encode("utf-8"))


def _title_block(ws, lines: list[str], width: int) -> None:  # noqa: ANN001
    for row, line in enumerate(lines, 1):
        ws.cell(row, 1, line).font = Font(bold=True)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def roster_xlsx(folder: Path) -> None:
    """A school's own workbook: a sheet per class, two-row header, codes stored as numbers, no Trường column."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide["A1"] = "Điền mỗi lớp vào một trang tính. Không xóa dòng tiêu đề."
    classes = {
        "10A1": [
            (3301000501, "Nguyễn Hải Đăng", "Phường Phố Hiến", "Hưng Yên"),
            (3301000502, "Phạm Thị Ngọc Hân", "Xã Tiên Lữ", "Hưng Yên"),
            (3301000503, "Lê Minh Khôi", "Xã Tiên Lữ", "Hưng Yên"),
        ],
        "10A2": [
            (3301000511, "Vương Thị Diệu Linh", "Xã Tiên Lữ", "Hưng Yên"),
            (3301000512, "Cao Tiến Dũng", "", "Hưng Yên"),
            (3301000502, "Phạm Thị Ngọc Hân", "Xã Tiên Lữ", "Hưng Yên"),
        ],
    }
    for name, students in classes.items():
        ws = wb.create_sheet(name)
        _title_block(ws, ["SỞ GIÁO DỤC VÀ ĐÀO TẠO HƯNG YÊN", "TRƯỜNG THPT TIÊN LỮ",
                          f"DANH SÁCH HỌC SINH LỚP {name} NĂM HỌC 2025 - 2026"], 6)
        ws.append([])
        ws.append(["STT", "Mã học sinh", "Họ và tên", "Lớp", "Địa chỉ", None])
        ws.merge_cells(start_row=5, start_column=5, end_row=5, end_column=6)
        ws.append([None, None, None, None, "Xã/Phường", "Tỉnh/Thành phố"])
        for number, (code, full_name, commune, province) in enumerate(students, 1):
            ws.append([number, code, full_name, name, commune, province])
        ws.append([])
        ws.append([None, None, None, "Tiên Lữ, ngày 12 tháng 9 năm 2025"])
        ws.append([None, "Giáo viên chủ nhiệm"])
    wb.save(folder / "ds-hoc-sinh-theo-lop.xlsx")


def roster_staff(folder: Path) -> None:
    """Staff of the one-stop desks, from a home-affairs workbook; one old province (Hải Dương)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    _title_block(ws, ["UBND TỈNH HƯNG YÊN", "DANH SÁCH CÁN BỘ, CÔNG CHỨC BỘ PHẬN MỘT CỬA CẤP XÃ NĂM 2025"], 7)
    ws.append([])
    ws.append(["STT", "Mã cán bộ", "Họ và tên", "Chức vụ", "Cơ quan/đơn vị", "Xã/Phường", "Tỉnh/Thành phố"])
    staff = [
        ("CB-0001", "Nguyễn Văn Thành", "Công chức văn phòng", "UBND phường Phố Hiến", "Phường Phố Hiến", "Hưng Yên"),
        ("CB-0002", "Trần Thị Thu Hà", "Công chức tư pháp - hộ tịch", "UBND phường Phố Hiến", "Phường Phố Hiến", "Hưng Yên"),
        ("CB-0003", "Phạm Quốc Việt", "Công chức địa chính", "UBND xã Tiên Lữ", "Xã Tiên Lữ", "Hưng Yên"),
        ("cb-0004", "Đào Thị Kim Oanh", "Viên chức một cửa", "UBND phường Hải Dương", "Phường Hải Dương", "Hải Dương"),
        ("CB-0005", "Lại Văn Sơn", "Công chức văn phòng", "", "Xã Tiên Lữ", "Hưng Yên"),
    ]
    for number, row in enumerate(staff, 1):
        ws.append([number, *row])
    wb.save(folder / "ds-can-bo-mot-cua-2025.xlsx")


def roster_team(folder: Path) -> None:
    """Community digital technology teams of one commune (UTF-8 without BOM), no province column."""
    rows: list[list[object]] = [
        ["UBND XÃ TIÊN LỮ"],
        ["DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG NĂM 2025"],
        ["STT", "Mã thành viên", "Họ và tên", "Tổ", "Xã/Phường", "Số điện thoại"],
        [1, "TCN-01", "Hà Văn Long", "Tổ công nghệ số cộng đồng thôn Đông", "Xã Tiên Lữ", "0912000001"],
        [2, "TCN-02", "Phùng Thị Yến", "Tổ công nghệ số cộng đồng thôn Đông", "Xã Tiên Lữ", "0912000002"],
        [3, "TCN-03", "Kiều Văn Nam", "Tổ công nghệ số cộng đồng thôn Tây", "Xã Tiên Lữ", "0912000003"],
    ]
    (folder / "ds-to-cong-nghe-so-2025.csv").write_text(csv_text(rows), encoding="utf-8")


# -- realistic completion records ---------------------------------------------------------------------
def records_paper(folder: Path) -> None:
    """A teacher's attendance sheet typed from paper: x = present."""
    rows: list[list[object]] = [
        ["SỔ ĐIỂM DANH - LỚP 10A1 - TRƯỜNG THPT NGUYỄN DU"],
        ["STT", "Mã học sinh", "Họ và tên", "Khóa học", "Bài học", "Ngày học", "Có mặt"],
        [1, "3301000101", "Nguyễn Thị Hồng Nhung", "mini-dvc", "Bài 1", "06/10/2025", "x"],
        [2, "3301000102", "Trần Văn Khánh", "mini-dvc", "Bài 1", "06/10/2025", "vắng"],
        [3, "3301000101", "Nguyễn Thị Hồng Nhung", "mini-dvc", "Bài 2", "13/10/2025", "x"],
        [4, "3301000102", "Trần Văn Khánh", "mini-dvc", "Bài 2", "13/10/2025", "x"],
        [5, "3301009999", "Học sinh không có trong danh sách", "mini-dvc", "Bài 2", "13/10/2025", "x"],
        [6, "3301000101", "Nguyễn Thị Hồng Nhung", "mini-dvc", "Bài 3", "20/10/2025", "x"],
        [7, "3301000102", "Trần Văn Khánh", "Làm quen dịch vụ công trực tuyến", "Bài 1", "31/02/2025", "x"],
        [8, "3301000102", "Trần Văn Khánh", "Làm quen dịch vụ công trực tuyến", "Bài 1", "20/10/2025", "x"],
        [9, "3301000103", "Phạm Minh Quân", "mini-dvcc", "Bài 1", "20/10/2025", "x"],
        [],
        ["", "Giáo viên điểm danh"],
    ]
    (folder / "diem-danh-10a1.csv").write_bytes(codecs.BOM_UTF8 + csv_text(rows).encode("utf-8"))


def records_lms(folder: Path) -> None:
    """An LMS grade export (Moodle-like): Họ, Tên, Mã số, e-mail, score, maximum, completion time."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Điểm"
    ws.append(["Họ", "Tên", "Mã số", "Địa chỉ thư điện tử", "Điểm bài kiểm tra cuối khóa", "Điểm tối đa",
               "Ngày hoàn thành"])
    ws.append(["Nguyễn Thị Hồng", "Nhung", "3301000101", "nhung@example.edu.vn", 8.5, 10, datetime(2025, 10, 20, 14, 32)])
    ws.append(["Trần Văn", "Khánh", "3301000102", "khanh@example.edu.vn", "6,5", 10, datetime(2025, 10, 20, 14, 40)])
    ws.append(["Phạm Minh", "Quân", "3301000103", "quan@example.edu.vn", "-", 10, None])
    ws.append(["Lê Thu", "Trang", "3301000104", "trang@example.edu.vn", 11, 10, datetime(2025, 10, 20, 15, 2)])
    ws.append(["Trần Văn", "Khánh", "3301000102", "khanh@example.edu.vn", 9, 10, "27/10/2025 09:15"])
    ws.append(["Lê Thu", "Trang", "3301000104", "trang@example.edu.vn", 7, 10, datetime(2026, 1, 5, 8, 0)])
    wb.save(folder / "ket-qua-lms.xlsx")


# -- the worked example: a small province, hand-countable --------------------------------------------
FAMILY = ["Lò", "Tòng", "Vàng", "Giàng", "Nguyễn", "Trần", "Hoàng", "Lường", "Sùng", "Phạm"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Chiến", "Dung", "Hạnh", "Khải", "Lan", "Mạnh", "Ngân", "Pình", "Quyết", "Sơn", "Tâm",
         "Uyên", "Vy", "Xuân", "Yến"]


def person(number: int) -> str:
    return f"{FAMILY[number % 10]} {MIDDLE[number % 6]} {GIVEN[number % 17]}"


# (school, commune, code prefix, learners as (class, kind)) — kinds are explained in worked/README.md.
WORKED_SCHOOLS = [
    ("Trường THPT Thành phố Lai Châu", "Phường Đoàn Kết", "12010001", [
        *[("11A1", "earlier")] * 6, ("11A1", "boundary-before"), ("10A1", "boundary-first"), ("10A1", "recent"),
        ("10A1", "late-lesson"), ("10A1", "failed"), ("10A1", "missing-lesson"),
    ]),
    ("Trường THPT Quyết Thắng", "Phường Đoàn Kết", "12010002", [
        ("11A2", "earlier"), ("11A2", "earlier"), ("10A2", "recent"), ("10A2", "recent"), ("10A2", "retry-pass"),
        ("10A2", "recent"), ("10A2", "after-report"), ("10A2", "none"), ("10A2", "none"), ("10A2", "lesson-only"),
    ]),
    ("Trường THPT Tam Đường", "Xã Bình Lư", "12010003", [
        *[("11A1", "earlier")] * 3, ("10A1", "recent"), ("10A1", "recent"), *[("10A1", "none")] * 10,
    ]),
    ("Trường Phổ thông Dân tộc nội trú tỉnh Lai Châu", "Phường Tân Phong", "12010004", [
        *[("12A1", "earlier")] * 3, *[("12A1", "none")] * 3,
    ]),
]


def worked_example(folder: Path) -> None:
    roster = [["SỞ GIÁO DỤC VÀ ĐÀO TẠO LAI CHÂU"], ["DANH SÁCH HỌC SINH THPT NĂM HỌC 2025-2026"], [],
              ["STT", "Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố"]]
    last_year = [["DANH SÁCH HỌC SINH THPT NĂM HỌC 2024-2025"],
                 ["STT", "Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố"]]
    attendance = [["Mã học sinh", "Khóa học", "Bài học", "Ngày"]]
    results = [["Mã học sinh", "Khóa học", "Điểm", "Ngày kiểm tra"]]
    number = 0

    def lessons(code: str, first: date, second: date) -> None:
        attendance.append([code, "mini-dvc", "1", first.strftime("%d/%m/%Y")])
        attendance.append([code, "mini-dvc", "2", second.strftime("%d/%m/%Y")])

    def quiz(code: str, score: str, day: date) -> None:
        results.append([code, "mini-dvc", score, day.strftime("%d/%m/%Y")])

    for school, commune, prefix, learners in WORKED_SCHOOLS:
        for index, (class_name, kind) in enumerate(learners, 1):
            number += 1
            code = f"{prefix}{index:02d}"
            roster.append([number, code, person(number), class_name, school, commune, "Lai Châu"])
            if kind in ("earlier", "boundary-before"):
                previous = "10" + class_name[2:] if class_name.startswith("11") else "11" + class_name[2:]
                last_year.append([len(last_year) - 1, code, person(number), previous, school, commune, "Lai Châu"])
            if kind == "earlier":  # completed in the previous school year
                lessons(code, date(2025, 3, 10), date(2025, 3, 17))
                quiz(code, "8", date(2025, 3, 24))
            elif kind == "boundary-before":  # completed the day before the trend window opens
                lessons(code, date(2025, 8, 11), date(2025, 8, 14))
                quiz(code, "9", date(2025, 8, 17))
            elif kind == "boundary-first":  # completed on the first day of the trend window
                lessons(code, date(2025, 8, 11), date(2025, 8, 14))
                quiz(code, "7,5", date(2025, 8, 18))
            elif kind == "recent":
                lessons(code, date(2025, 9, 15), date(2025, 9, 22))
                quiz(code, "8", date(2025, 10, 6))
            elif kind == "late-lesson":  # passed before the window, last lesson inside it
                attendance.append([code, "mini-dvc", "1", "04/08/2025"])
                quiz(code, "9", date(2025, 8, 10))
                attendance.append([code, "mini-dvc", "2", "20/09/2025"])
            elif kind == "failed":  # every lesson, but 6/10 is below the pass mark of 70%
                lessons(code, date(2025, 9, 15), date(2025, 9, 22))
                quiz(code, "6", date(2025, 10, 6))
            elif kind == "missing-lesson":  # passed, but never attended lesson 2
                attendance.append([code, "mini-dvc", "1", "15/09/2025"])
                quiz(code, "9", date(2025, 10, 6))
            elif kind == "retry-pass":  # 5/10, then exactly the pass mark 7/10
                lessons(code, date(2025, 9, 15), date(2025, 9, 22))
                quiz(code, "5", date(2025, 10, 6))
                quiz(code, "7", date(2025, 10, 20))
            elif kind == "after-report":  # completes after the report date: not counted on 15/11
                lessons(code, date(2025, 11, 3), date(2025, 11, 10))
                quiz(code, "10", date(2025, 11, 20))
            elif kind == "lesson-only":
                lessons(code, date(2025, 9, 15), date(2025, 9, 22))
    # A student who graduated in 2025: completed, but not enrolled in 2025-2026, so not counted.
    last_year.append([len(last_year) - 1, "1201000199", person(99), "12A1", "Trường THPT Thành phố Lai Châu",
                      "Phường Đoàn Kết", "Lai Châu"])
    lessons("1201000199", date(2025, 3, 10), date(2025, 3, 17))
    quiz("1201000199", "10", date(2025, 3, 24))

    staff_roster = [["DANH SÁCH CÁN BỘ BỘ PHẬN MỘT CỬA NĂM 2025"],
                    ["STT", "Mã cán bộ", "Họ và tên", "Cơ quan", "Xã/Phường", "Tỉnh/Thành phố"]]
    staff_results = [["Mã cán bộ", "Khóa học", "Bài học", "Điểm", "Ngày"]]
    for index in range(1, 13):
        code = f"LC-CB-{index:02d}"
        staff_roster.append([index, code, person(200 + index), "UBND phường Đoàn Kết", "Phường Đoàn Kết", "Lai Châu"])
        if index <= 2:  # trained in March 2025, before the trend window
            days = ("03/03/2025", "10/03/2025")
        elif index <= 8:  # trained in October 2025
            days = ("06/10/2025", "13/10/2025")
        elif index == 9:  # trained in 2024 only: the yearly target needs 2025
            days = ("04/11/2024", "11/11/2024")
        elif index == 10:  # lesson 1 in December 2024, the rest in 2025: not complete within 2025
            staff_results.append([code, "minicb-dvc", "1", "", "16/12/2024"])
            staff_results.append([code, "minicb-dvc", "2", "9", "13/10/2025"])
            continue
        else:
            continue
        staff_results.append([code, "minicb-dvc", "1", "", days[0]])
        staff_results.append([code, "minicb-dvc", "2", "8", days[1]])

    team_roster = [["DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG NĂM 2025"],
                   ["STT", "Mã thành viên", "Họ và tên", "Tổ", "Xã/Phường", "Tỉnh/Thành phố"]]
    for index in range(1, 6):
        code = f"LC-TCN-{index:02d}"
        team_roster.append([index, code, person(300 + index), "Tổ công nghệ số cộng đồng tổ dân phố 5",
                            "Phường Tân Phong", "Lai Châu"])
        staff_results.append([code, "minitc-dvc", "1", "", "07/07/2025"])
        staff_results.append([code, "minitc-dvc", "2", "10", "14/07/2025"])

    files = {
        "hoc-sinh-2025-2026.csv": roster, "hoc-sinh-2024-2025.csv": last_year, "diem-danh.csv": attendance,
        "kiem-tra.csv": results, "can-bo-2025.csv": staff_roster, "to-cong-nghe-so-2025.csv": team_roster,
        "can-bo-va-to-ket-qua.csv": staff_results,
    }
    for name, rows in files.items():
        (folder / name).write_text(csv_text(rows), encoding="utf-8")


def main() -> None:
    rosters, records, worked = HERE / "rosters", HERE / "records", HERE / "worked"
    for folder in (rosters, records, worked):
        folder.mkdir(exist_ok=True)
    for make in (roster_utf8_bom, roster_utf16, roster_cp1258, roster_nfd, roster_xlsx, roster_staff, roster_team):
        make(rosters)
    records_paper(records)
    records_lms(records)
    worked_example(worked)


if __name__ == "__main__":
    main()
