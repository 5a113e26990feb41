"""The yearly report as an XLSX workbook that prints as a document: A4, fitted to the page width.

Sheets: provinces, communes, units by commune (a school split by where its learners live), units'
totals (a school's learners across communes) and a chart. Every table sheet has the official heading,
one header row repeated on each printed page, a band per course (its title, audience, period and
target, so no column repeats them), totals rows, and the signature lines. Columns are sized so that
fitting to the page width keeps the print scale at 100%: the smallest type on paper is ``MIN_PT``.
Pages flow down (fitToHeight 0); the chart sheet is one landscape page with the target as a line.

Figures are values, never formulas (a formula would let a name run as code, and suppressed rows
must not be recomputable). Written to a temporary sibling and renamed into place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..diagnostics import CoursegenError
from .formats import REPORT_TITLE, looks_like_formula, printable, vi_date
from .official import DRAFT_STAMP, Heading, date_line
from .report import SUPPRESSED_LABEL, CourseSection, CoverageReport, Level, ReportRow

FONT = "Times New Roman"  # LibreOffice prints it with the metric-compatible Liberation Serif
BODY_PT = 11
MIN_PT = 10  # page footer; everything else is 11 pt or larger, at a print scale of 100%
HEADER_ROW = 8

# Column widths are in Excel character units (the default font's digit width, about 7 px at 96 dpi).
FIGURES = (("Số người học", 10), ("Đã hoàn thành", 11), ("Tỷ lệ", 8), ("Còn thiếu", 9), ("Tình trạng", 14),
           ("Dự kiến đạt chỉ tiêu", 12))
LINE_PT = 15.0  # one line of 11 pt type
# Printable height (A4 less 18 mm margins top and bottom), a little short of it for rounding.
PAGE_BODY_PT = {False: (841.9 - 2 * 51.1) * 0.97, True: (595.3 - 2 * 51.1) * 0.97}


@dataclass(frozen=True)
class SheetSpec:
    title: str
    level: Level | None  # None: the units' totals (CourseSection.schools)
    place_columns: tuple[tuple[str, int], ...]
    landscape: bool


SHEETS = (
    SheetSpec("Tỉnh - Thành phố", Level.PROVINCE, (("Tỉnh/Thành phố", 18),), False),
    SheetSpec("Xã - Phường", Level.COMMUNE, (("Xã/Phường", 18),), False),
    SheetSpec("Đơn vị theo xã", Level.UNIT, (("Xã/Phường nơi người học ở", 24), ("Đơn vị (trường, cơ quan, tổ)", 38)),
              True),
    SheetSpec("Tổng theo đơn vị", None, (("Đơn vị (trường, cơ quan, tổ)", 44), ("Số xã/phường", 11)),
              True),
)
CHART_SHEET = "Biểu đồ"


def _put(ws, row: int, column: int, value: object, **style: object):
    """Set a cell; text is always stored as text, never as a formula."""
    if isinstance(value, str):
        value = printable(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.body = Font(name=FONT, size=BODY_PT)
        self.bold = Font(name=FONT, size=BODY_PT, bold=True)
        self.italic = Font(name=FONT, size=BODY_PT, italic=True)
        self.head12 = Font(name=FONT, size=12)
        self.head12b = Font(name=FONT, size=12, bold=True)
        self.title = Font(name=FONT, size=13, bold=True)
        self.subtitle = Font(name=FONT, size=12, italic=True)
        self.draft = Font(name=FONT, size=12, bold=True, color="C00000")
        self.head_fill = PatternFill("solid", fgColor="DDEBF7")
        self.band_fill = PatternFill("solid", fgColor="F2F2F2")
        self.hidden_fill = PatternFill("solid", fgColor="EEEEEE")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.status = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
        self.right = Alignment(horizontal="right", vertical="center", indent=1)
        self.motto = Font(name=FONT, size=12, bold=True, underline="single")


def write_xlsx(report: CoverageReport, path: Path, *, publisher: str = "", province: str = "",
               heading: Heading | None = None) -> None:
    """Write the workbook; ``heading`` (official.heading_for) names the issuer and marks drafts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    styles = _Styles()
    workbook = Workbook()
    # The default font sets the unit of column widths: Calibri is not on most Linux machines and its
    # stand-in (DejaVu Sans) is wider, so LibreOffice would print every sheet at about 80%.
    workbook._fonts = IndexedList([Font(name=FONT, size=BODY_PT, family=1)])
    workbook.remove(workbook.active)
    for spec in SHEETS:
        _table_sheet(workbook.create_sheet(spec.title), spec, report, styles, heading, publisher, province)
    _chart_sheet(workbook.create_sheet(CHART_SHEET), report, styles, heading)

    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}.xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(temp)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được {path}: {exc}") from exc


