"""``coursegen preflight FILE.pdf``: check any PDF against the print rules of coursegen's leaflets.

A province can check a leaflet made elsewhere before sending it to a print shop. The checks are the
ones the leaflets are built to pass: page boxes (MediaBox, BleedBox, TrimBox) with 3 mm bleed,
every font embedded and subset with a Unicode map, CMYK or grey colour only (operators, colour
spaces, images, shadings), raster images of at least 300 ppi at their placed size, and text at least
5 mm inside the trim edge. Structure is read with pypdf; text positions come from poppler's
``pdftotext -bbox`` (Debian ``poppler-utils``).
"""

from __future__ import annotations

import argparse
import html
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...diagnostics import CoursegenError

MM = 72 / 25.4
BLEED_MM = 3.0
SAFE_MM = 5.0
MIN_PPI = 300.0
TOLERANCE = 0.05 * MM  # rounding in box values
MAX_DEPTH = 12  # nested form XObjects
MAX_FORM_USES = 2_000  # form XObjects scanned on one page (each once per placement)
MAX_FORM_DRAWS = 10_000  # form XObjects a reader or RIP draws for one page, counting every repetition
PDFTOTEXT_SECONDS = 60
WORDS_PER_PAGE = 5  # text findings listed per page before summarising

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention: apply m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


@dataclass(frozen=True, order=True)
class Finding:
    page: int  # 1-based; 0 for the whole document
    check: str  # Vietnamese name of the rule
    message: str

    def format(self) -> str:
        where = f"trang {self.page}" if self.page else "tài liệu"
        return f"{where}: {self.check}: {self.message}"


@dataclass
class Report:
    path: Path
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # checks that could not run, and why
    notes: list[str] = field(default_factory=list)  # what was read, not judged: QR targets and sizes

    @property
    def passed(self) -> bool:
        return not self.findings and not self.skipped

    def add(self, page: int, check: str, message: str) -> None:
        finding = Finding(page, check, message)
        if finding not in self.findings:
            self.findings.append(finding)


# -- colour spaces ---------------------------------------------------------------------------------

_NAMED_SPACES = {
    "/DeviceRGB": "rgb", "/RGB": "rgb", "/DeviceCMYK": "cmyk", "/CMYK": "cmyk",
    "/DeviceGray": "gray", "/G": "gray", "/Pattern": "pattern",
}
_ACCEPTED = {"cmyk", "gray", "pattern"}
_FAMILY_LABELS = {"rgb": "RGB", "lab": "Lab", "unknown": "không xác định"}


def _resolve(obj: object) -> object:
    get_object = getattr(obj, "get_object", None)
    return get_object() if get_object else obj


def colour_family(space: object, resources: object = None, depth: int = 0) -> str:
    """Classify a colour space as cmyk, gray, pattern, rgb, lab or unknown (separations by their alternate)."""
    space = _resolve(space)
    if depth > 8:
        return "unknown"
    if isinstance(space, str):
        name = str(space)
        if name in _NAMED_SPACES:
            return _NAMED_SPACES[name]
        spaces = _resolve(_get(resources, "/ColorSpace"))
        if spaces is not None and name in spaces:
            return colour_family(spaces[name], resources, depth + 1)
        return "unknown"
    if isinstance(space, list) and space:
        kind = str(_resolve(space[0]))
        if kind == "/ICCBased":
            stream = _resolve(space[1])
            n = int(_get(stream, "/N") or 0)
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown")
        if kind in ("/CalRGB",):
            return "rgb"
        if kind in ("/CalGray",):
            return "gray"
        if kind == "/Lab":
            return "lab"
        if kind in ("/Indexed", "/I"):
            return colour_family(space[1], resources, depth + 1)
        if kind == "/Separation":
            return "cmyk" if colour_family(space[2], resources, depth + 1) in ("cmyk", "gray") else "rgb"
        if kind == "/DeviceN":
            return "cmyk" if colour_family(space[2], resources, depth + 1) in ("cmyk", "gray") else "rgb"
        if kind == "/Pattern":
            return "pattern" if len(space) < 2 else colour_family(space[1], resources, depth + 1)
        return colour_family(space[0], resources, depth + 1)
    return "unknown"


def _identity(obj: object) -> object:
    """An object's identity in the file (its object number), stable however often it is resolved."""
    reference = getattr(obj, "indirect_reference", None)
    return (reference.idnum, reference.generation) if reference is not None else id(obj)


def _get(obj: object, key: str) -> object:
    obj = _resolve(obj)
    if obj is None or not hasattr(obj, "get"):
        return None
    return _resolve(obj.get(key))


