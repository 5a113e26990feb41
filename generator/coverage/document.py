"""The coverage report as a signed administrative document (PDF), laid out per Nghị định 30/2020/NĐ-CP.

Phụ lục I of the decree: A4 portrait; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm;
Times New Roman (here the metric-compatible Liberation Serif, which has every Vietnamese letter);
national name in capitals 12–13 pt bold, motto 13–14 pt bold with a rule as long as the motto;
parent body 12–13 pt capitals, issuing body 12–13 pt bold capitals with a short rule; number 13 pt;
place and date 13–14 pt italic; document kind "BÁO CÁO" and its subject 13–14 pt bold with a short rule;
body 13–14 pt justified, first line indented 1–1.27 cm, at least 6 pt between paragraphs; "Nơi nhận:"
12 pt bold italic and its list 11 pt; signer's authority, title and name 13–14 pt bold; page numbers
13–14 pt at the top centre, none on the first page. Sizes used here: 13 and 14 pt, tables 12 pt,
the list of recipients 11 pt (the smallest type).

A draft (no issuing body, or the template's) carries "BẢN NHÁP" across every page.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from ..diagnostics import CoursegenError
from ..text import nfc
from .formats import printable, vi_date, vi_int, vi_percent
from .official import DRAFT_STAMP, SUBJECT, Heading
from .report import SUPPRESSED_LABEL, CourseSection, CoverageReport, Level, ReportRow, Status

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT

SERIF = "CoursegenSerif"
FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
# Times New Roman where it is installed, else Liberation Serif (Debian fonts-liberation2; version 1 of
# fonts-liberation has no Vietnamese letters).
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman{}.ttf",
     {"Regular": "", "Bold": "_Bold", "Italic": "_Italic", "BoldItalic": "_Bold_Italic"}),
    ("/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf", None),
    ("/usr/share/fonts/truetype/liberation/LiberationSerif-{}.ttf", None),
)
VIETNAMESE_PROBE = "ẠảẤầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐơưƠƯ"
MIN_PT = 11
MAX_LISTED_BEHIND = 10
KEEP_TABLE_ROWS = 16


@cache
def register_serif() -> str:
    """Register a Times New Roman-metric face with Vietnamese letters, in four styles."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for pattern, names in FONT_CANDIDATES:
        paths = {style: Path(pattern.format(names[style] if names else style)) for style in FACES.values()}
        if not all(p.is_file() for p in paths.values()):
            continue
        regular = TTFont(SERIF, str(paths["Regular"]))
        if any(ord(ch) not in regular.face.charToGlyph for ch in VIETNAMESE_PROBE):
            continue
        for suffix, style in FACES.items():
            pdfmetrics.registerFont(regular if not suffix else TTFont(SERIF + suffix, str(paths[style])))
        for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
            addMapping(SERIF, bold, italic, SERIF + suffix)
        return SERIF
    raise CoursegenError(
        "không tìm thấy phông Times New Roman hoặc Liberation Serif có đủ chữ tiếng Việt để lập báo cáo PDF;"
        " trên Debian/Ubuntu: apt-get install fonts-liberation2 (hoặc chạy scripts/setup.sh)")


def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    def style(name: str, size: float, face: str = "", align=TA_LEFT, **extra) -> ParagraphStyle:
        extra.setdefault("leading", size * 1.2)
        return ParagraphStyle(name, fontName=SERIF + face, fontSize=size, alignment=align, **extra)

    return {
        "parent": style("parent", 13, align=TA_CENTER),
        "issuer": style("issuer", 13, "-Bold", TA_CENTER),
        "nation": style("nation", 12.5, "-Bold", TA_CENTER),
        "motto": style("motto", 13, "-Bold", TA_CENTER),
        "number": style("number", 13, align=TA_CENTER),
        "date": style("date", 14, "-Italic", TA_CENTER),
        "kind": style("kind", 14, "-Bold", TA_CENTER, spaceBefore=18),
        "subject": style("subject", 14, "-Bold", TA_CENTER),
        "body": style("body", 14, align=TA_JUSTIFY, firstLineIndent=10 * MM, spaceAfter=6, leading=14 * 1.25),
        "section": style("section", 14, "-Bold", TA_JUSTIFY, firstLineIndent=10 * MM, spaceBefore=6, spaceAfter=6),
        "cell": style("cell", 12),
        "cell_right": style("cell_right", 12, align=TA_RIGHT),
        "cell_center": style("cell_center", 12, align=TA_CENTER),
        "cell_head": style("cell_head", 12, "-Bold", TA_CENTER),
        "cell_bold": style("cell_bold", 12, "-Bold"),
        "cell_bold_right": style("cell_bold_right", 12, "-Bold", align=TA_RIGHT),
        "recipients_head": style("recipients_head", 12, "-BoldItalic"),
        "recipients": style("recipients", MIN_PT, leading=MIN_PT * 1.15),
        "signer": style("signer", 14, "-Bold", TA_CENTER),
    }


