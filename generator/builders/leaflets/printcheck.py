"""The part of ``coursegen preflight`` that reads a PDF as a citizen and a proof reader would.

Two checks of what is printed rather than how: a page stamped "BẢN NHÁP – KHÔNG IN" (coursegen's
drafts, built with placeholder settings) must not go to press, and every QR code is decoded the way a
phone would see it: the page is rendered with poppler's ``pdftoppm`` at print resolution and read
with ``zbarimg``. A code that leads to a reserved example or local host (``printready.reserved_host``)
fails; for every code the report gives its target and its printed size, measured from its three
finder patterns. Kept apart from ``preflight`` (the print-engineering checks) on purpose.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...render.printready import DRAFT_STAMP, reserved_host, url_host

RENDER_DPI = 300  # what the press prints at; a code that only decodes at higher resolution is not readable
_DRAFT = re.compile(r"BẢN\s+NHÁP", re.IGNORECASE)


@dataclass(frozen=True)
class QrFound:
    page: int
    data: str
    size_mm: float | None  # printed size of the symbol (quiet zone not counted); None when not measured

    def describe(self) -> str:
        size = f", in rộng {self.size_mm:.1f} mm".replace(".", ",") if self.size_mm else ", không đo được cỡ in"
        return f'mã QR dẫn tới "{self.data}"{size}'


def tools_missing() -> list[str]:
    return [tool for tool in ("pdftoppm", "zbarimg", "pdftotext") if shutil.which(tool) is None]


def draft_pages(path: Path) -> list[int]:
    """1-based pages whose text carries the draft stamp."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    pages = unicodedata.normalize("NFC", result.stdout.decode("utf-8", errors="replace")).split("\f")
    return [number for number, text in enumerate(pages, start=1) if _DRAFT.search(text)]


def qr_codes(path: Path, pages: int, dpi: int = RENDER_DPI) -> list[QrFound]:
    """Every QR code zbar decodes on each page rendered at ``dpi``, with its printed size."""
    from PIL import Image

    found: list[QrFound] = []
    with tempfile.TemporaryDirectory(prefix="coursegen-qr-") as tmp:
        for page in range(1, pages + 1):
            stem = Path(tmp) / f"p{page}"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                            "-png", str(path), str(stem)], capture_output=True, timeout=300, check=False)
            image_path = stem.with_suffix(".png")
            if not image_path.is_file():
                continue
            result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image_path)],
                                    capture_output=True, timeout=120)
            codes = [line for line in result.stdout.decode("utf-8", errors="replace").splitlines() if line]
            if not codes:
                continue
            with Image.open(image_path) as image:
                sizes = symbol_sizes_mm(image, dpi)
            for index, data in enumerate(codes):
                size = sizes[index] if len(sizes) == len(codes) else None
                found.append(QrFound(page, data, size))
    return found


def target_problem(data: str) -> str | None:
    """Why a code's target must not be printed (Vietnamese), or None."""
    if not re.match(r"^https?://", data, re.IGNORECASE):
        return None  # not a web address: reported, not judged
    host = url_host(data)
    if reserved_host(host):
        return (f'mã QR dẫn tới "{data}": tên miền "{host}" là tên miền mẫu, thử nghiệm hoặc nội bộ, người dân'
                " quét sẽ không vào được; hãy sửa site_url trong coursegen.yml rồi dựng lại")
    return None


def draft_problem() -> str:
    return f'trang có dấu "{DRAFT_STAMP}": đây là bản nháp dựng với thông tin mẫu, không gửi in'


# -- measuring a QR code from its finder patterns ---------------------------------------------------

_RUNS = re.compile(rb"\x00+|\xff+")


def symbol_sizes_mm(image: object, dpi: float) -> list[float]:
    """Printed sizes (mm) of the QR symbols in a page image rendered at ``dpi``.

    Measured at half the resolution: modules stay several pixels wide, and there is four times less to scan.
    """
    half = image.convert("L").reduce(2)  # type: ignore[attr-defined]
    return [px / (dpi / 2) * 25.4 for px in symbol_sizes_px(half)]


