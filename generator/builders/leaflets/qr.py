"""QR codes drawn as vector modules in pure black (K), on a no-ink quiet zone.

Pure K keeps the code sharp whatever the plate registration; vector modules need no resolution
check. Runs of dark modules in a row are merged into one rectangle to keep the PDF small.
"""

from __future__ import annotations

from functools import cache

from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel
from reportlab.pdfgen.canvas import Canvas

from .colours import BLACK, PAPER

QUIET = 4  # modules of quiet zone the standard asks for on every side


@cache
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix for ``data`` (UTF-8 bytes, error correction M: survives folds and smudges)."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(QR8bitByte(data))
    code.make()
    return tuple(tuple(bool(v) for v in row) for row in code.modules)


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the code with its quiet zone inside the square (x, y, size); (x, y) is the lower-left corner.

    The square is recorded in ``c.qr_boxes`` when the canvas has it (a leaflet page), so that the draft
    stamp leaves the code readable."""
    boxes = getattr(c, "qr_boxes", None)
    if boxes is not None:
        boxes.append((x, y, size, size))
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / (count + 2 * QUIET)
    c.saveState()
    c.setFillColor(PAPER)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(BLACK)
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (QUIET + row_index) * module
        col = 0
        while col < count:
            if not row[col]:
                col += 1
                continue
            start = col
            while col < count and row[col]:
                col += 1
            path.rect(x + (QUIET + start) * module, top - module, (col - start) * module, module)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def symbol_size(data: str, total: float) -> float:
    """The printed size of the code itself (dark modules' extent, as a phone sees it) in a ``total`` square."""
    count = len(qr_matrix(data))
    return total * count / (count + 2 * QUIET)


def total_size(data: str, symbol: float) -> float:
    """The square (quiet zone included) that gives the code a printed size of ``symbol``."""
    count = len(qr_matrix(data))
    return symbol * (count + 2 * QUIET) / count
