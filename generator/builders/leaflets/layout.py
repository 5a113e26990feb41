"""Measured text layout for leaflets: wrap, stack blocks into frames, and refuse what does not fit.

Nothing here cuts text or shrinks it on its own. A layout is built at one body size; the renderer
tries its sizes from the preferred one down to the minimum and, when even the minimum overflows,
reports the course field whose text did not fit (``LayoutOverflow``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .colours import PAPER
from .fonts import text_width

# Break opportunities inside a word that is wider than its column (URLs, long addresses):
# after a slash first, and only if a part between slashes is still too wide, after . - _ ? & =.
_SLASH_BREAK = re.compile(r"(?<=/)")
_INNER_BREAK = re.compile(r"(?<=[.\-_?&=])")


@dataclass(frozen=True)
class FieldRef:
    """A source field, for messages: ``courses/x/course.yml`` + ("leaflet", "steps", 2)."""

    file: str
    keys: tuple[str | int, ...]

    @property
    def label(self) -> str:
        parts: list[str] = []
        for key in self.keys:
            if isinstance(key, int):
                parts[-1] += f"[{key + 1}]"
            else:
                parts.append(key)
        return ".".join(parts)


class LayoutOverflow(Exception):
    """Text that does not fit; ``excess`` in points (0 when a single word is wider than its column)."""

    def __init__(self, ref: FieldRef | None, where: str, excess: float, word: str = "", max_lines: int = 0):
        self.ref = ref
        self.where = where
        self.excess = excess
        self.word = word
        self.max_lines = max_lines  # set when the text takes more lines than its place allows
        super().__init__(f"{ref.label if ref else '?'} @ {where}: +{excess:.1f} pt {word} {max_lines}")


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    colour: CMYKColor
    leading_factor: float = 1.34

    @property
    def leading(self) -> float:
        return self.size * self.leading_factor

    @property
    def first_baseline(self) -> float:
        """Distance from a line box's top to its baseline; room for stacked Vietnamese marks (Ấ, Ễ)."""
        return self.size * (0.5 * (self.leading_factor - 1) + 0.92)

    def sized(self, size: float) -> Style:
        return replace(self, size=size)

    def coloured(self, colour: CMYKColor) -> Style:
        return replace(self, colour=colour)


