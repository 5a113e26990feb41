"""The bundled Be Vietnam Pro faces, registered once with reportlab.

Print shops reject PDFs that reference fonts they do not have, so every leaflet embeds subsets of
the TrueType files in ``generator/fonts`` (SIL OFL 1.1, licence text beside them) and nothing else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"
LICENCE = FONT_DIR / "OFL.txt"

REGULAR = "BeVietnamPro-Regular"
SEMIBOLD = "BeVietnamPro-SemiBold"
BOLD = "BeVietnamPro-Bold"
FACES = (REGULAR, SEMIBOLD, BOLD)


@cache
def register_fonts() -> tuple[str, ...]:
    """Register the faces under their PostScript names; safe to call many times."""
    for name in FACES:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    return FACES


def text_width(text: str, font: str, size: float) -> float:
    """Advance width of ``text`` in points (fonts must be registered)."""
    return pdfmetrics.stringWidth(text, font, size)


def missing_characters(text: str) -> list[str]:
    """Characters of ``text`` that a bundled face cannot draw: reportlab would print nothing for them."""
    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in FACES]
    return sorted({ch for ch in text if not ch.isspace() and any(ord(ch) not in cmap for cmap in maps)})