# -- page walking ----------------------------------------------------------------------------------

class _PageScanner:
    """Interprets one page's content (and its forms) for colour operators, images and fonts."""

    def __init__(self, report: Report, page_no: int, min_ppi: float):
        self.report = report
        self.page_no = page_no
        self.min_ppi = min_ppi
        self.rgb_ops: dict[str, int] = {}
        self.visited: set[int] = set()  # fonts and patterns already checked on this page
        # Forms that reference each other (A draws B draws A…) or fan out (each drawing the next ten
        # times) made a 757-byte file hang: forms on the current path are a loop, a form at the same
        # placement is scanned once, and a page draws at most MAX_FORM_USES forms.
        self.form_path: set[object] = set()
        self.form_placements: set[tuple[object, Matrix]] = set()
        self.form_uses = 0
        self.draws: dict[object, int] = {}  # form → forms a renderer draws for it, every repetition counted

    def scan(self, reader: object, content: object, resources: object, ctm: Matrix, depth: int = 0) -> int:
        """Check one content stream; returns how many forms a renderer draws for it (every repetition)."""
        from pypdf.errors import PdfReadError
        from pypdf.generic import ContentStream

        draws = 0
        if content is None or depth > MAX_DEPTH:
            return draws
        self.check_fonts(resources)
        self.check_patterns(reader, resources, depth)
        try:
            stream = ContentStream(content, reader)
            operations = stream.operations
        except (PdfReadError, ValueError, KeyError) as exc:
            self.report.add(self.page_no, "nội dung", f"không đọc được luồng nội dung ({exc})")
            return draws
        stack: list[Matrix] = []
        for operands, operator in operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm" and len(operands) == 6:
                ctm = _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif op in ("rg", "RG"):
                self.rgb_ops[op] = self.rgb_ops.get(op, 0) + 1
            elif op in ("cs", "CS") and operands:
                family = colour_family(operands[0], resources)
                if family not in _ACCEPTED:
                    self.rgb_ops[f"{operands[0]} {op}"] = self.rgb_ops.get(f"{operands[0]} {op}", 0) + 1
            elif op == "sh" and operands:
                shading = _resolve(_get(_get(resources, "/Shading"), str(operands[0])))
                self.check_shading(shading, resources, str(operands[0]))
            elif op == "Do" and operands:
                draws += self.do_xobject(reader, resources, str(operands[0]), ctm, depth)
            elif op == "INLINE IMAGE":
                settings = operands.get("settings", {}) if isinstance(operands, dict) else {}
                self.check_image("(ảnh nội tuyến)", settings, resources, ctm, inline=True)
        return draws

    def do_xobject(self, reader: object, resources: object, name: str, ctm: Matrix, depth: int) -> int:
        xobject = _get(_get(resources, "/XObject"), name)
        if xobject is None:
            return 0
        subtype = str(_get(xobject, "/Subtype"))
        if subtype == "/Image":
            self.check_image(name, xobject, resources, ctm)
        elif subtype == "/Form":
            matrix = _get(xobject, "/Matrix")
            form_ctm = _multiply(tuple(float(v) for v in matrix), ctm) if matrix else ctm  # type: ignore[arg-type]
            form_resources = _get(xobject, "/Resources") or resources
            key = _identity(xobject)
            if key in self.form_path:
                self.report.add(self.page_no, "nội dung", f"form {name} vẽ lại chính nó (tham chiếu vòng tròn);"
                                                          " máy in có thể bị treo")
                return 0
            if (key, form_ctm) in self.form_placements or self.form_uses >= MAX_FORM_USES:
                return 1 + self.draws.get(key, 0)
            self.form_uses += 1
            self.form_placements.add((key, form_ctm))
            self.form_path.add(key)
            try:
                self.draws[key] = min(self.scan(reader, xobject, form_resources, form_ctm, depth + 1), 10**15)
            finally:
                self.form_path.discard(key)
            return 1 + self.draws[key]
        return 0

    def check_image(self, name: str, image: object, resources: object, ctm: Matrix, inline: bool = False) -> None:
        def get(*keys: str) -> object:
            return next((_resolve(image.get(k)) for k in keys if image.get(k) is not None), None)

        is_mask = bool(get("/ImageMask", "/IM"))
        if not is_mask:
            space = get("/ColorSpace", "/CS")
            family = "unknown" if space is None else colour_family(space, resources)
            if family not in _ACCEPTED:
                label = _FAMILY_LABELS.get(family, family)
                self.report.add(self.page_no, "màu", f"ảnh {name} dùng hệ màu {label}; ảnh phải là CMYK hoặc thang xám")
        width_px = float(get("/Width", "/W") or 0)
        height_px = float(get("/Height", "/H") or 0)
        a, b, c, d, _, _ = ctm
        placed_w = math.hypot(a, b) / 72
        placed_h = math.hypot(c, d) / 72
        if placed_w <= 0 or placed_h <= 0 or width_px <= 0 or height_px <= 0:
            return
        ppi = min(width_px / placed_w, height_px / placed_h)
        if ppi + 0.5 < self.min_ppi:
            self.report.add(
                self.page_no, "độ phân giải ảnh",
                f"ảnh {name} {int(width_px)}×{int(height_px)} điểm ảnh in ở {placed_w * 25.4:.0f}×{placed_h * 25.4:.0f} mm"
                f" chỉ đạt {ppi:.0f} ppi (cần ít nhất {self.min_ppi:.0f} ppi)",
            )

    def check_shading(self, shading: object, resources: object, name: str) -> None:
        if shading is None:
            return
        family = colour_family(_get(shading, "/ColorSpace"), resources)
        if family not in _ACCEPTED:
            label = _FAMILY_LABELS.get(family, family)
            self.report.add(self.page_no, "màu", f"vùng chuyển màu {name} dùng hệ màu {label}")

    def check_patterns(self, reader: object, resources: object, depth: int) -> None:
        patterns = _get(resources, "/Pattern")
        if not patterns:
            return
        for name in list(patterns.keys()):
            pattern = _resolve(patterns[name])
            if int(_get(pattern, "/PatternType") or 0) == 2:
                self.check_shading(_get(pattern, "/Shading"), resources, str(name))
            elif id(pattern) not in self.visited:
                self.visited.add(id(pattern))
                self.scan(reader, pattern, _get(pattern, "/Resources") or resources, IDENTITY, depth + 1)

    def check_fonts(self, resources: object) -> None:
        fonts = _get(resources, "/Font")
        if not fonts:
            return
        for key in list(fonts.keys()):
            font = _resolve(fonts[key])
            if id(font) in self.visited:
                continue
            self.visited.add(id(font))
            for problem in font_problems(font):
                self.report.add(self.page_no, "phông chữ", problem)

    def finish(self) -> None:
        if self.rgb_ops:
            listed = ", ".join(f"{op} ×{count}" for op, count in sorted(self.rgb_ops.items()))
            self.report.add(self.page_no, "màu", f"có toán tử màu RGB hoặc không phải CMYK: {listed}")