class WordTooWide(Exception):
    def __init__(self, word: str):
        self.word = word
        super().__init__(word)


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the column breaks after / . - or fails."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, style.font, style.size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if text_width(word, style.font, style.size) <= width:
            current = word
            continue
        for piece in _pieces(word, style, width):
            candidate = current + piece
            if text_width(candidate, style.font, style.size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if text_width(piece, style.font, style.size) > width:
                raise WordTooWide(word)
            current = piece
    if current:
        lines.append(current)
    return lines


def _pieces(word: str, style: Style, width: float) -> list[str]:
    pieces: list[str] = []
    for part in filter(None, _SLASH_BREAK.split(word)):
        if text_width(part, style.font, style.size) <= width:
            pieces.append(part)
        else:
            pieces.extend(filter(None, _INNER_BREAK.split(part)))
    return pieces


def draw_lines(c: Canvas, lines: Sequence[str], style: Style, x: float, top: float,
               align: str = "left", width: float = 0) -> None:
    c.setFillColor(style.colour)
    c.setFont(style.font, style.size)
    baseline = top - style.first_baseline
    for line in lines:
        if align == "center":
            c.drawCentredString(x + width / 2, baseline, line)
        elif align == "right":
            c.drawRightString(x + width, baseline, line)
        else:
            c.drawString(x, baseline, line)
        baseline -= style.leading


class Block:
    """Something stacked in a frame. ``measure`` wraps and returns the height; ``draw`` paints it."""

    ref: FieldRef | None = None
    space_before: float = 0.0
    movable: bool = False  # may continue in the next frame of a flowing layout
    frame: int | None = None  # start in this frame (index) at the latest

    def measure(self, width: float) -> float:
        raise NotImplementedError

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        raise NotImplementedError

    def _wrap(self, text: str, style: Style, width: float) -> list[str]:
        try:
            return wrap(text, style, width)
        except WordTooWide as exc:
            raise LayoutOverflow(self.ref, "", 0.0, exc.word) from None


@dataclass(eq=False)
class Text(Block):
    text: str
    style: Style
    ref: FieldRef | None = None
    space_before: float = 0.0
    align: str = "left"
    movable: bool = False
    frame: int | None = None
    max_lines: int = 0  # 0: any number
    _lines: list[str] = field(default_factory=list, repr=False)

    def measure(self, width: float) -> float:
        self._lines = self._wrap(self.text, self.style, width)
        if self.max_lines and len(self._lines) > self.max_lines:
            raise LayoutOverflow(self.ref, "", 0.0, max_lines=self.max_lines)
        return len(self._lines) * self.style.leading

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        draw_lines(c, self._lines, self.style, x, top, self.align, width)


@dataclass(eq=False)
class Numbered(Block):
    """A numbered step: the number in a filled disc, the text hanging beside it."""

    number: int
    text: str
    style: Style
    badge: CMYKColor
    badge_font: str
    ref: FieldRef | None = None
    space_before: float = 0.0
    movable: bool = False
    frame: int | None = None
    _lines: list[str] = field(default_factory=list, repr=False)

    @property
    def diameter(self) -> float:
        return self.style.size * 1.7

    @property
    def indent(self) -> float:
        return self.diameter + self.style.size * 0.6

    def measure(self, width: float) -> float:
        self._lines = self._wrap(self.text, self.style, width - self.indent)
        return max(len(self._lines) * self.style.leading, self.diameter + 1)

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        radius = self.diameter / 2
        centre_y = top - self.style.first_baseline + self.style.size * 0.36
        c.setFillColor(self.badge)
        c.circle(x + radius, centre_y, radius, stroke=0, fill=1)
        c.setFillColor(PAPER)
        c.setFont(self.badge_font, self.style.size)
        c.drawCentredString(x + radius, centre_y - self.style.size * 0.36, str(self.number))
        draw_lines(c, self._lines, self.style, x + self.indent, top)


@dataclass(eq=False)
class Bullet(Block):
    """A list item with a small square marker in ``marker`` colour."""

    text: str
    style: Style
    marker: CMYKColor
    ref: FieldRef | None = None
    space_before: float = 0.0
    movable: bool = False
    frame: int | None = None
    _lines: list[str] = field(default_factory=list, repr=False)

    @property
    def indent(self) -> float:
        return self.style.size * 1.15

    def measure(self, width: float) -> float:
        self._lines = self._wrap(self.text, self.style, width - self.indent)
        return len(self._lines) * self.style.leading

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        side = self.style.size * 0.42
        y = top - self.style.first_baseline + self.style.size * 0.36 - side / 2
        c.setFillColor(self.marker)
        c.rect(x + side * 0.2, y, side, side, stroke=0, fill=1)
        draw_lines(c, self._lines, self.style, x + self.indent, top)


@dataclass(eq=False)
class Stack(Block):
    """Blocks kept together (a heading with its first item), optionally on a tinted box."""

    children: list[Block]
    fill: CMYKColor | None = None
    padding: float = 0.0
    space_before: float = 0.0
    movable: bool = False
    frame: int | None = None
    _heights: list[float] = field(default_factory=list, repr=False)

    @property
    def ref(self) -> FieldRef | None:  # type: ignore[override]
        refs = [child.ref for child in self.children if child.ref is not None]
        return refs[-1] if refs else None

    def measure(self, width: float) -> float:
        inner = width - 2 * self.padding
        self._heights = []
        total = 0.0
        for index, child in enumerate(self.children):
            try:
                height = child.measure(inner)
            except LayoutOverflow as exc:
                raise LayoutOverflow(exc.ref or self.ref, exc.where, exc.excess, exc.word, exc.max_lines) from None
            self._heights.append(height)
            total += height + (child.space_before if index else 0.0)
        return total + 2 * self.padding

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        if self.fill is not None:
            height = sum(self._heights) + sum(ch.space_before for ch in self.children[1:]) + 2 * self.padding
            c.setFillColor(self.fill)
            c.roundRect(x, top - height, width, height, radius=2 * mm, stroke=0, fill=1)
        y = top - self.padding
        for index, (child, height) in enumerate(zip(self.children, self._heights, strict=True)):
            if index:
                y -= child.space_before
            child.draw(c, x + self.padding, y, width - 2 * self.padding)
            y -= height


@dataclass(eq=False)
class Custom(Block):
    """A block of fixed height painted by a callback ``paint(c, x, top, width)``, e.g. a QR code."""

    height: float
    paint: Callable[[Canvas, float, float, float], None]
    ref: FieldRef | None = None
    space_before: float = 0.0
    frame: int | None = None

    def measure(self, width: float) -> float:
        return self.height

    def draw(self, c: Canvas, x: float, top: float, width: float) -> None:
        self.paint(c, x, top, width)


@dataclass(frozen=True)
class Frame:
    """A column on one page, in trim coordinates (points); ``where`` names it for messages."""

    page: int
    x: float
    y: float  # bottom
    width: float
    height: float
    where: str
    valign: str = "top"  # "top", "middle", "bottom", or "spread" (between blocks, at most ``spread`` each)
    spread: float = 6 * mm
    continues_to: int | None = None  # index of the frame that takes movable blocks that do not fit

    @property
    def top(self) -> float:
        return self.y + self.height


def stack_height(blocks: Sequence[Block], width: float, where: str) -> float:
    """Height of ``blocks`` stacked in a column of ``width`` (first space-before ignored), measured ahead of
    ``flow`` to size a frame; an overflow names ``where``."""
    total = 0.0
    for index, block in enumerate(blocks):
        try:
            total += block.measure(width) + (block.space_before if index else 0.0)
        except LayoutOverflow as exc:
            raise LayoutOverflow(exc.ref or block.ref, exc.where or where, exc.excess, exc.word,
                                 exc.max_lines) from None
    return total


@dataclass
class Placement:
    block: Block
    frame: Frame
    top: float
    height: float


def flow(blocks: Sequence[Block], frames: Sequence[Frame],
         continued: Callable[[Block], Block | None] | None = None) -> list[Placement]:
    """Stack ``blocks`` into ``frames`` in order; raise ``LayoutOverflow`` naming the field that does not fit.

    A block may move on to the next frame only if it is ``movable`` (a step of a flowing list);
    ``continued(block)`` may then return a heading ("… (tiếp theo)") to put in front of it.
    """
    placements: list[Placement] = []
    index = 0
    used = 0.0
    for position, block in enumerate(blocks):
        if block.frame is not None and block.frame > index:
            index, used = block.frame, 0.0
        if index >= len(frames):
            raise LayoutOverflow(block.ref, frames[-1].where, 0.0)
        frame = frames[index]
        try:
            height = block.measure(frame.width)
        except LayoutOverflow as exc:
            raise LayoutOverflow(exc.ref or block.ref, frame.where, exc.excess, exc.word, exc.max_lines) from None
        gap = block.space_before if used else 0.0
        if used + gap + height <= frame.height + 0.01:
            placements.append(Placement(block, frame, frame.top - used - gap, height))
            used += gap + height
            continue
        if block.movable and frame.continues_to is not None and frame.continues_to > index:
            index, used = frame.continues_to, 0.0
            frame = frames[index]
            lead = continued(block) if continued else None
            if lead is not None:
                lead_height = lead.measure(frame.width)
                placements.append(Placement(lead, frame, frame.top, lead_height))
                used = lead_height
            height = block.measure(frame.width)
            gap = block.space_before if used else 0.0
            if used + gap + height <= frame.height + 0.01:
                placements.append(Placement(block, frame, frame.top - used - gap, height))
                used += gap + height
                continue
        rest = _rest_height(blocks[position + 1:], index, frame.width)
        raise LayoutOverflow(_culprit(block, placements, frame), frame.where, used + gap + height + rest - frame.height)
    return _aligned(placements)


def _rest_height(blocks: Sequence[Block], index: int, width: float) -> float:
    """Height the blocks after an overflowing one would still need in the same frame (for the message)."""
    total = 0.0
    for block in blocks:
        if block.frame is not None and block.frame > index:
            break
        try:
            total += block.space_before + block.measure(width)
        except LayoutOverflow:
            break
    return total


def _culprit(block: Block, placements: list[Placement], frame: Frame) -> FieldRef | None:
    """The field to name: the block's own, or else the last course field already in the same frame."""
    if block.ref is not None:
        return block.ref
    for placement in reversed(placements):
        if placement.frame is frame and placement.block.ref is not None:
            return placement.block.ref
    return None


def _aligned(placements: list[Placement]) -> list[Placement]:
    """Move each frame's content down by its spare room for frames that are not top-aligned."""
    by_frame: dict[int, list[Placement]] = {}
    for placement in placements:
        by_frame.setdefault(id(placement.frame), []).append(placement)
    for group in by_frame.values():
        frame = group[0].frame
        if frame.valign == "top":
            continue
        bottom = min(p.top - p.height for p in group)
        spare = bottom - frame.y
        if frame.valign == "spread":
            extra = min(spare / (len(group) - 1), frame.spread) if len(group) > 1 else 0.0
            for index, placement in enumerate(group):
                placement.top -= index * extra
            continue
        shift = spare if frame.valign == "bottom" else spare / 2
        for placement in group:
            placement.top -= shift
    return placements


def paint(c: Canvas, placements: Sequence[Placement], page: int) -> None:
    for placement in placements:
        if placement.frame.page == page:
            placement.block.draw(c, placement.frame.x, placement.top, placement.frame.width)
