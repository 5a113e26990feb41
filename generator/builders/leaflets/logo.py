"""The issuer's emblem (``issuer.logo`` in coursegen.yml) made ready for print: vector, CMYK or K only.

The SVG is first checked by the same rules as course images (``imagecheck``: no script, no outside
references), then read with svglib into reportlab shapes whose colours are converted to CMYK here
(greys to pure K), so that the leaflet canvas, which refuses any RGB colour, can draw it. Text in the
SVG is refused: svglib would set it in an unembedded Helvetica, which a print shop rejects.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib.colors import CMYKColor, Color

from .fonts import REGULAR, register_fonts


def to_cmyk(colour: object) -> object:
    """An RGB reportlab colour as CMYK (greys as K only); CMYK colours and None pass unchanged."""
    if colour is None or isinstance(colour, CMYKColor) or not isinstance(colour, Color):
        return colour
    r, g, b = colour.red, colour.green, colour.blue
    if abs(r - g) < 0.004 and abs(g - b) < 0.004:
        return CMYKColor(0, 0, 0, round(1 - r, 4))
    k = 1 - max(r, g, b)
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return CMYKColor(round(c, 4), round(m, 4), round(y, 4), round(k, 4))


def _convert(node: object) -> bool:
    """Convert every colour below ``node`` in place; False when the drawing holds text."""
    if isinstance(node, String):
        return False
    for attribute in ("fillColor", "strokeColor"):
        if hasattr(node, attribute):
            setattr(node, attribute, to_cmyk(getattr(node, attribute)))
    if isinstance(node, Group):
        return all(_convert(child) for child in node.contents)
    return True


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, size: int) -> Drawing | str:
    from svglib.svglib import svg2rlg

    register_fonts()

    previous = logging.getLogger("svglib").level
    logging.getLogger("svglib").setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:  # svglib raises many kinds of errors on bad input
        return f"không đọc được tệp SVG để in ({type(exc).__name__})"
    finally:
        logging.getLogger("svglib").setLevel(previous)
    if drawing is None or not drawing.width or not drawing.height:
        return "tệp SVG không có kích thước (width, height hoặc viewBox)"
    if not drawing.contents:
        return "tệp SVG không có hình nào"
    if not _convert(drawing):
        return "biểu trưng có chữ (thẻ <text>); hãy chuyển chữ thành đường nét (outline) rồi xuất lại SVG"
    # The renderer starts from reportlab's defaults (Helvetica, RGB black) unless the drawing names its own:
    # an unembedded font reference or an RGB operator would fail the print checks.
    drawing.initialFontName = REGULAR
    # reportlab's attribute map allows only the font here; the renderer reads the colours the same way
    drawing.__dict__["initialFillColor"] = CMYKColor(0, 0, 0, 1)
    drawing.__dict__["initialStrokeColor"] = CMYKColor(0, 0, 0, 1)
    return drawing


def logo_drawing(path: Path) -> Drawing | str:
    """The emblem as reportlab shapes in CMYK, or why it cannot be printed (Vietnamese)."""
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


def logo_problem(path: Path) -> str | None:
    found = logo_drawing(path)
    return found if isinstance(found, str) else None


def draw_logo(canvas: object, path: Path, x: float, y: float, width: float, height: float) -> None:
    """Draw the emblem centred in the box (x, y, width, height), keeping its proportions."""
    from reportlab.graphics import renderPDF

    drawing = logo_drawing(path)
    assert not isinstance(drawing, str), drawing
    scale = min(width / drawing.width, height / drawing.height)
    shown_w, shown_h = drawing.width * scale, drawing.height * scale
    canvas.saveState()
    try:
        canvas.translate(x + (width - shown_w) / 2, y + (height - shown_h) / 2)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0, showBoundary=False)
    finally:
        canvas.restoreState()
