"""The leaflet palette, CMYK only: print PDFs must carry no RGB colour operator.

Body text is pure black (K only) so that small type never depends on plate registration; the QR
code is pure K for the same reason. Marks use the registration colour (the ``All`` separation),
which prints on every plate.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, CMYKColorSep

BLACK = CMYKColor(0, 0, 0, 1)  # text, QR code
GREY = CMYKColor(0, 0, 0, 0.72)  # secondary text
PAPER = CMYKColor(0, 0, 0, 0)  # no ink: quiet zone behind the QR code, text on dark grounds
BLUE = CMYKColor(1, 0.62, 0, 0.22)  # headings, bands
BLUE_TINT = CMYKColor(0.09, 0.03, 0, 0)  # light panels
RED = CMYKColor(0, 0.9, 0.86, 0.04)  # safety warnings, accents
RED_TINT = CMYKColor(0, 0.07, 0.06, 0)
YELLOW = CMYKColor(0, 0.18, 0.95, 0)  # kicker on blue
DRAFT_RED = CMYKColor(0, 1, 1, 0)  # the draft stamp: impossible to miss on a proof
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