# -- page setup ----------------------------------------------------------------------------------------
def _page_setup(ws, *, landscape: bool, one_page: bool, heading: Heading | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as the rows need
    ws.page_margins.left, ws.page_margins.right = 0.79, 0.59  # 20 mm, 15 mm
    ws.page_margins.top = ws.page_margins.bottom = 0.71  # 18 mm
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.size = MIN_PT
    ws.oddFooter.center.font = FONT
    if heading is not None and heading.draft:
        ws.oddHeader.center.text = DRAFT_STAMP
        ws.oddHeader.center.size = 14
        ws.oddHeader.center.font = f"{FONT},Bold"
        ws.oddHeader.center.color = "C00000"


def _heading_rows(ws, width: int, report: CoverageReport, styles: _Styles, heading: Heading | None,
                  publisher: str, subtitle: str) -> None:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(width)
    split = max(2, width // 2 - 1)  # the issuer on the left, the national motto on the right
    left_end, right_start = get_column_letter(split), get_column_letter(split + 1)
    parent = heading.issuer_parent if heading else ""
    issuer = heading.issuer if heading else (publisher or "ĐƠN VỊ BÁO CÁO")
    _put(ws, 1, 1, parent.upper(), font=styles.head12, alignment=styles.center)
    _put(ws, 2, 1, issuer.upper(), font=styles.head12b, alignment=styles.center)
    _put(ws, 1, split + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=styles.head12b, alignment=styles.center)
    _put(ws, 2, split + 1, "Độc lập - Tự do - Hạnh phúc", font=styles.motto, alignment=styles.center)
    for row in (1, 2):
        ws.merge_cells(f"A{row}:{left_end}{row}")
        ws.merge_cells(f"{right_start}{row}:{last}{row}")
    left_width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, split + 1))
    ws.row_dimensions[1].height = 16 * _lines(parent.upper(), left_width, 12) + 1
    ws.row_dimensions[2].height = 16 * _lines(issuer.upper(), left_width, 12) + 1  # long names wrap
    ws.row_dimensions[3].height = 6
    _put(ws, 4, 1, REPORT_TITLE, font=styles.title, alignment=styles.center)
    ws.merge_cells(f"A4:{last}4")
    widths = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, width + 1))
    ws.row_dimensions[4].height = 18 * _lines(REPORT_TITLE, widths, 13) + 2
    _put(ws, 5, 1, subtitle, font=styles.subtitle, alignment=styles.center)
    ws.merge_cells(f"A5:{last}5")
    notes = []
    if heading is not None and heading.draft:
        notes.append((f"{DRAFT_STAMP}: chưa ghi cơ quan ban hành (report.issuer trong coursegen.yml).", styles.draft))
    if report.public:
        notes.append((f"Bản công bố: số liệu chỉ ở dạng tổng hợp; các nhóm dưới {report.suppress_below}"
                      " người học không được công bố.", styles.italic))
    for offset, (text, font) in enumerate(notes[:2]):
        _put(ws, 6 + offset, 1, text, font=font, alignment=styles.center)
        ws.merge_cells(f"A{6 + offset}:{last}{6 + offset}")
    for row in range(6 + len(notes), HEADER_ROW):
        ws.row_dimensions[row].height = 6  # no note: a thin gap


def course_band(section: CourseSection) -> str:
    """The line naming a course above its rows: title, audience, period and target."""
    target = section.target
    return (f"Khóa học: {section.course.title} — {section.course.audience.label}, {section.window.period_label}"
            f" — chỉ tiêu {target.percent}% đến {vi_date(target.deadline)}")