def _p(text: str, style):
    """A paragraph of plain text (escaped: names come from school files)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(nfc(printable(text))).replace("\n", "<br/>"), style)


def _rule(width: float, before: float = 4, after: float = 3):
    """A solid rule of ``width`` centred in the space it is given (under the motto, the issuer, the
    subject); reportlab's HRFlowable is not centred inside a table cell."""
    from reportlab.platypus import Flowable

    class Rule(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.avail = avail_width
            return avail_width, before + after + 0.6

        def draw(self) -> None:
            x = max(0.0, (self.avail - width) / 2)
            self.canv.setLineWidth(0.6)
            self.canv.line(x, after, x + min(width, self.avail), after)

    return Rule()


def _text_width(text: str, style) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, style.fontName, style.fontSize)


# -- parts of the document -------------------------------------------------------------------------------
def _heading(heading: Heading, st: dict) -> list:
    from reportlab.platypus import Table, TableStyle

    left_w, right_w = 68 * MM, TEXT_W - 68 * MM
    issuer = heading.issuer.upper()
    left = []
    if heading.issuer_parent:
        left.append(_p(heading.issuer_parent.upper(), st["parent"]))
    left.append(_p(issuer, st["issuer"]))
    issuer_w = min(left_w, max(_text_width(line, st["issuer"]) for line in issuer.split("\n")))
    left.append(_rule(max(20 * MM, issuer_w * 0.4)))
    motto = "Độc lập - Tự do - Hạnh phúc"
    right = [_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st["nation"]), _p(motto, st["motto"]),
             _rule(_text_width(motto, st["motto"]))]
    table = Table([[left, right], [_p(heading.number_line, st["number"]), _p(heading.date_line, st["date"])]],
                  colWidths=[left_w, right_w])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("FONT", (0, 0), (-1, -1), SERIF),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 1), (-1, 1), 4),
    ]))
    return [table]


def _title(report: CoverageReport, st: dict) -> list:
    subject = f"{SUBJECT}\nđến ngày {vi_date(report.as_of)}"
    return [_p("BÁO CÁO", st["kind"]), _p(subject, st["subject"]), _rule(45 * MM, before=4, after=12)]


def _status_sentence(row: ReportRow, trend_days: int) -> str:
    if row.status is Status.MET:
        return "Tình trạng: đã đạt chỉ tiêu."
    if row.projected is None:
        pace = f"trong {trend_days} ngày gần nhất không có người hoàn thành thêm"
        return f"Tình trạng: chậm tiến độ ({pace})."
    when = f"nếu giữ tốc độ hoàn thành của {trend_days} ngày gần nhất, dự kiến đạt chỉ tiêu ngày {vi_date(row.projected)}"
    label = "đúng tiến độ" if row.status is Status.ON_TRACK else "chậm tiến độ"
    return f"Tình trạng: {label} ({when})."


def course_summary(section: CourseSection, total: ReportRow, trend_days: int) -> str:
    """The paragraph of figures for one course (also what a reader checks against the tables)."""
    target = section.target
    return (f"Tổng số người học: {vi_int(total.enrolled)}; đã hoàn thành: {vi_int(total.covered)}, đạt"
            f" {vi_percent(total.share)}. Chỉ tiêu: {target.percent}% đến ngày {vi_date(target.deadline)}"
            f" (cần {vi_int(total.needed)} người), còn thiếu {vi_int(total.remaining)} người."
            f" {_status_sentence(total, trend_days)}")


