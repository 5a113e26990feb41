"""Type scales of the three leaflets and the fitting loop shared by their renderers.

A renderer lays a leaflet out at the preferred body size; if something overflows it tries the next
smaller size, down to the scale's minimum, and then gives up with an error that names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .colours import BLACK, BLUE, GREY
from .fonts import BOLD, REGULAR, SEMIBOLD
from .layout import LayoutOverflow, Style

T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    """Sizes in points. ``body_sizes`` are tried in order; the last one is the minimum."""

    body_sizes: tuple[float, ...]
    headline_max: float
    headline_min: float
    small_offset: float  # small text = body - offset ...
    small_min: float  # ... but never below this
    heading_offset: float
    small_grey: bool = True  # secondary text in grey; large print keeps everything black

    @property
    def minimum(self) -> float:
        return self.body_sizes[-1]


FLYER = Scale(body_sizes=(13, 12.5, 12, 11.5, 11, 10.5, 10, 9.5), headline_max=28, headline_min=17,
              small_offset=1.5, small_min=8.5, heading_offset=2.5)
# The citizen's large-print sheet: body text (steps, help, safety, QR caption) never below 18 pt;
# the secondary lines (web address, issuer's footer) never below 14 pt; nothing in grey.
CITIZEN = Scale(body_sizes=(24, 23, 22, 21, 20, 19, 18), headline_max=40, headline_min=26,
                small_offset=4, small_min=14, heading_offset=4, small_grey=False)
TRIFOLD = Scale(body_sizes=(14, 13.5, 13, 12.5, 12, 11.5, 11, 10.5, 10, 9.5, 9), headline_max=28, headline_min=18,
                small_offset=1.5, small_min=8, heading_offset=3)


@dataclass(frozen=True)
class Styles:
    body: Style
    strong: Style
    small: Style
    heading: Style
    title: Style

    @classmethod
    def at(cls, scale: Scale, body: float) -> Styles:
        small = max(scale.small_min, body - scale.small_offset)
        return cls(
            body=Style(REGULAR, body, BLACK),
            strong=Style(SEMIBOLD, body, BLACK),
            small=Style(REGULAR, small, GREY if scale.small_grey else BLACK),
            heading=Style(BOLD, body + scale.heading_offset, BLUE, 1.2),
            title=Style(BOLD, body + scale.heading_offset - 0.5, BLUE, 1.25),
        )


def headline_sizes(scale: Scale) -> list[float]:
    sizes: list[float] = []
    size = scale.headline_max
    while size >= scale.headline_min:
        sizes.append(size)
        size -= 1
    return sizes


def fit(attempt: Callable[[float], T], sizes: tuple[float, ...] | list[float]) -> T:
    """Return ``attempt(size)`` for the first size that fits; re-raise the last overflow if none does."""
    last: LayoutOverflow | None = None
    for size in sizes:
        try:
            return attempt(size)
        except LayoutOverflow as exc:
            last = exc
    assert last is not None
    raise last