# -- table sheets ----------------------------------------------------------------------------------------
def _table_sheet(ws, spec: SheetSpec, report: CoverageReport, styles: _Styles, heading: Heading | None,
                 publisher: str, province: str) -> None:
    from openpyxl.utils import get_column_letter

    columns = (("STT", 5), *spec.place_columns, *FIGURES)
    width = len(columns)
    ws.sheet_format.defaultRowHeight = LINE_PT
    ws.sheet_format.customHeight = True
    first_figure = 2 + len(spec.place_columns)
    level_label = "đơn vị (tổng của mỗi đơn vị)" if spec.level is None else spec.level.label.lower()
    subtitle = f"Cấp {level_label}; số liệu tính đến ngày {vi_date(report.as_of)}"
    if area := report.area(province):
        subtitle = f"{area} — {subtitle}"
    for index, (title, size) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = size
        _put(ws, HEADER_ROW, index, title, font=styles.bold, fill=styles.head_fill, border=styles.box,
             alignment=styles.center)
    _heading_rows(ws, width, report, styles, heading, publisher, subtitle)
    ws.row_dimensions[HEADER_ROW].height = 15 * max(_lines(title, size, fill=0.85) for title, size in columns) + 2
    last = get_column_letter(width)

    line = HEADER_ROW
    for section in report.sections:
        line += 1
        _put(ws, line, 1, course_band(section), font=styles.bold, fill=styles.band_fill, alignment=styles.left,
             border=styles.box)
        ws.merge_cells(f"A{line}:{last}{line}")
        ws.row_dimensions[line].height = LINE_PT * _lines(course_band(section), sum(w for _, w in columns)) + 2
        rows = section.schools if spec.level is None else section.level(spec.level)
        if not rows:
            line += 1
            _put(ws, line, 1, "(chưa có người học nào trong danh sách của kỳ này)", font=styles.italic)
            ws.merge_cells(f"A{line}:{last}{line}")
            continue
        provinces = {r.province_code: r for r in section.level(Level.PROVINCE)}
        number = 0
        for code in dict.fromkeys(r.province_code for r in rows):
            group = [r for r in rows if r.province_code == code]
            if spec.level is not Level.PROVINCE and len(provinces) > 1:  # one province: named in the subtitle
                line += 1
                _put(ws, line, 1, group[0].province, font=styles.bold, alignment=styles.left, border=styles.box)
                ws.merge_cells(f"A{line}:{last}{line}")
            for row in group:
                number += 1
                line += 1
                _data_row(ws, line, number, _places(spec, row), row, first_figure, width, styles)
            if spec.level is not Level.PROVINCE:
                line += 1
                _data_row(ws, line, None, [f"Cộng {provinces[code].province}"] + [""] * (len(spec.place_columns) - 1),
                          provinces[code], first_figure, width, styles, bold=True)
        total = section.total()
        if total is not None and (spec.level is Level.PROVINCE or len(provinces) > 1):
            line += 1
            _data_row(ws, line, None, ["Tổng cộng"] + [""] * (len(spec.place_columns) - 1), total, first_figure,
                      width, styles, bold=True)
    signature = line + 2
    end = _signature(ws, signature, width, styles, heading, report)
    _keep_together(ws, signature, end, PAGE_BODY_PT[spec.landscape])
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _page_setup(ws, landscape=spec.landscape, one_page=False, heading=heading)


def _lines(text: str, width: float, size: float = BODY_PT, fill: float = 1.0) -> int:
    """How many lines ``text`` wraps onto in a column ``width`` units wide (LibreOffice does not grow
    rows to fit wrapped text of a workbook it opens, so every row gets its height here). Measured
    with the metrics of the serif the report prints in; counted in letters when it is not installed."""
    room = (7 * width + 5) * 0.75 * fill - 5  # points: about 7 px per unit at 96 dpi, less the cell padding
    measure = _measure()
    lines, used = 1, 0.0
    for word in str(text).split():
        word_pt = measure(word, size)
        space = measure(" ", size) if used else 0.0
        if used and used + space + word_pt > room:
            lines, used = lines + 1, word_pt
        else:
            used += space + word_pt
    return lines


@cache
def _measure():
    try:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from .document import register_serif

        face = register_serif()
        return lambda text, size: stringWidth(text, face + "-Bold", size)  # bold: the wider of the two
    except CoursegenError:
        return lambda text, size: len(text) * size * 0.55


def _keep_together(ws, first: int, last: int, page_pt: float) -> None:
    """Start the signature lines on a new page when they would be cut by the page end: every row height
    is known, so the pages can be counted as LibreOffice and Excel fill them."""
    from openpyxl.worksheet.pagebreak import Break

    def height(row: int) -> float:
        return ws.row_dimensions[row].height or LINE_PT

    used = 0.0
    for row in range(1, first):
        if used + height(row) > page_pt:
            used = height(HEADER_ROW)  # a new page repeats the header row
        used += height(row)
    block = sum(height(row) for row in range(first, last + 1))
    if used + block > page_pt:
        ws.row_breaks.append(Break(id=first - 1))


