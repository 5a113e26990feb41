"""Tờ gấp: the A4 landscape roll-fold (tri-fold) brochure, two pages (outside, inside).

Panel order for a roll fold, left to right as printed:

- outside: inside flap (97 mm) | back panel (100 mm) | front cover (100 mm)
- inside:  left panel (100 mm) | middle panel (100 mm) | right panel (97 mm, the back of the flap)

The 97 mm flap folds in first and the front cover closes over it, so the flap is 3 mm narrower
to clear the fold. Opening the cover shows the flap's outside (how to take the course) beside the
left inside panel; opening the flap shows introduction, steps and safety side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .colours import BLUE, BLUE_TINT, PAPER, RED, RED_TINT, YELLOW
from .content import (
    FACTS_HEADING,
    HELP_HEADING,
    HOW_HEADING,
    INTRO_HEADING,
    KICKER,
    QR_CAPTION,
    SAFETY_HEADING,
    SAFETY_TIPS,
    STEPS_HEADING,
    LeafletText,
)
from .design import TRIFOLD, Styles, fit, headline_sizes
from .fonts import BOLD, register_fonts
from .layout import (
    Block,
    Bullet,
    Custom,
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

WIDTH, HEIGHT = 297 * mm, 210 * mm
FLAP = 97 * mm
PANEL = 100 * mm
OUTSIDE_FOLDS = (FLAP, FLAP + PANEL)  # 97 | 100 | 100
INSIDE_FOLDS = (PANEL, 2 * PANEL)  # 100 | 100 | 97
EDGE = 8 * mm  # text from the trim edge (5 mm safe zone + 3 mm)
FOLD_GAP = 7 * mm  # text from a fold
TOP, BOTTOM = 13 * mm, 12 * mm
COVER_SPLIT = 0.42 * HEIGHT  # the cover is blue above this line
QR_SIZE = 40 * mm
LOGO_BOX = 16 * mm
HEADLINE_LINES = 4
# Frame indices (F_…) of the tri-fold layout, in flow order (page 0 outside, page 1 inside).
(F_FLAP, F_BACK_HELP, F_BACK_FOOT, F_COVER_TOP, F_COVER_HEADLINE, F_COVER_TITLE, F_COVER_FOOT,
 F_INSIDE_LEFT, F_INSIDE_MIDDLE, F_INSIDE_RIGHT) = range(10)


def _column(left: float, right: float, left_is_edge: bool, right_is_edge: bool) -> tuple[float, float]:
    x0 = left + (EDGE if left_is_edge else FOLD_GAP)
    x1 = right - (EDGE if right_is_edge else FOLD_GAP)
    return x0, x1 - x0


# Text columns (x, width) of the six panels.
FLAP_COL = _column(0, FLAP, True, False)
BACK_COL = _column(FLAP, FLAP + PANEL, False, False)
COVER_COL = _column(FLAP + PANEL, WIDTH, False, True)
LEFT_COL = _column(0, PANEL, True, False)
MIDDLE_COL = _column(PANEL, 2 * PANEL, False, False)
RIGHT_COL = _column(2 * PANEL, WIDTH, False, True)


@dataclass
class TrifoldLayout:
    styles: Styles
    placements: list[Placement]


def _headline(t: LeafletText, width: float, height: float, below: float) -> Text:
    """The largest headline size that fits the cover's blue area in at most four lines."""
    def attempt(size: float) -> Text:
        block = Text(t.headline.text, Style(BOLD, size, PAPER, 1.15), t.headline.ref)
        lines = len(block._wrap(block.text, block.style, width))
        needed = block.measure(width) + block.space_before + below
        if lines > HEADLINE_LINES or needed > height:
            raise LayoutOverflow(t.headline.ref, "bìa trước", max(0.0, needed - height))
        return block

    return fit(attempt, headline_sizes(TRIFOLD))


