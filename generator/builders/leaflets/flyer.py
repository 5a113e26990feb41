"""Tờ rơi: the two-sided A5 flyer.

Front: a blue band with the publisher and the headline, then the course title, the introduction
and the numbered steps. Back: where to get help, the two safety rules, and the QR code with the
address printed beside it, above a band with the issuer's name, address and hotline. (The large-print
sheet is not this flyer enlarged: it has its own words for citizens, see ``largeprint.py``.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .colours import BLUE, PAPER, RED, RED_TINT, YELLOW
from .content import (
    HELP_HEADING,
    KICKER,
    QR_CAPTION,
    QR_POINTER,
    SAFETY_HEADING,
    SAFETY_TIPS,
    STEPS_HEADING,
    LeafletText,
)
from .design import FLYER, Styles, fit, headline_sizes
from .fonts import BOLD, register_fonts
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
from .qr import draw_qr
from .sheet import BLEED, Mode, PageSpec, SheetCanvas, emblem

HEADLINE_LINES = 3
LOGO_BOX = 15 * mm
# Frames of a flyer layout, in flow order.
FRONT, BACK, FRONT_FOOT, CAPTION, BACK_FOOT, BAND = range(6)


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float
    margin: float  # text from the trim edge
    qr_size: float


A5 = Paper("A5", 148 * mm, 210 * mm, 10 * mm, 34 * mm)


@dataclass
class FlyerLayout:
    paper: Paper
    styles: Styles
    band_height: float  # blue band at the top of the front
    footer_band: float  # blue band at the foot of the back
    qr_size: float
    qr_y: float
    placements: list[Placement]
    logo_box: float = 0.0  # side of the emblem's white square at the band's top right (0: no emblem)


def _flyer_layout(t: LeafletText, body: float) -> FlyerLayout:
    scale = FLYER
    s = Styles.at(scale, body)
    paper = A5
    page_w, page_h, margin = paper.width, paper.height, paper.margin
    width = page_w - 2 * margin
    logo_box = LOGO_BOX if t.logo else 0.0
    band_width = width - (logo_box + 4 * mm if logo_box else 0.0)  # the emblem sits at the band's right
    on_blue = s.small.coloured(PAPER)
    kicker_style = Style(BOLD, s.small.size, YELLOW)

    def headline_block(size: float) -> Text:
        block = Text(t.headline.text, Style(BOLD, size, PAPER, 1.18), t.headline.ref, space_before=1.5 * mm)
        if len(block._wrap(block.text, block.style, band_width)) > HEADLINE_LINES:
            raise LayoutOverflow(t.headline.ref, "dải tiêu đề mặt trước", 0.0)
        return block

    headline = fit(headline_block, headline_sizes(scale))
    band_blocks: list[Block] = [
        Text(t.publisher.text, on_blue, t.publisher.ref, max_lines=2),
        Text(KICKER, kicker_style, space_before=0.8 * mm),
        headline,
    ]
    band_content = max(stack_height(band_blocks, band_width, "dải tiêu đề mặt trước"), logo_box)
    band_height = 9 * mm + band_content + 7 * mm

    pointer = Text(QR_POINTER, s.small, frame=FRONT_FOOT)
    pointer_height = stack_height([pointer], width, "chân mặt trước")
    footer_y = 7 * mm

    # Back page, from the bottom: the publisher band, then the QR code with its caption.
    footer_blocks: list[Block] = [
        Text(t.publisher.text, Style(BOLD, s.small.size, PAPER), t.publisher.ref, max_lines=2),
        Text(f"{t.site_name.text} · {t.release}", on_blue, t.site_name.ref, space_before=0.5 * mm,
             max_lines=2),
        *(Text(line.text, on_blue, line.ref, space_before=0.5 * mm, max_lines=2) for line in t.contact),
    ]
    footer_content = stack_height(footer_blocks, width, "dải chân mặt sau")
    footer_band = 7 * mm + footer_content + 6 * mm
    qr_size = paper.qr_size
    qr_y = footer_band + 7 * mm
    caption_x = margin + qr_size + 5 * mm

    frames = [  # indexed by FRONT, BACK, FRONT_FOOT, CAPTION, BACK_FOOT, BAND
        Frame(0, margin, footer_y + pointer_height + 5 * mm, width,
              page_h - band_height - 6 * mm - (footer_y + pointer_height + 5 * mm), "mặt trước",
              ),
        Frame(1, margin, qr_y + qr_size + 6 * mm, width, page_h - 11 * mm - (qr_y + qr_size + 6 * mm), "mặt sau"),
        Frame(0, margin, footer_y, width, pointer_height, "chân mặt trước"),
        Frame(1, caption_x, qr_y, page_w - margin - caption_x, qr_size, "chú thích mã QR", valign="middle"),
        Frame(1, margin, 7 * mm, width, footer_content, "dải chân mặt sau"),
        Frame(0, margin, page_h - 9 * mm - band_content, band_width, band_content, "dải tiêu đề mặt trước"),
    ]
    gap = 1.2 * mm + 0.25 * body  # between steps, grows with the type
    blocks: list[Block] = [
        Text(t.title.text, s.title, t.title.ref),
        Text(f"Dành cho: {t.audience}", s.small, space_before=1.2 * mm),
    ]
    if t.intro.text:
        blocks.append(Text(t.intro.text, s.body, t.intro.ref, space_before=4 * mm))
    for index, step in enumerate(t.steps):
        item = Numbered(index + 1, step.text, s.body, BLUE, BOLD, step.ref, space_before=gap)
        if index == 0:
            blocks.append(Stack([Text(STEPS_HEADING, s.heading), item], space_before=5 * mm))
            item.space_before = 2 * mm
        else:
            blocks.append(item)
    help_items: list[Block] = [Bullet(h.text, s.body, BLUE, h.ref, space_before=1.2 * mm) for h in t.help]
    help_items[0].space_before = 2 * mm
    blocks.append(Stack([Text(HELP_HEADING, s.heading), help_items[0]], frame=BACK, space_before=5 * mm))
    blocks.extend(help_items[1:])
    tips = SAFETY_TIPS[:3]
    safety: list[Block] = [Text(SAFETY_HEADING, s.heading.coloured(RED))]
    safety += [Bullet(tip, s.body, RED, space_before=(2 if i == 0 else 1.2) * mm) for i, tip in enumerate(tips)]
    blocks.append(Stack(safety, fill=RED_TINT, padding=4 * mm, space_before=6 * mm))
    blocks.append(pointer)
    blocks.append(Text(QR_CAPTION, s.strong.coloured(BLUE), frame=CAPTION))
    blocks.append(Text(t.display_url.text, s.small, t.display_url.ref, space_before=1.5 * mm))
    footer_blocks[0].frame = BACK_FOOT
    blocks.extend(footer_blocks)
    band_blocks[0].frame = BAND
    blocks.extend(band_blocks)

    placements = flow(blocks, frames)
    return FlyerLayout(paper, s, band_height, footer_band, qr_size, qr_y, placements, logo_box)


def render_flyer(t: LeafletText, outputs: Mapping[Mode, Path]) -> None:
    """Lay the flyer out once and write it in each mode; raises ``LayoutOverflow`` when text does not fit."""
    register_fonts()
    layout = fit(lambda body: _flyer_layout(t, body), FLYER.body_sizes)
    paper = layout.paper
    kind = "Tờ rơi A5"
    for mode, path in outputs.items():
        sheet = SheetCanvas(
            path, mode,
            [PageSpec(paper.width, paper.height, name="mặt trước"), PageSpec(paper.width, paper.height, name="mặt sau")],
            title=f"{t.title.text} – {kind}", author=t.publisher.text,
            subject=t.headline.text, job=f"{kind} ({mode.label}) | {t.course_id} {t.version}", draft=t.draft,
        )
        c = sheet.begin()
        _front_ground(c, layout)
        if t.logo is not None:
            side = layout.logo_box
            emblem(c, t.logo, paper.width - paper.margin - side, paper.height - 9 * mm - side, side)
        paint(c, layout.placements, 0)
        sheet.end()
        c = sheet.begin()
        _back_ground(c, layout)
        draw_qr(c, t.url.text, paper.margin, layout.qr_y, layout.qr_size)
        paint(c, layout.placements, 1)
        sheet.end()
        sheet.save()


def _front_ground(c: Canvas, layout: FlyerLayout) -> None:
    page_w, page_h = layout.paper.width, layout.paper.height
    c.setFillColor(BLUE)
    c.rect(-BLEED, page_h - layout.band_height, page_w + 2 * BLEED, layout.band_height + BLEED, stroke=0, fill=1)
    c.setFillColor(RED)
    c.rect(-BLEED, -BLEED, page_w + 2 * BLEED, 3.5 * mm + BLEED, stroke=0, fill=1)


def _back_ground(c: Canvas, layout: FlyerLayout) -> None:
    page_w = layout.paper.width
    c.setFillColor(BLUE)
    c.rect(-BLEED, -BLEED, page_w + 2 * BLEED, layout.footer_band + BLEED, stroke=0, fill=1)
    c.setFillColor(RED)
    c.rect(-BLEED, layout.footer_band, page_w + 2 * BLEED, 1.2 * mm, stroke=0, fill=1)