def _places(spec: SheetSpec, row: ReportRow) -> list[object]:
    if spec.level is Level.PROVINCE:
        return [row.province]
    if spec.level is Level.COMMUNE:
        return [row.commune]
    if spec.level is Level.UNIT:
        return [row.commune, row.unit_name]
    return [row.unit_name, row.places]


def _data_row(ws, line: int, number: int | None, places: list[object], row: ReportRow, first_figure: int,
              width: int, styles: _Styles, *, bold: bool = False) -> None:
    from openpyxl.utils import get_column_letter

    font = styles.bold if bold else styles.body
    widths = [ws.column_dimensions[get_column_letter(2 + i)].width for i in range(len(places))]
    wraps = [_lines(value, w) for value, w in zip(places, widths, strict=True) if isinstance(value, str)]
    ws.row_dimensions[line].height = LINE_PT * max([1, *wraps]) + 1
    _put(ws, line, 1, number, font=font, border=styles.box, alignment=styles.center)
    for offset, value in enumerate(places):
        align = styles.center if isinstance(value, int) else styles.left
        _put(ws, line, 2 + offset, value, font=font, border=styles.box, alignment=align)
    if bold and len(places) > 1:
        ws.merge_cells(f"B{line}:{get_column_letter(1 + len(places))}{line}")
    if row.suppressed:
        _put(ws, line, first_figure, SUPPRESSED_LABEL, font=styles.italic, border=styles.box, alignment=styles.left,
             fill=styles.hidden_fill)
        for column in range(first_figure + 1, width + 1):
            _put(ws, line, column, None, border=styles.box, fill=styles.hidden_fill)
        ws.merge_cells(f"{get_column_letter(first_figure)}{line}:{get_column_letter(width)}{line}")
        return
    figures = (row.enrolled, row.covered, row.share, row.remaining, row.status.label, row.projected)
    formats = ("#,##0", "#,##0", "0.0%", "#,##0", "General", "DD/MM/YYYY")
    for offset, (value, number_format) in enumerate(zip(figures, formats, strict=True)):
        align = styles.status if isinstance(value, str) else styles.right
        cell = _put(ws, line, first_figure + offset, value if value is not None else "—", font=font,
                    border=styles.box, alignment=align if value is not None else styles.center)
        cell.number_format = number_format