def _trifold_layout(t: LeafletText, body: float) -> TrifoldLayout:
    s = Styles.at(TRIFOLD, body)
    gap = 1.2 * mm + 0.25 * body
    on_blue = s.small.coloured(PAPER)

    # Outside, back panel: help at the top; the QR code, its caption and the publisher at the foot.
    def qr_paint(c: Canvas, x: float, top: float, width: float) -> None:
        draw_qr(c, t.url.text, x + (width - QR_SIZE) / 2, top - QR_SIZE, QR_SIZE)

    back_foot: list[Block] = [
        Custom(QR_SIZE, qr_paint, t.url.ref),
        Text(QR_CAPTION, s.strong.coloured(BLUE), align="center", space_before=1 * mm),
        Text(t.display_url.text, s.small, t.display_url.ref, align="center", space_before=0.5 * mm),
        Text(t.publisher.text, Style(BOLD, s.small.size, s.small.colour), t.publisher.ref, align="center",
             space_before=5 * mm, max_lines=3),
        Text(f"{t.site_name.text} · {t.release}", s.small, t.site_name.ref,
             align="center", space_before=0.5 * mm),
        *(Text(line.text, s.small, line.ref, align="center", space_before=0.5 * mm, max_lines=2)
          for line in t.contact),
    ]
    back_foot_height = stack_height(back_foot, BACK_COL[1], "mặt sau (mã QR)")

    # Front cover: publisher on top, kicker and headline at the foot of the blue area.
    publisher = Text(t.publisher.text, on_blue, t.publisher.ref, frame=F_COVER_TOP, max_lines=3)
    kicker = Text(KICKER, Style(BOLD, max(8.0, s.small.size), YELLOW), space_before=1 * mm)
    top_w = COVER_COL[1] - (LOGO_BOX + 4 * mm if t.logo else 0.0)  # the emblem sits at the right
    top_h = max(stack_height([publisher, kicker], top_w, "bìa trước (đơn vị phát hành)"),
                LOGO_BOX if t.logo else 0.0)
    cover_band_y = COVER_SPLIT + 9 * mm
    cover_band_h = HEIGHT - TOP - top_h - 6 * mm - cover_band_y
    headline = _headline(t, COVER_COL[1], cover_band_h, 0.0)
    headline.frame = F_COVER_HEADLINE
    site = Text(t.site_name.text, s.small, t.site_name.ref, max_lines=2)
    site_h = stack_height([site], COVER_COL[1], "bìa trước (chân trang)")

    frames = [  # in the order of the frame constants
        # page 0, outside
        Frame(0, FLAP_COL[0], BOTTOM, FLAP_COL[1], HEIGHT - TOP - BOTTOM, "tai gấp (mặt ngoài)", valign="middle"),
        Frame(0, BACK_COL[0], BOTTOM + back_foot_height + 6 * mm, BACK_COL[1],
              HEIGHT - TOP - BOTTOM - back_foot_height - 6 * mm, "mặt sau (phần hỗ trợ)", valign="spread",
              spread=4 * mm),
        Frame(0, BACK_COL[0], BOTTOM, BACK_COL[1], back_foot_height, "mặt sau (mã QR)"),
        Frame(0, COVER_COL[0], HEIGHT - TOP - top_h, top_w, top_h, "bìa trước (đơn vị phát hành)"),
        Frame(0, COVER_COL[0], cover_band_y, COVER_COL[1], cover_band_h, "bìa trước (tiêu đề)", valign="bottom"),
        Frame(0, COVER_COL[0], BOTTOM + site_h + 4 * mm, COVER_COL[1],
              COVER_SPLIT - 9 * mm - (BOTTOM + site_h + 4 * mm), "bìa trước (tên khóa học)", valign="middle"),
        Frame(0, COVER_COL[0], BOTTOM, COVER_COL[1], site_h, "bìa trước (chân trang)"),
        # page 1, inside
        Frame(1, LEFT_COL[0], BOTTOM, LEFT_COL[1], HEIGHT - TOP - BOTTOM, "mặt trong, cột trái",
              valign="spread", spread=10 * mm),
        Frame(1, MIDDLE_COL[0], BOTTOM, MIDDLE_COL[1], HEIGHT - TOP - BOTTOM, "mặt trong, cột giữa", valign="spread"),
        Frame(1, RIGHT_COL[0], BOTTOM, RIGHT_COL[1], HEIGHT - TOP - BOTTOM, "mặt trong, cột phải", valign="spread"),
    ]

    blocks: list[Block] = []
    # Outside flap: how to take the course.
    how = [Numbered(i + 1, text, s.body, BLUE, BOLD, space_before=2 * mm if i == 0 else gap)
           for i, text in enumerate(t.how_to)]
    blocks.append(Stack([Text(HOW_HEADING, s.heading), how[0]]))
    blocks.extend(how[1:])
    blocks.append(Text("Mở tờ gấp để xem từng bước thực hiện và cách giữ an toàn tài khoản.", s.small,
                       space_before=6 * mm))
    # Back panel.
    help_items: list[Block] = [Bullet(h.text, s.body, BLUE, h.ref, space_before=2 * mm if i == 0 else gap * 0.8)
                               for i, h in enumerate(t.help)]
    blocks.append(Stack([Text(HELP_HEADING, s.heading), help_items[0]], frame=F_BACK_HELP))
    blocks.extend(help_items[1:])
    back_foot[0].frame = F_BACK_FOOT
    blocks.extend(back_foot)
    # Front cover.
    blocks.extend([publisher, kicker, headline])
    blocks.append(Text(t.title.text, s.title, t.title.ref, frame=F_COVER_TITLE))
    blocks.append(Text(f"Dành cho: {t.audience}", s.small, space_before=2 * mm))
    site.frame = F_COVER_FOOT
    blocks.append(site)
    # Inside left: introduction and facts.
    first = True
    if t.intro.text:
        blocks.append(Stack([Text(INTRO_HEADING, s.heading),
                             Text(t.intro.text, s.body.sized(body + 1.5), t.intro.ref, space_before=2 * mm)],
                            frame=F_INSIDE_LEFT))
        first = False
    facts: list[Block] = [Text(FACTS_HEADING, s.title)]
    for label, value in t.facts:
        facts.append(Text(label, s.small, space_before=2 * mm))
        facts.append(Text(value.text, s.strong, value.ref, space_before=0.3 * mm))
    blocks.append(Stack(facts, fill=BLUE_TINT, padding=4.5 * mm, frame=F_INSIDE_LEFT, space_before=0 if first else 7 * mm))
    # Inside middle: steps.
    steps = [Numbered(i + 1, st.text, s.body, BLUE, BOLD, st.ref, space_before=2.5 * mm if i == 0 else gap)
             for i, st in enumerate(t.steps)]
    blocks.append(Stack([Text(STEPS_HEADING, s.heading), steps[0]], frame=F_INSIDE_MIDDLE))
    blocks.extend(steps[1:])
    # Inside right (the back of the flap): safety.
    tips = [Bullet(tip, s.body, RED, space_before=2.5 * mm if i == 0 else gap) for i, tip in enumerate(SAFETY_TIPS)]
    blocks.append(Stack([Text(SAFETY_HEADING, s.heading.coloured(RED)), tips[0]], frame=F_INSIDE_RIGHT))
    blocks.extend(tips[1:])
    return TrifoldLayout(s, flow(blocks, frames))


