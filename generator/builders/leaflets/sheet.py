"""Print sheets: page boxes, bleed, crop and fold marks, and the print/proof difference.

Drawing code works in *trim coordinates* (points, origin at the finished sheet's lower-left corner).
A print PDF adds a 3 mm bleed and a slug around it that holds crop marks, fold marks and a one-line
job description, all in registration colour and all outside the bleed. A proof PDF is the finished
size only, with no marks, for screens and office printers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from ...render.printready import DRAFT_STAMP
from .colours import BLACK, DRAFT_RED, PAPER, REGISTRATION
from .fonts import BOLD, REGULAR, register_fonts, text_width

BLEED = 3 * mm
MARK_OFFSET = 4 * mm  # marks start this far from the trim edge: 1 mm outside the bleed
MARK_LENGTH = 6 * mm
SLUG = MARK_OFFSET + MARK_LENGTH + 2 * mm  # paper around the trim in a print PDF
MARK_WIDTH = 0.25  # points, a hairline that every RIP prints
SAFE = 5 * mm  # text stays at least this far inside the trim edge


def _cmyk_only(colour: object) -> CMYKColor:
    """Colour guard for the canvas: CMYK and CMYK separations pass, anything else (RGB, named) is a bug."""
    if isinstance(colour, CMYKColor):
        return colour
    raise ValueError(f"leaflets use CMYK colours only, got {colour!r}")


class Mode(StrEnum):
    PRINT = "print"  # bleed, marks, boxes for a print shop
    PROOF = "proof"  # finished size, no marks

    @property
    def label(self) -> str:
        return "bản in" if self is Mode.PRINT else "bản xem"


@dataclass(frozen=True)
class PageSpec:
    """One side of a sheet: its finished size and the x positions of its folds (trim coordinates)."""

    width: float
    height: float
    folds: tuple[float, ...] = ()
    name: str = ""  # Vietnamese, for the slug line and messages, e.g. "mặt ngoài"


class SheetCanvas:
    """A reportlab canvas that knows the job's geometry. Use ``page()`` for each side, then ``save()``."""

    def __init__(self, path: Path, mode: Mode, pages: Sequence[PageSpec], *, title: str, author: str,
                 subject: str, job: str, draft: bool = False):
        register_fonts()
        self.draft = draft  # placeholder settings: every page carries DRAFT_STAMP
        if draft:
            title, job = f"{DRAFT_STAMP}: {title}", f"{DRAFT_STAMP} | {job}"
        self.mode = mode
        self.pages = list(pages)
        self.job = job
        self.margin = SLUG if mode is Mode.PRINT else 0.0
        first = self.pages[0]
        self.canvas = Canvas(
            str(path),
            pagesize=self._media(first),
            invariant=1,  # fixed dates and document id: same sources, same bytes
            initialFontName=REGULAR,  # otherwise reportlab references unembedded Helvetica
            enforceColorSpace=_cmyk_only,
            pageCompression=1,
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setSubject(subject)
        self.canvas.setCreator("coursegen")
        self.canvas.setKeywords("tờ rơi, dịch vụ công trực tuyến")
        self.index = 0

    def _media(self, spec: PageSpec) -> tuple[float, float]:
        return spec.width + 2 * self.margin, spec.height + 2 * self.margin

    def begin(self) -> Canvas:
        """Start the next page; returns the canvas with its origin at the trim's lower-left corner."""
        spec = self.pages[self.index]
        c = self.canvas
        width, height = self._media(spec)
        c.setPageSize((width, height))
        m = self.margin
        trim = (m, m, m + spec.width, m + spec.height)
        c.setTrimBox(trim)
        if self.mode is Mode.PRINT:
            c.setBleedBox((m - BLEED, m - BLEED, m + spec.width + BLEED, m + spec.height + BLEED))
        else:
            c.setBleedBox(trim)
        c.setCropBox((0, 0, width, height))
        c.saveState()
        c.translate(m, m)
        c.qr_boxes = []  # type: ignore[attr-defined]  # filled by qr.draw_qr, kept clear of the draft stamp
        return c

    def end(self) -> None:
        spec = self.pages[self.index]
        c = self.canvas
        if self.draft:
            draft_stamp(c, spec.width, spec.height, getattr(c, "qr_boxes", []))
        c.restoreState()
        if self.mode is Mode.PRINT:
            self._marks(spec)
        c.showPage()
        self.index += 1

    def save(self) -> None:
        if self.index != len(self.pages):
            raise RuntimeError(f"{self.index} of {len(self.pages)} pages drawn")
        # Flate only: ASCII85 on top (reportlab's default) makes every stream 25 % larger and slower to write.
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            self.canvas.save()
        finally:
            rl_config.useA85 = previous

    def _marks(self, spec: PageSpec) -> None:
        c = self.canvas
        m, w, h = self.margin, spec.width, spec.height
        c.saveState()
        c.setStrokeColor(REGISTRATION)
        c.setLineWidth(MARK_WIDTH)
        near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
        for x, sx in ((m, -1), (m + w, 1)):
            for y, sy in ((m, -1), (m + h, 1)):
                c.line(x + sx * near, y, x + sx * far, y)  # horizontal crop mark
                c.line(x, y + sy * near, x, y + sy * far)  # vertical crop mark
        c.setDash(2, 1.5)
        for fold in spec.folds:
            x = m + fold
            c.line(x, m + h + near, x, m + h + far)
            c.line(x, m - near, x, m - far)
        c.restoreState()
        # The job line, in the left slug outside the bleed (fold marks take the top and bottom slugs).
        c.saveState()
        c.setFillColor(BLACK)
        c.setFont(REGULAR, 6)
        c.translate(m - 7 * mm, m + 14 * mm)
        c.rotate(90)
        label = f"{self.job} | {spec.name} | trang {self.index + 1}/{len(self.pages)}"
        if spec.folds:
            label += " | - - - đường gấp"
        c.drawString(0, 0, label)
        c.restoreState()


def draft_stamp(c: Canvas, width: float, height: float, keep_clear: Sequence[tuple[float, float, float, float]]) -> None:
    """DRAFT_STAMP across the page, top left to bottom right (trim coordinates), in outlined red letters
    over everything: what is under it stays readable for a proof reader, no press would print it.
    The QR codes (``keep_clear`` boxes x, y, w, h; they sit low on the left or in the middle panel, off
    this diagonal) are cut out of it so they still scan."""
    angle = -math.degrees(math.atan2(height, width))
    diagonal = math.hypot(width, height)
    size = 0.7 * diagonal / (text_width(DRAFT_STAMP, BOLD, 100) / 100)
    text_w = text_width(DRAFT_STAMP, BOLD, size)
    c.saveState()
    path = c.beginPath()
    path.rect(-BLEED, -BLEED, width + 2 * BLEED, height + 2 * BLEED)
    for x, y, w, h in keep_clear:
        path.rect(x - 1 * mm, y - 1 * mm, w + 2 * mm, h + 2 * mm)
    c.clipPath(path, stroke=0, fill=0, fillMode=FILL_EVEN_ODD)
    c.translate(width / 2, height / 2)
    c.rotate(angle)
    c.setStrokeColor(DRAFT_RED)
    c.setLineWidth(max(0.8, size / 45))
    text = c.beginText()
    text.setTextRenderMode(1)  # outline only
    text.setFont(BOLD, size)
    text.setTextOrigin(-text_w / 2, -size * 0.35)
    text.textOut(DRAFT_STAMP)
    # Text extraction splits slanted letters among the lines they cross; an ActualText span makes
    # pdftotext, search and copy read the stamp as one phrase (reportlab has no API for marked content).
    actual = "FEFF" + DRAFT_STAMP.encode("utf-16-be").hex().upper()
    c._code.append(f"/Span <</ActualText <{actual}>>> BDC")
    c.drawText(text)
    c._code.append("EMC")
    c.restoreState()


def emblem(c: Canvas, logo: Path, x: float, y: float, side: float) -> None:
    """The issuer's emblem on a white rounded square of ``side`` (lower-left corner x, y), as on letterheads."""
    from .logo import draw_logo

    c.setFillColor(PAPER)
    c.roundRect(x, y, side, side, radius=1.5 * mm, stroke=0, fill=1)
    inset = side * 0.1
    draw_logo(c, logo, x + inset, y + inset, side - 2 * inset, side - 2 * inset)