_SUBSET = re.compile(r"^[A-Z]{6}\+")


def font_problems(font: object) -> list[str]:
    """Why a font is not print-ready: not embedded, not subset, or without a ToUnicode map."""
    subtype = str(_get(font, "/Subtype"))
    base = str(_get(font, "/BaseFont") or _get(font, "/Name") or "?").lstrip("/")
    if subtype == "/Type3":
        return [] if _get(font, "/ToUnicode") is not None else [f'phông Type3 "{base}" không có bảng mã Unicode (ToUnicode)']
    descriptor = _get(font, "/FontDescriptor")
    if subtype == "/Type0":
        descendants = _get(font, "/DescendantFonts")
        descendant = _resolve(descendants[0]) if descendants else None
        descriptor = _get(descendant, "/FontDescriptor")
    problems = []
    embedded = descriptor is not None and any(
        _get(descriptor, key) is not None for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not embedded:
        problems.append(f'phông "{base}" không được nhúng vào tệp')
    elif not _SUBSET.match(base):
        problems.append(f'phông "{base}" được nhúng nguyên bộ, không phải tập con (subset)')
    if _get(font, "/ToUnicode") is None:
        problems.append(f'phông "{base}" không có bảng mã Unicode (ToUnicode): chữ có thể không tìm, chép được')
    return problems


# -- boxes -----------------------------------------------------------------------------------------

def _box(page: object, key: str, inherit: bool = False) -> tuple[float, float, float, float] | None:
    node = page
    while node is not None:
        value = _get(node, key)
        if value is not None:
            x0, y0, x1, y1 = (float(v) for v in value)
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
        if not inherit:
            return None
        node = _get(node, "/Parent")
    return None


def check_boxes(report: Report, page_no: int, page: object, bleed_mm: float) -> tuple[float, float, float, float] | None:
    media = _box(page, "/MediaBox", inherit=True)
    trim = _box(page, "/TrimBox")
    bleed = _box(page, "/BleedBox")
    if media is None:
        report.add(page_no, "hộp trang", "thiếu MediaBox")
    if trim is None:
        report.add(page_no, "hộp trang", "thiếu TrimBox (khổ thành phẩm sau khi xén)")
    if bleed is None:
        report.add(page_no, "hộp trang", "thiếu BleedBox (vùng tràn lề)")
    if media is None or trim is None or bleed is None:
        return trim
    need = bleed_mm * MM - TOLERANCE
    sides = ("trái", "dưới", "phải", "trên")
    margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
    short = [f"{side} {margin / MM:.1f} mm" for side, margin in zip(sides, margins, strict=True) if margin < need]
    if short:
        report.add(page_no, "tràn lề", f"BleedBox phải rộng hơn TrimBox {bleed_mm:g} mm mỗi phía; hiện: {', '.join(short)}")
    inside = all(
        (media[0] - TOLERANCE <= bleed[0], media[1] - TOLERANCE <= bleed[1],
         bleed[2] <= media[2] + TOLERANCE, bleed[3] <= media[3] + TOLERANCE))
    if not inside:
        report.add(page_no, "hộp trang", "BleedBox vượt ra ngoài MediaBox")
    return trim


# -- text safe zone --------------------------------------------------------------------------------

_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.\-]+)" yMin="([\d.\-]+)" xMax="([\d.\-]+)" yMax="([\d.\-]+)">(.*?)</word>', re.S)