def render_trifold(t: LeafletText, outputs: Mapping[Mode, Path]) -> None:
    """Lay the tri-fold out once and write it in each mode; raises ``LayoutOverflow`` when a panel overflows."""
    register_fonts()
    layout = fit(lambda body: _trifold_layout(t, body), TRIFOLD.body_sizes)
    kind = "Tờ gấp A4"
    for mode, path in outputs.items():
        sheet = SheetCanvas(
            path, mode,
            [PageSpec(WIDTH, HEIGHT, OUTSIDE_FOLDS, "mặt ngoài"), PageSpec(WIDTH, HEIGHT, INSIDE_FOLDS, "mặt trong")],
            title=f"{t.title.text} – {kind}", author=t.publisher.text,
            subject=t.headline.text, job=f"{kind} gấp cuộn 97/100/100 mm ({mode.label}) | {t.course_id} {t.version}",
            draft=t.draft,
        )
        c = sheet.begin()
        _outside_ground(c)
        if t.logo is not None:
            emblem(c, t.logo, COVER_COL[0] + COVER_COL[1] - LOGO_BOX, HEIGHT - TOP - LOGO_BOX, LOGO_BOX)
        paint(c, layout.placements, 0)
        sheet.end()
        c = sheet.begin()
        _inside_ground(c)
        paint(c, layout.placements, 1)
        sheet.end()
        sheet.save()


def _outside_ground(c: Canvas) -> None:
    c.setFillColor(BLUE_TINT)  # flap
    c.rect(-BLEED, -BLEED, FLAP + BLEED, HEIGHT + 2 * BLEED, stroke=0, fill=1)
    cover_x = FLAP + PANEL
    c.setFillColor(BLUE)  # cover, upper part
    c.rect(cover_x, COVER_SPLIT, WIDTH - cover_x + BLEED, HEIGHT - COVER_SPLIT + BLEED, stroke=0, fill=1)
    c.setFillColor(RED)
    c.rect(cover_x, COVER_SPLIT - 1.5 * mm, WIDTH - cover_x + BLEED, 1.5 * mm, stroke=0, fill=1)
    c.rect(cover_x, -BLEED, WIDTH - cover_x + BLEED, 4 * mm + BLEED, stroke=0, fill=1)


def _inside_ground(c: Canvas) -> None:
    c.setFillColor(RED_TINT)  # safety panel, the back of the flap
    c.rect(2 * PANEL, -BLEED, WIDTH - 2 * PANEL + BLEED, HEIGHT + 2 * BLEED, stroke=0, fill=1)
    c.setFillColor(BLUE)
    c.rect(-BLEED, HEIGHT - 5 * mm, WIDTH + 2 * BLEED, 5 * mm + BLEED, stroke=0, fill=1)