def _signature(ws, line: int, width: int, styles: _Styles, heading: Heading | None, report: CoverageReport) -> int:
    """The place and date, "NGƯỜI LẬP BIỂU" and the signer; returns the last row used."""
    from openpyxl.utils import get_column_letter

    split = max(2, width // 2 - 1)
    right, last = get_column_letter(split + 1), get_column_letter(width)
    place = heading.date_line if heading else date_line("", report.as_of)
    _put(ws, line, split + 1, place, font=styles.italic, alignment=styles.center)
    ws.merge_cells(f"{right}{line}:{last}{line}")
    _put(ws, line + 1, 2, "NGƯỜI LẬP BIỂU", font=styles.bold, alignment=styles.center)
    title = heading.signer_title if heading else "THỦ TRƯỞNG ĐƠN VỊ"
    if heading and heading.signer_authority:
        title = f"{heading.signer_authority}\n{title}"
    _put(ws, line + 1, split + 1, title.upper(), font=styles.bold, alignment=styles.center)
    ws.merge_cells(f"{right}{line + 1}:{last}{line + 1}")
    ws.row_dimensions[line + 1].height = LINE_PT * (title.count("\n") + 1) + 1
    _put(ws, line + 2, 2, "(Ký, ghi rõ họ tên)", font=styles.italic, alignment=styles.center)
    _put(ws, line + 2, split + 1, "(Ký tên, đóng dấu)", font=styles.italic, alignment=styles.center)
    ws.merge_cells(f"{right}{line + 2}:{last}{line + 2}")
    ws.row_dimensions[line + 3].height = 36  # room to sign
    _put(ws, line + 4, split + 1, heading.signer_name if heading else "", font=styles.bold, alignment=styles.center)
    ws.merge_cells(f"{right}{line + 4}:{last}{line + 4}")
    return line + 4


# -- chart sheet -------------------------------------------------------------------------------------------
CHART_COLUMNS = 15  # A..O at the default width (about 1.63 cm each): the printed area of the chart sheet
CHART_WIDTH_CM = 24.0  # inside those columns, or the print area would cut the chart
MAX_LABELLED = 25
DATA_COLUMN = 18  # the figures the charts draw, right of the printed area
PAGE_HEIGHT_CM = 14.8  # printable height of landscape A4 less the title rows, header and footer
ROW_PT = 15.0  # the chart sheet's row height


def chart_categories(section: CourseSection) -> list[ReportRow]:
    """What a course's chart compares: the whole report first, then the communes of a one-province
    report, else the provinces; groups hidden for publication are left out. (The whole comes first
    also so that the target line has two points to join when there is one commune.)"""
    provinces = section.level(Level.PROVINCE)
    if not provinces:
        return []
    if len(provinces) == 1:
        rows = [replace(provinces[0], label=f"Toàn tỉnh {provinces[0].province}"), *section.level(Level.COMMUNE)]
    else:
        total = section.total()
        rows = [total, *provinces] if total is not None else provinces
    return [r for r in rows if not r.suppressed]


def _chart_sheet(ws, report: CoverageReport, styles: _Styles, heading: Heading | None) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.utils import get_column_letter

    _put(ws, 1, 1, "Tỷ lệ hoàn thành so với chỉ tiêu (đường kẻ đỏ)", font=styles.title)
    _put(ws, 2, 1, f"Số liệu tính đến ngày {vi_date(report.as_of)}", font=styles.subtitle)
    drawn = [s for s in report.sections if chart_categories(s)]
    row_cm = ROW_PT * 2.54 / 72
    block_cm = PAGE_HEIGHT_CM / max(1, len(drawn))  # one block per course: a title row and its chart
    rows_per_block = max(8, int(block_cm / row_cm))
    height = min(11.0, (rows_per_block - 1) * row_cm - 0.15)
    ws.sheet_format.defaultRowHeight = ROW_PT
    ws.sheet_format.customHeight = True
    top, data_row = 4, 1
    for section in report.sections:
        shown = chart_categories(section)
        if not shown:
            _put(ws, top, 1, f"{section.course.title} — {section.course.audience.label}: không có số liệu để vẽ",
                 font=styles.italic)
            top += 1
            continue
        _put(ws, top, 1, f"{section.course.title} — {section.course.audience.label}, {section.window.period_label}",
             font=styles.head12b)
        col = DATA_COLUMN
        _put(ws, data_row, col, section.course.title, font=styles.bold)
        _put(ws, data_row, col + 1, "Tỷ lệ hoàn thành", font=styles.bold)
        _put(ws, data_row, col + 2, f"Chỉ tiêu {section.target.percent}%", font=styles.bold)
        for offset, row in enumerate(shown, 1):
            _put(ws, data_row + offset, col, row.name, font=styles.body)
            _put(ws, data_row + offset, col + 1, row.share, font=styles.body, number_format="0.0%")
            _put(ws, data_row + offset, col + 2, row.target.percent / 100, font=styles.body, number_format="0%")
        bars = BarChart()
        bars.type = "col"
        bars.y_axis.number_format = "0%"
        bars.y_axis.scaling.min = 0
        bars.y_axis.scaling.max = 1.1  # room above 100% for the line and the labels
        bars.y_axis.majorUnit = 0.2
        bars.y_axis.majorGridlines = None
        bars.x_axis.delete = False
        bars.y_axis.delete = False
        first, end = data_row + 1, data_row + len(shown)
        bars.add_data(Reference(ws, min_col=col + 1, min_row=data_row, max_row=end), titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=col, min_row=first, max_row=end))
        bars.series[0].graphicalProperties.solidFill = "4472C4"
        if len(shown) <= MAX_LABELLED:  # more labels than that would print over each other
            bars.dataLabels = DataLabelList()
            bars.dataLabels.showVal = True
            bars.dataLabels.showSerName = bars.dataLabels.showCatName = bars.dataLabels.showLegendKey = False
            bars.dataLabels.showPercent = False
            bars.dataLabels.numFmt = "0.0%"
        target = LineChart()
        target.add_data(Reference(ws, min_col=col + 2, min_row=data_row, max_row=end), titles_from_data=True)
        line = target.series[0]
        line.marker.symbol = "none"
        line.smooth = False
        line.graphicalProperties.line.solidFill = "C00000"
        line.graphicalProperties.line.width = 28575  # 2.25 pt
        bars += target
        bars.legend.position = "b"
        bars.height = height
        bars.width = CHART_WIDTH_CM
        ws.add_chart(bars, f"A{top + 1}")
        top += rows_per_block
        data_row = end + 2
    for index in range(1, CHART_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(index)].width = 8.43
    ws.column_dimensions[get_column_letter(DATA_COLUMN)].width = 30
    ws.print_area = f"A1:{get_column_letter(CHART_COLUMNS)}{top}"
    _page_setup(ws, landscape=True, one_page=True, heading=heading)
