"""The bounded workbook reader (generator/coverage/sheetreader.py) reads what Excel-style writers write the
way openpyxl reads it: text, numbers, dates, booleans, formulas' cached values, rich and inline text,
missing rows and cells; and LibreOffice's own .ods of the same sheet gives the same rows."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from generator.coverage.sheetreader import open_workbook


def sample(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws.append(["Mã", "Tên", "Điểm", "Ngày", "Đạt", "Tổng"])
    ws.append(["033209000101", "Nguyễn Thị Hồng", 8.5, datetime(2025, 10, 6), True, None])
    ws.append([33209000102, CellRichText(["Trần ", TextBlock(InlineFont(b=True), "Văn Khánh")]), 7, datetime(2025, 10, 13, 9, 30), False, None])
    ws["F2"] = "=C2*10"
    ws.cell(row=9, column=2, value="xa phía dưới")  # rows 4-8 missing
    ws.cell(row=9, column=8, value=1e-3)
    wb.save(path)
    return path


def rows_of(path: Path, sheet: str) -> list[tuple[int, tuple]]:
    book = open_workbook(path)
    try:
        name, hidden, part = next(entry for entry in book.sheets if entry[0] == sheet)
        return [(number, cells) for number, cells, _ in book.sheet(name, hidden, part).rows]
    finally:
        book.close()


def test_xlsx_values_match_openpyxl(tmp_path):
    path = sample(tmp_path / "mau.xlsx")
    ours = rows_of(path, "Dữ liệu")
    theirs = [(n, tuple(row)) for n, row in enumerate(load_workbook(path, read_only=True, data_only=True)["Dữ liệu"]
                                                   .iter_rows(values_only=True), 1)]
    theirs = [(n, tuple(c for c in row)) for n, row in theirs if any(c is not None for c in row)]
    assert [n for n, _ in ours] == [1, 2, 3, 9]  # the missing rows are not made up
    for (number, cells), (_, expected) in zip(ours, theirs, strict=True):
        trimmed = expected[:len(cells)]
        assert cells == trimmed, number
        assert all(c is None for c in expected[len(cells):])  # no padding to the sheet's width
    assert ours[1][1][3] == datetime(2025, 10, 6) and ours[2][1][1] == "Trần Văn Khánh" and ours[2][1][4] is False


def test_libreoffice_ods_gives_the_same_rows(tmp_path):
    path = sample(tmp_path / "mau.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    assert rows_of(tmp_path / "mau.ods", "Dữ liệu") == [
        (1, ("Mã", "Tên", "Điểm", "Ngày", "Đạt", "Tổng")),
        (2, ("033209000101", "Nguyễn Thị Hồng", 8.5, datetime(2025, 10, 6), True, 85)),  # LibreOffice computed F2
        (3, (33209000102, "Trần Văn Khánh", 7, datetime(2025, 10, 13, 9, 30), False)),
        (9, (None, "xa phía dưới", None, None, None, None, None, 0.001)),
    ]
    assert rows_of(path, "Dữ liệu")[1:3] == [
        (2, ("033209000101", "Nguyễn Thị Hồng", 8.5, datetime(2025, 10, 6), True)),  # openpyxl stores no value for F2
        (3, (33209000102, "Trần Văn Khánh", 7, datetime(2025, 10, 13, 9, 30), False)),
    ]
