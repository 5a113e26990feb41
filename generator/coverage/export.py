"""Report outputs: a terminal table, a CSV file and an XLSX workbook shaped as the yearly report.

Every output carries aggregates only. Text cells that a spreadsheet would run as a formula (leading
= + - @) are written as text. Files are written to a temporary sibling and renamed into place, so an
interrupted run never leaves half a report.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from .report import SUPPRESSED_LABEL, CourseSection, CoverageReport, Level, ReportRow

# What makes a spreadsheet read a cell as a formula: these characters at the start, also after spaces
# (" =cmd|…" is still a formula to some programs), and their full-width forms, which some convert.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_SPACE = " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\ufeff"

REPORT_TITLE = "BÁO CÁO KẾT QUẢ BỒI DƯỠNG KIẾN THỨC, KỸ NĂNG SỬ DỤNG DỊCH VỤ CÔNG TRỰC TUYẾN"


# -- Vietnamese number and date formats ------------------------------------------------------------
def vi_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vi_percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",") + "%"


def vi_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(value: str) -> str:
    """Text without control or bidi characters: a terminal would run ESC sequences, a workbook cannot hold
    them, and an RLO shows "exe.fdp" as "pdf.exe". (Imports and the aggregate reader refuse such names;
    this keeps reports safe on data stored before they did.)"""
    return _CONTROL.sub("", value)


def safe_text(value: str) -> str:
    """Text for a CSV cell: printable, and with a leading apostrophe when a spreadsheet would read it as a
    formula (also after leading spaces), which makes it plain text."""
    if not value.isprintable():  # fast path: names are printable (controls and bidi marks are not)
        value = _CONTROL.sub("", value)
    first = value.lstrip(_LEADING_SPACE) if value[:1] in _LEADING_SPACE else value
    return "'" + value if first.startswith(FORMULA_START) else value


def _section_heading(section: CourseSection, report: CoverageReport) -> list[str]:
    target, window = section.target, section.window
    lines = [
        f"Khóa học: {section.course.title} ({section.course.id})",
        f"Đối tượng: {section.course.audience.label} — {window.period_label} — chỉ tiêu {target.percent}%"
        f" đến {vi_date(target.deadline)}",
    ]
    if report.public:
        lines.append(f"Bản công bố: các nhóm dưới {report.suppress_below} người học không được công bố.")
    return lines


# -- terminal ----------------------------------------------------------------------------------------
def render_table(report: CoverageReport, levels: tuple[Level, ...] = tuple(Level)) -> str:
    """A plain-text table per course, indented province → commune → unit."""
    out = io.StringIO()
    out.write(
        f"Báo cáo độ phủ đến ngày {vi_date(report.as_of)}; tốc độ hoàn thành tính trên"
        f" {report.trend_days} ngày gần nhất (năm dương lịch với cán bộ và tổ công nghệ số).\n"
    )
    header = ("Địa bàn / đơn vị", "Người học", "Hoàn thành", "Tỷ lệ", "Chỉ tiêu", "Còn thiếu", "Tình trạng",
              "Dự kiến đạt")
    for section in report.sections:
        out.write("\n" + "\n".join(_section_heading(section, report)) + "\n")
        rows = [r for r in section.rows if r.level in levels]
        if not rows:
            out.write("  (chưa có người học nào trong danh sách của kỳ này)\n")
            continue
        indent = {Level.PROVINCE: 0, Level.COMMUNE: 2, Level.UNIT: 4}
        body = []
        for row in rows:
            name = " " * indent[row.level] + printable(row.name)
            if row.suppressed:
                body.append((name, "", "", "", "", "", "ẩn (nhóm nhỏ)", ""))
                continue
            body.append((
                name, vi_int(row.enrolled), vi_int(row.covered), vi_percent(row.share), f"{row.target.percent}%",
                vi_int(row.remaining), row.status.label, vi_date(row.projected) or "—",
            ))
        widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]
        for cells in (header, *body):
            parts = [cells[0].ljust(widths[0])] + [cells[i].rjust(widths[i]) for i in range(1, 6)]
            parts += [cells[6].ljust(widths[6]), cells[7]]
            out.write("  ".join(parts).rstrip() + "\n")
    for note in report.notes:
        out.write(f"\nLưu ý: {note}\n")
    return out.getvalue()


# -- CSV -----------------------------------------------------------------------------------------------
CSV_HEADER = (
    "Khóa học", "Đối tượng", "Kỳ báo cáo", "Cấp", "Mã tỉnh", "Tỉnh/Thành phố", "Mã xã", "Xã/Phường", "Đơn vị",
    "Số người học", "Đã hoàn thành", "Tỷ lệ (%)", "Chỉ tiêu (%)", "Hạn chỉ tiêu", "Còn thiếu", "Tình trạng",
    "Dự kiến đạt chỉ tiêu", "Số liệu đến ngày",
)


def _csv_row(row: ReportRow, as_of: date) -> list[object]:
    place = [row.course_id, row.audience.label, row.period, row.level.label, row.province_code, row.province,
             row.commune_code if row.commune_code is not None else "", row.commune, row.unit_name]
    if row.suppressed:
        figures: list[object] = ["", "", "", row.target.percent, row.target.deadline.isoformat(), "", SUPPRESSED_LABEL, ""]
    else:
        figures = [row.enrolled, row.covered, round(row.share * 100, 1), row.target.percent,
                   row.target.deadline.isoformat(), row.remaining, row.status.label,
                   row.projected.isoformat() if row.projected else ""]
    return [safe_text(v) if isinstance(v, str) else v for v in (*place, *figures, as_of.isoformat())]


def write_csv(report: CoverageReport, path: Path) -> None:
    """All levels in one CSV (UTF-8 with BOM so Excel shows Vietnamese), numbers with a dot decimal."""
    def write(handle: io.TextIOBase) -> None:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for row in report.rows():
            writer.writerow(_csv_row(row, report.as_of))

    _atomic_text(path, write)


def csv_text(report: CoverageReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in report.rows():
        writer.writerow(_csv_row(row, report.as_of))
    return buffer.getvalue()


def _atomic_text(path: Path, write: Callable[[io.TextIOBase], None]) -> None:
    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            write(handle)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được {path}: {exc}") from exc


# -- XLSX ----------------------------------------------------------------------------------------------
SHEET_NAMES = {Level.PROVINCE: "Tỉnh - Thành phố", Level.COMMUNE: "Xã - Phường", Level.UNIT: "Đơn vị"}


def _put(ws, row: int, column: int, value: object, **style: object):
    """Set a cell; text is always stored as text, never as a formula."""
    if isinstance(value, str):
        value = printable(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.lstrip(_LEADING_SPACE).startswith(FORMULA_START):
            cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def write_xlsx(report: CoverageReport, path: Path, *, publisher: str = "", province: str = "") -> None:
    """The yearly report as a workbook: one sheet per level and a chart of coverage by commune."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    hidden_fill = PatternFill("solid", fgColor="EEEEEE")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    workbook = Workbook()
    workbook.remove(workbook.active)
    for level in Level:
        ws = workbook.create_sheet(SHEET_NAMES[level])
        columns = ["STT", "Khóa học", "Đối tượng", "Kỳ báo cáo", "Tỉnh/Thành phố"]
        if level is not Level.PROVINCE:
            columns.append("Xã/Phường")
        if level is Level.UNIT:
            columns.append("Đơn vị (trường, cơ quan, tổ)")
        first_figure = len(columns) + 1
        columns += ["Số người học", "Đã hoàn thành", "Tỷ lệ", "Chỉ tiêu", "Hạn chỉ tiêu", "Còn thiếu",
                    "Tình trạng", "Dự kiến đạt chỉ tiêu"]
        width = len(columns)
        last = get_column_letter(width)
        _put(ws, 1, 1, (publisher or "ĐƠN VỊ BÁO CÁO").upper(), font=bold)
        _put(ws, 1, width - 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold)
        _put(ws, 2, width - 3, "Độc lập - Tự do - Hạnh phúc", font=bold)
        _put(ws, 4, 1, REPORT_TITLE, font=Font(bold=True, size=13), alignment=center)
        ws.merge_cells(f"A4:{last}4")
        subtitle = f"Cấp {level.label.lower()}; số liệu tính đến ngày {vi_date(report.as_of)}"
        if province:
            subtitle = f"{province} — {subtitle}"
        _put(ws, 5, 1, subtitle, font=Font(italic=True), alignment=center)
        ws.merge_cells(f"A5:{last}5")
        if report.public:
            _put(ws, 6, 1, f"Bản công bố: số liệu chỉ ở dạng tổng hợp; các nhóm dưới {report.suppress_below}"
                           " người học được ẩn.", alignment=center)
            ws.merge_cells(f"A6:{last}6")
        header_row = 8
        for index, title in enumerate(columns, 1):
            _put(ws, header_row, index, title, font=bold, fill=head_fill, border=box, alignment=center)
        line = header_row
        for number, row in enumerate(report.rows(level), 1):
            line += 1
            place: list[object] = [number, row.course_id, row.audience.label, row.period, row.province]
            if level is not Level.PROVINCE:
                place.append(row.commune)
            if level is Level.UNIT:
                place.append(row.unit_name)
            if row.suppressed:
                figures: list[object] = [None, None, None, row.target.percent / 100, row.target.deadline, None,
                                         SUPPRESSED_LABEL, None]
            else:
                figures = [row.enrolled, row.covered, row.share, row.target.percent / 100, row.target.deadline,
                           row.remaining, row.status.label, row.projected]
            for index, value in enumerate((*place, *figures), 1):
                cell = _put(ws, line, index, value, border=box)
                if row.suppressed:
                    cell.fill = hidden_fill
            ws.cell(line, first_figure + 2).number_format = "0.0%"
            ws.cell(line, first_figure + 3).number_format = "0%"
            ws.cell(line, first_figure + 4).number_format = "DD/MM/YYYY"
            ws.cell(line, first_figure + 7).number_format = "DD/MM/YYYY"
        ws.freeze_panes = ws.cell(header_row + 1, 2)
        if line > header_row:
            ws.auto_filter.ref = f"A{header_row}:{last}{line}"
        _put(ws, line + 2, 2, "NGƯỜI LẬP BIỂU", font=bold)
        _put(ws, line + 2, width - 3, "THỦ TRƯỞNG ĐƠN VỊ", font=bold)
        _put(ws, line + 3, 2, "(Ký, ghi rõ họ tên)", font=Font(italic=True))
        _put(ws, line + 3, width - 3, "(Ký tên, đóng dấu)", font=Font(italic=True))
        for index, title in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = max(9, min(34, len(title) + 4))
        for index in (2, 3, 5, 6, 7):
            if index < first_figure:
                ws.column_dimensions[get_column_letter(index)].width = 28
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_row}:{header_row}"

    chart_sheet = workbook.create_sheet("Biểu đồ")
    _put(chart_sheet, 1, 1, "Tỷ lệ hoàn thành theo xã/phường so với chỉ tiêu", font=Font(bold=True, size=13))
    top = 3
    for section in report.sections:
        shown = [r for r in section.level(Level.COMMUNE) if not r.suppressed]
        _put(chart_sheet, top, 1, f"{section.course.title} ({section.course.id}) — {section.window.period_label}",
             font=bold)
        _put(chart_sheet, top + 1, 1, "Xã/Phường", font=bold)
        _put(chart_sheet, top + 1, 2, "Tỷ lệ hoàn thành", font=bold)
        _put(chart_sheet, top + 1, 3, "Chỉ tiêu", font=bold)
        for offset, row in enumerate(shown, 2):
            _put(chart_sheet, top + offset, 1, f"{row.commune} ({row.province})")
            _put(chart_sheet, top + offset, 2, row.share, number_format="0.0%")
            _put(chart_sheet, top + offset, 3, row.target.percent / 100, number_format="0%")
        if not shown:
            _put(chart_sheet, top + 2, 1, "(không có số liệu để vẽ)")
            top += 5
            continue
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"{section.course.title}: tỷ lệ hoàn thành"
        chart.y_axis.title = "Tỷ lệ"
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        data = Reference(chart_sheet, min_col=2, max_col=3, min_row=top + 1, max_row=top + 1 + len(shown))
        categories = Reference(chart_sheet, min_col=1, min_row=top + 2, max_row=top + 1 + len(shown))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.height = max(7.5, 1.0 + 0.8 * len(shown))
        chart.width = 18
        chart_sheet.add_chart(chart, f"E{top}")
        top += max(len(shown) + 4, int(chart.height * 2) + 3)
    chart_sheet.column_dimensions["A"].width = 40
    chart_sheet.column_dimensions["B"].width = 18
    chart_sheet.column_dimensions["C"].width = 12

    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}.xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(temp)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được {path}: {exc}") from exc