def _units_sentence(section: CourseSection) -> str:
    schools = section.schools
    shown = [s for s in schools if not s.suppressed]
    counts = {status: sum(1 for s in shown if s.status is status) for status in Status}
    text = (f"Theo đơn vị: {vi_int(len(schools))} đơn vị; {counts[Status.MET]} đạt chỉ tiêu,"
            f" {counts[Status.ON_TRACK]} đúng tiến độ, {counts[Status.BEHIND]} chậm tiến độ")
    hidden = len(schools) - len(shown)
    if hidden:
        text += f", {hidden} đơn vị không công bố (nhóm nhỏ)"
    behind = sorted((s for s in shown if s.status is Status.BEHIND), key=lambda s: (s.share, s.unit_name))
    if behind:
        listed = "; ".join(f"{s.unit_name} ({vi_percent(s.share)})" for s in behind[:MAX_LISTED_BEHIND])
        more = len(behind) - MAX_LISTED_BEHIND
        text += f". Đơn vị chậm tiến độ: {listed}" + (f" và {more} đơn vị khác" if more > 0 else "")
    return text + "."


def _figures_table(section: CourseSection, st: dict):
    from reportlab.platypus import Table, TableStyle

    provinces = section.level(Level.PROVINCE)
    by_commune = len(provinces) == 1
    rows = section.level(Level.COMMUNE) if by_commune else provinces
    total = provinces[0] if by_commune else section.total()
    head = ["STT", "Xã/Phường" if by_commune else "Tỉnh/Thành phố", "Người học", "Hoàn thành", "Tỷ lệ",
            "Còn thiếu", "Tình trạng"]
    data = [[_p(h, st["cell_head"]) for h in head]]
    spans = []

    def line(number: str, name: str, row: ReportRow, bold: bool = False) -> list:
        name_style, num_style = (st["cell_bold"], st["cell_bold_right"]) if bold else (st["cell"], st["cell_right"])
        if row.suppressed:
            spans.append(len(data))
            return [_p(number, st["cell_center"]), _p(name, name_style), _p(SUPPRESSED_LABEL, st["cell"]), "", "", "",
                    ""]
        return [_p(number, st["cell_center"]), _p(name, name_style), _p(vi_int(row.enrolled), num_style),
                _p(vi_int(row.covered), num_style), _p(vi_percent(row.share), num_style),
                _p(vi_int(row.remaining), num_style), _p(row.status.label, name_style)]

    for number, row in enumerate(rows, 1):
        data.append(line(str(number), row.name, row))
    if total is not None:
        data.append(line("", f"Cộng {total.province}" if by_commune else "Tổng cộng", total, bold=True))
    widths = [12 * MM, 43 * MM, 18 * MM, 20 * MM, 18 * MM, 17 * MM]
    widths.append(TEXT_W - sum(widths))
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), SERIF, 12),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", (2, r), (6, r)) for r in spans]
    table.setStyle(TableStyle(commands))
    return table