def text_boxes(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Word boxes per page from ``pdftotext -bbox``: (x0, top, x1, bottom) from the MediaBox's upper-left."""
    result = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, timeout=PDFTOTEXT_SECONDS)
    if result.returncode != 0:
        raise CoursegenError(f"pdftotext không đọc được {path}: {result.stderr.decode(errors='replace').strip()}")
    out = result.stdout.decode("utf-8", errors="replace")
    return [[(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD.findall(body)]
            for body in _PAGE.findall(out)]


def check_text(report: Report, page_no: int, words: list[tuple[float, float, float, float, str]],
               media: tuple[float, float, float, float], trim: tuple[float, float, float, float],
               safe_mm: float) -> None:
    safe = safe_mm * MM - TOLERANCE
    close: list[str] = []
    for x0, top, x1, bottom, word in words:
        left, right = media[0] + x0, media[0] + x1
        upper, lower = media[3] - top, media[3] - bottom
        if right <= trim[0] or left >= trim[2] or upper <= trim[1] or lower >= trim[3]:
            continue  # wholly outside the finished sheet: slug information
        distance = min(left - trim[0], trim[2] - right, lower - trim[1], trim[3] - upper)
        if distance < safe:
            close.append(f'"{word}" ({max(distance, 0) / MM:.1f} mm)')
    if close:
        more = f" và {len(close) - WORDS_PER_PAGE} chữ khác" if len(close) > WORDS_PER_PAGE else ""
        report.add(page_no, "lề an toàn",
                   f"chữ nằm gần mép xén hơn {safe_mm:g} mm: {', '.join(close[:WORDS_PER_PAGE])}{more}")


# -- the whole file --------------------------------------------------------------------------------

def preflight(path: Path, *, bleed_mm: float = BLEED_MM, safe_mm: float = SAFE_MM, min_ppi: float = MIN_PPI) -> Report:
    """Check one PDF; every problem found is in the report (nothing stops at the first)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from .pdfactive import document_problems, page_problems

    report = Report(path)
    try:
        reader = PdfReader(str(path))
        pages = list(reader.pages)
        encrypted = reader.is_encrypted
    except (OSError, PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        # PdfReadError, and LimitReachedError (a PyPdfError) for a file that would expand beyond pypdf's limits
        raise CoursegenError(f"không đọc được tệp PDF {path}: {_reason(exc)}") from None
    if encrypted:
        raise CoursegenError(f"{path} được mã hóa; hãy gửi bản PDF không đặt mật khẩu")
    report.pages = len(pages)
    try:
        for problem in document_problems(reader):
            report.add(0, "nội dung chủ động", f"{problem}; tệp in không được chứa nội dung có thể tự chạy")
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        report.add(0, "nội dung", f"không đọc được cấu trúc tài liệu ({_reason(exc)})")
    trims: list[tuple[float, float, float, float] | None] = []
    too_deep = False  # poppler would draw every repetition: pdftotext must not run
    for number, page in enumerate(pages, start=1):
        try:
            trims.append(check_boxes(report, number, page, bleed_mm))
        except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            report.add(number, "hộp trang", f"hộp trang không đọc được ({_reason(exc)})")
            trims.append(None)
        try:
            for problem in page_problems(page):
                report.add(number, "nội dung chủ động", f"{problem}; tệp in không được chứa nội dung có thể tự chạy")
            scanner = _PageScanner(report, number, min_ppi)
            resources = _get(page, "/Resources")
            draws = scanner.scan(reader, page.get_contents(), resources, IDENTITY)
            if draws > MAX_FORM_DRAWS:
                report.add(number, "nội dung", f"trang vẽ {draws:,} form lồng nhau (tối đa {MAX_FORM_DRAWS:,});"
                                               " máy in có thể bị treo".replace(",", "."))
                too_deep = True
            for annotation in _get(page, "/Annots") or []:
                appearance = _get(_get(annotation, "/AP"), "/N")
                if appearance is not None and hasattr(appearance, "get_data"):
                    scanner.scan(reader, appearance, _get(appearance, "/Resources") or resources, IDENTITY, 1)
            scanner.finish()
        except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
            # a name where a number belongs ("/Width /abc"), a broken object, a limit of pypdf
            report.add(number, "nội dung", f"không đọc được nội dung trang ({_reason(exc)})")
    if too_deep:  # poppler would hang on it too: no rendering, no text
        report.skipped.append("lề an toàn, mã QR, dấu bản nháp: tệp vẽ quá nhiều form lồng nhau, không đọc được")
        return report
    # What is printed (draft stamp, QR codes' targets): generator/printcheck.py.
    from .printcheck import check_printed_content

    try:
        check_printed_content(report, path, len(pages))
    except subprocess.TimeoutExpired as exc:
        report.skipped.append(f"mã QR và dấu bản nháp: {Path(exc.cmd[0]).name} không đọc xong tệp trong {exc.timeout:g} giây")
    if shutil.which("pdftotext") is None:
        report.skipped.append("lề an toàn: không có lệnh pdftotext (cài gói poppler-utils)")
        return report
    try:
        boxes = text_boxes(path)
    except subprocess.TimeoutExpired:
        report.skipped.append(f"lề an toàn: pdftotext không đọc xong tệp trong {PDFTOTEXT_SECONDS} giây")
        return report
    for number, (page, trim, words) in enumerate(zip(pages, trims, boxes, strict=False), start=1):
        if trim is None:
            continue
        if int(_get(page, "/Rotate") or 0) % 360:
            report.skipped.append(f"lề an toàn, trang {number}: trang bị xoay, chưa kiểm tra được")
            continue
        media = _box(page, "/MediaBox", inherit=True)
        if media is not None:
            check_text(report, number, words, media, trim, safe_mm)
    return report


_NOT_A_NUMBER = re.compile(r"could not convert string to float: '([^']{0,40})")


def _reason(exc: BaseException) -> str:
    """A short, printable reason for a PDF that cannot be read (pypdf's messages can be long)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if (match := _NOT_A_NUMBER.search(text)) is not None:
        return f"có tên {match.group(1)} ở chỗ phải là một số"
    return text if len(text) <= 160 else text[:159] + "…"


def _iter_reports(paths: list[Path]) -> Iterator[Report]:
    for path in paths:
        if not path.is_file():
            raise CoursegenError(f"không tìm thấy tệp {path}")
        yield preflight(path)


def cmd_preflight(args: argparse.Namespace) -> int:
    failed = 0
    for report in _iter_reports([Path(p) for p in args.files]):
        for finding in sorted(report.findings):
            print(f"{report.path}: {finding.format()}")
        for reason in report.skipped:
            print(f"{report.path}: chưa kiểm tra: {reason}")
        if report.passed:
            print(f"ĐẠT: {report.path} ({report.pages} trang): hộp trang và tràn lề {BLEED_MM:g} mm, phông chữ nhúng,"
                  f" màu CMYK, ảnh từ {MIN_PPI:.0f} ppi, chữ cách mép xén từ {SAFE_MM:g} mm, không phải bản nháp,"
                  " mã QR (nếu có) dẫn tới tên miền thật.")
        for note in report.notes:
            print(f"{report.path}: {note}")
        if not report.passed:
            failed += 1
            count = len(report.findings) + len(report.skipped)
            print(f"KHÔNG ĐẠT: {report.path}: {count} vấn đề; chưa nên gửi in.", file=sys.stderr)
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("preflight", help="kiểm tra một tệp PDF có đủ điều kiện gửi nhà in không")
    parser.add_argument("files", nargs="+", metavar="TỆP.pdf", help="một hay nhiều tệp PDF cần kiểm tra")
    parser.set_defaults(func=cmd_preflight)
