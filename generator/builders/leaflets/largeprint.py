"""Tờ A4 chữ lớn: a one-sided A4 sheet for older citizens, with its own words (``large_print:``).

It is not the course leaflet enlarged: the course leaflet speaks to the course's learners (students,
staff, team members) and invites them to a 7-hour course. This sheet speaks to a citizen: a plain
headline, 3–4 steps in everyday words, where to get help nearby, one safety rule, and a QR code of at
least 48 mm (the symbol itself, quiet zone not counted) that opens the course's one-screen
"làm thế nào" page. Every text is at least 18 pt; the sheet tries larger sizes first so that the page
is used fully, and spreads what is left between the blocks. One side only: it can be pinned to a
notice board or photocopied on any office copier.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .colours import BLUE, BLUE_TINT, PAPER, RED, RED_TINT
from .content import (
    LARGE_HELP_HEADING,
    LARGE_QR_CAPTION,
    LARGE_SAFETY,
    LARGE_STEPS_HEADING,
    LargePrintText,
    LeafletText,
)
from .design import CITIZEN, Styles, fit, headline_sizes
from .fonts import BOLD, SEMIBOLD, register_fonts
from .layout import (
    Block,
    Bullet,
    Frame,
    LayoutOverflow,
    Numbered,
    Placement,
    Stack,
    Style,
    Text,
    flow,
    paint,
    stack_height,
)
from .qr import draw_qr, total_size
from .sheet import BLEED, Mode, PageSpec, SheetCanvas, emblem

WIDTH, HEIGHT = 210 * mm, 297 * mm
MARGIN = 14 * mm
QR_SYMBOL = 50 * mm  # the printed code itself (48 mm at least): an older phone at arm's length, a notice board
HEADLINE_LINES = 3
LOGO_BOX = 20 * mm
F_MAIN, F_HELP, F_CAPTION, F_FOOT, F_BAND = range(5)
KIND = "Tờ A4 chữ lớn cho người dân"


class LargeLayout:
    def __init__(self, band_height: float, footer_band: float, qr_size: float, qr_y: float,
                 placements: list[Placement], logo_box: float):
        self.band_height = band_height
        self.footer_band = footer_band
        self.qr_size = qr_size
        self.qr_y = qr_y
        self.placements = placements
        self.logo_box = logo_box


def _headline(lp: LargePrintText, width: float) -> Text:
    """The largest headline size that fits in two lines, else in three."""
    for lines in (2, HEADLINE_LINES):
        for size in headline_sizes(CITIZEN):
            block = Text(lp.headline.text, Style(BOLD, size, PAPER, 1.15), lp.headline.ref, space_before=1.5 * mm)
            if len(block._wrap(block.text, block.style, width)) <= lines:
                return block
    raise LayoutOverflow(lp.headline.ref, "dải tiêu đề", 0.0, max_lines=HEADLINE_LINES)


def _layout(t: LeafletText, lp: LargePrintText, body: float) -> LargeLayout:
    s = Styles.at(CITIZEN, body)
    width = WIDTH - 2 * MARGIN
    logo_box = LOGO_BOX if t.logo else 0.0
    band_width = width - (logo_box + 4 * mm if logo_box else 0.0)
    on_blue = s.small.coloured(PAPER)

    band_blocks: list[Block] = [
        Text(t.publisher.text, Style(SEMIBOLD, s.small.size, PAPER), t.publisher.ref, max_lines=2),
        _headline(lp, band_width),
    ]
    band_content = max(stack_height(band_blocks, band_width, "dải tiêu đề"), logo_box)
    band_height = 6 * mm + band_content + 5 * mm

    # From the bottom up: the footer band, the QR caption, the row of the QR code and the help box.
    # The issuer is named at the top; the foot says where to go or call, and the publication date.
    footer_blocks: list[Block] = []
    if t.address.text:
        footer_blocks.append(Text(t.address.text, on_blue, t.address.ref, max_lines=2))
    call = f"Đường dây nóng: {t.hotline.text} · " if t.hotline.text else ""
    footer_blocks.append(Text(call + t.release, Style(BOLD, s.small.size, PAPER) if call else on_blue,
                              t.hotline.ref if call else None, space_before=0.5 * mm, max_lines=2))
    footer_content = stack_height(footer_blocks, width, "dải chân trang")
    footer_band = 6.5 * mm + footer_content + 5 * mm
    caption_blocks: list[Block] = [
        Text(LARGE_QR_CAPTION, s.strong.coloured(BLUE), frame=F_CAPTION),
        Text(lp.display_url.text, s.small, lp.display_url.ref, space_before=0.5 * mm),
    ]
    caption_h = stack_height(caption_blocks, width, "chú thích mã QR")
    caption_y = footer_band + 5 * mm
    qr_size = total_size(lp.url.text, QR_SYMBOL)
    help_x = MARGIN + qr_size + 5 * mm
    help_w = WIDTH - MARGIN - help_x
    help_items: list[Block] = [Bullet(h.text, s.body, BLUE, h.ref, space_before=2 * mm if i == 0 else 1.5 * mm)
                               for i, h in enumerate(lp.help)]
    help_box = Stack([Text(LARGE_HELP_HEADING, s.heading.sized(body + 1)), *help_items], fill=BLUE_TINT,
                     padding=3.5 * mm, frame=F_HELP)
    help_h = stack_height([help_box], help_w, "hỏi ở đâu (cạnh mã QR)")
    row_y = caption_y + caption_h + 2 * mm
    row_h = max(qr_size, help_h)
    qr_y = row_y + (row_h - qr_size) / 2
    main_bottom = row_y + row_h + 5 * mm
    main_top = HEIGHT - band_height - 5 * mm
    frames = [
        Frame(0, MARGIN, main_bottom, width, main_top - main_bottom, "phần các bước", valign="spread",
              spread=16 * mm),
        Frame(0, help_x, row_y, help_w, row_h, "hỏi ở đâu (cạnh mã QR)", valign="middle"),
        Frame(0, MARGIN, caption_y, width, caption_h, "chú thích mã QR"),
        Frame(0, MARGIN, 6.5 * mm, width, footer_content, "dải chân trang"),
        Frame(0, MARGIN, HEIGHT - 6 * mm - band_content, band_width, band_content, "dải tiêu đề"),
    ]
    gap = 1.5 * mm + 0.15 * body
    steps = [Numbered(i + 1, step.text, s.strong, BLUE, BOLD, step.ref, space_before=3 * mm if i == 0 else gap)
             for i, step in enumerate(lp.steps)]
    blocks: list[Block] = [Stack([Text(LARGE_STEPS_HEADING, s.heading), steps[0]]), *steps[1:]]
    blocks.append(Stack([Text(LARGE_SAFETY, s.strong.coloured(RED))], fill=RED_TINT, padding=2.5 * mm,
                        space_before=4 * mm))
    blocks.append(help_box)
    blocks.extend(caption_blocks)
    footer_blocks[0].frame = F_FOOT
    blocks.extend(footer_blocks)
    band_blocks[0].frame = F_BAND
    blocks.extend(band_blocks)
    return LargeLayout(band_height, footer_band, qr_size, qr_y, flow(blocks, frames), logo_box)


def render_large_print(t: LeafletText, outputs: Mapping[Mode, Path]) -> None:
    """Lay the sheet out once and write it in each mode; raises ``LayoutOverflow`` when text does not fit."""
    register_fonts()
    lp = t.large
    assert lp is not None, "a course without large_print has no large-print sheet"
    layout = fit(lambda body: _layout(t, lp, body), CITIZEN.body_sizes)
    for mode, path in outputs.items():
        sheet = SheetCanvas(
            path, mode, [PageSpec(WIDTH, HEIGHT, name="một mặt")],
            title=f"{lp.headline.text} – {KIND}", author=t.publisher.text, subject=t.title.text,
            job=f"{KIND}, in một mặt ({mode.label}) | {t.course_id} {t.version}", draft=t.draft,
        )
        c = sheet.begin()
        _ground(c, layout)
        if t.logo is not None:
            emblem(c, t.logo, WIDTH - MARGIN - layout.logo_box, HEIGHT - 6 * mm - layout.logo_box, layout.logo_box)
        draw_qr(c, lp.url.text, MARGIN, layout.qr_y, layout.qr_size)
        paint(c, layout.placements, 0)
        sheet.end()
        sheet.save()


def _ground(c: Canvas, layout: LargeLayout) -> None:
    c.setFillColor(BLUE)
    c.rect(-BLEED, HEIGHT - layout.band_height, WIDTH + 2 * BLEED, layout.band_height + BLEED, stroke=0, fill=1)
    c.rect(-BLEED, -BLEED, WIDTH + 2 * BLEED, layout.footer_band + BLEED, stroke=0, fill=1)
    c.setFillColor(RED)
    c.rect(-BLEED, HEIGHT - layout.band_height - 1.5 * mm, WIDTH + 2 * BLEED, 1.5 * mm, stroke=0, fill=1)
