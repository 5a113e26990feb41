"""Report outputs: a terminal table and a CSV file (the workbook is ``workbook.py``, the PDF ``document.py``).

Every output carries aggregates only. Text cells that a spreadsheet would run as a formula (leading
= + - @) are written as text. Files are written to a temporary sibling and renamed into place, so an
interrupted run never leaves half a report.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from .formats import printable, safe_text, vi_date, vi_int, vi_percent
from .report import SUPPRESSED_LABEL, CourseSection, CoverageReport, Level, ReportRow


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
def write_xlsx(report: CoverageReport, path: Path, **options: object) -> None:
    """The yearly report as a workbook (``workbook.write_xlsx``; openpyxl is loaded only when needed)."""
    from .workbook import write_xlsx as write

    write(report, path, **options)