def _body(report: CoverageReport, heading: Heading, st: dict) -> list:
    from reportlab.platypus import KeepTogether, Spacer

    area = report.area()
    where = f" trên địa bàn {area}" if area else ""
    opening = f"Thực hiện {heading.basis.rstrip('.,; ')}, {heading.issuer_sentence}" if heading.basis else (
        heading.issuer_sentence[:1].upper() + heading.issuer_sentence[1:])
    parts = [_p(
        f"{opening} báo cáo kết quả bồi dưỡng kiến thức, kỹ năng sử dụng dịch vụ công trực tuyến{where}, số liệu tính đến"
        f" ngày {vi_date(report.as_of)}, như sau:", st["body"]),
        _p("I. KẾT QUẢ THỰC HIỆN", st["section"])]
    for number, section in enumerate(report.sections, 1):
        course = section.course
        title = _p(f"{number}. {course.title} ({course.audience.label.lower()}, {section.window.period_label})",
                   st["section"])
        total = section.total()
        if total is None:
            parts += [title, _p("Chưa có danh sách người học của kỳ này.", st["body"])]
            continue
        if total.suppressed:
            summary = _p(f"Số liệu không công bố (dưới {report.suppress_below} người học ở ít nhất một tỉnh).",
                         st["body"])
        else:
            summary = _p(course_summary(section, total, section.window.trend_days), st["body"])
        table = _figures_table(section, st)
        block = [title, summary, table, Spacer(1, 6), _p(_units_sentence(section), st["body"])]
        # A short table moves whole, with its heading, to the next page rather than leave parts alone.
        parts += [KeepTogether(block)] if len(table._cellvalues) <= KEEP_TABLE_ROWS else block
    parts.append(_p("II. GHI CHÚ", st["section"]))
    notes = [
        "Người học được tính là hoàn thành khi dự đủ các bài học bắt buộc và đạt bài kiểm tra cuối khóa;"
        " số cần hoàn thành để đạt chỉ tiêu được làm tròn lên.",
        "Số liệu chi tiết theo tỉnh, xã/phường và từng đơn vị tại biểu số liệu (sổ tính Excel) kèm theo."]
    if report.public:
        notes.append(f"Bản công bố: số liệu chỉ ở dạng tổng hợp; các nhóm dưới {report.suppress_below} người học"
                     " không được công bố.")
    notes += [f"{note[0].upper()}{note[1:]}." for note in report.notes]
    parts += [_p(f"- {note}", st["body"]) for note in notes]
    parts.append(_p(f"Trên đây là báo cáo kết quả bồi dưỡng kiến thức, kỹ năng sử dụng dịch vụ công trực tuyến"
                    f" đến ngày {vi_date(report.as_of)}./.", st["body"]))
    return parts


def _signature(heading: Heading, st: dict) -> list:
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    recipients = [_p("Nơi nhận:", st["recipients_head"])]
    recipients += [_p(f"- {name.rstrip(';.')};", st["recipients"]) for name in heading.recipients]
    recipients.append(_p("- Lưu: VT.", st["recipients"]))
    signer = []
    if heading.signer_authority:
        signer.append(_p(heading.signer_authority.upper(), st["signer"]))
    signer.append(_p(heading.signer_title.upper(), st["signer"]))
    signer.append(Spacer(1, 28 * MM))
    signer.append(_p(heading.signer_name, st["signer"]))
    table = Table([[recipients, signer]], colWidths=[78 * MM, TEXT_W - 78 * MM])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONT", (0, 0), (-1, -1), SERIF),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 8), KeepTogether([table])]


# -- the file ------------------------------------------------------------------------------------------------
def write_pdf(report: CoverageReport, path: Path, heading: Heading, *, province: str = "") -> None:
    """Write the report; a draft heading puts "BẢN NHÁP" on every page."""
    from reportlab.platypus import SimpleDocTemplate

    register_serif()
    st = _styles()

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        if heading.draft:
            canvas.setFillGray(0.88)
            canvas.setFont(SERIF + "-Bold", 96)
            canvas.translate(PAGE_W / 2, PAGE_H / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -30, DRAFT_STAMP)
            canvas.rotate(-45)
            canvas.translate(-PAGE_W / 2, -PAGE_H / 2)
            # The same word level in the top margin: the diagonal one is read letter by letter by text tools.
            canvas.setFillColorRGB(0.75, 0, 0)
            canvas.setFont(SERIF + "-Bold", 13)
            canvas.drawRightString(PAGE_W - MARGIN_RIGHT, PAGE_H - MARGIN_TOP / 2 - 4, DRAFT_STAMP)
        if doc.page > 1:  # the decree numbers pages from the second, at the top centre
            canvas.setFillGray(0)
            canvas.setFont(SERIF, 13)
            canvas.drawCentredString(MARGIN_LEFT + TEXT_W / 2, PAGE_H - MARGIN_TOP / 2 - 4, str(doc.page))
        canvas.restoreState()

    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}.pdf")
    doc = SimpleDocTemplate(
        str(temp), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=f"Báo cáo {SUBJECT.lower()}",
        author=heading.issuer, subject=f"Số liệu đến ngày {vi_date(report.as_of)}", creator="coursegen",
        lang="vi", initialFontName=SERIF, initialFontSize=13, invariant=True,
    )
    story = _heading(heading, st) + _title(report, st) + _body(report, heading, st) + _signature(heading, st)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được {path}: {exc}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