def symbol_sizes_px(image: object, step: int = 2) -> list[float]:
    """Side lengths in pixels of the QR symbols in a greyscale image, one per symbol found.

    A finder pattern crosses a row as dark–light–dark–light–dark runs in the ratio 1:1:3:1:1 (7
    modules). The three finders of a symbol are found that way; the symbol's side is the distance
    between finder centres plus one finder's width.
    """
    binary = image.point(lambda v: 0 if v < 128 else 255)  # type: ignore[attr-defined]
    width, height = binary.size
    data = binary.tobytes()
    hits: list[tuple[float, float, float]] = []  # centre x, y, pattern width
    for y in range(0, height, step):
        row = data[y * width:(y + 1) * width]
        runs = [(m.start(), m.end() - m.start(), row[m.start()] == 0) for m in _RUNS.finditer(row)]
        for i in range(len(runs) - 4):
            if not runs[i][2]:
                continue
            lengths = [runs[i + k][1] for k in range(5)]
            total = sum(lengths)
            unit = total / 7
            if unit < 1.5:
                continue
            if all(abs(n - want * unit) <= unit * 0.6 for n, want in zip(lengths, (1, 1, 3, 1, 1), strict=True)):
                hits.append((runs[i][0] + total / 2, y, total))
    clusters: list[list[tuple[float, float, float]]] = []
    for hit in hits:
        for cluster in clusters:
            cx, cy, cw = cluster[-1]
            if abs(hit[0] - cx) < cw / 3 and abs(hit[1] - cy) <= 2 * step and abs(hit[2] - cw) < cw / 4:
                cluster.append(hit)
                break
        else:
            clusters.append([hit])
    finders = []
    for cluster in clusters:
        w = sum(h[2] for h in cluster) / len(cluster)
        extent = cluster[-1][1] - cluster[0][1] + step
        if 0.2 * w <= extent <= 0.65 * w:  # only the rows through the 3×3 centre match the ratio
            finders.append((sum(h[0] for h in cluster) / len(cluster), (cluster[0][1] + cluster[-1][1]) / 2, w))
    return _symbols(finders)


def _symbols(finders: list[tuple[float, float, float]]) -> list[float]:
    """Group finder patterns into symbols: three of one width, two sharing a row and two a column."""
    sizes: list[float] = []
    used: set[int] = set()
    for a in range(len(finders)):
        for b in range(len(finders)):
            for c in range(len(finders)):
                if len({a, b, c}) < 3 or used & {a, b, c}:
                    continue
                (ax, ay, aw), (bx, by, bw), (cx, cy, cw) = finders[a], finders[b], finders[c]
                w = (aw + bw + cw) / 3
                if max(aw, bw, cw) > 1.25 * min(aw, bw, cw):
                    continue
                # a is the corner: b beside it in the same row, c below or above it in the same column
                if not (abs(ay - by) < w / 2 and abs(ax - cx) < w / 2 and abs(bx - ax) > w and abs(cy - ay) > w):
                    continue
                across, down = abs(bx - ax), abs(cy - ay)
                if abs(across - down) > 0.06 * max(across, down):
                    continue  # a symbol is square
                modules = ((across + down) / 2 + w) / (w / 7)
                if abs((modules - 21) / 4 - round((modules - 21) / 4)) * 4 > 1.2 or modules < 20:
                    continue  # sides are 21, 25, 29 … modules
                sizes.append((across + down) / 2 + w)
                used |= {a, b, c}
    return sizes


def check_printed_content(report: object, path: Path, pages: int) -> None:
    """Add the draft-stamp and QR findings to a preflight ``Report``; QR targets and sizes go to its notes."""
    missing = tools_missing()
    if missing:
        report.skipped.append(f"mã QR và dấu bản nháp: thiếu lệnh {', '.join(missing)}"  # type: ignore[attr-defined]
                              " (cài gói poppler-utils, zbar-tools)")
        return
    for page in draft_pages(path):
        report.add(page, "bản nháp", draft_problem())  # type: ignore[attr-defined]
    for code in qr_codes(path, pages):
        report.notes.append(f"trang {code.page}: {code.describe()}")  # type: ignore[attr-defined]
        if (problem := target_problem(code.data)) is not None:
            report.add(code.page, "mã QR", problem)  # type: ignore[attr-defined]
