"""Vietnamese number and date formats and the text rules of report cells, shared by every report writer
(terminal, CSV, workbook, PDF) so that none of them imports another."""

from __future__ import annotations

import re
from datetime import date

# What makes a spreadsheet read a cell as a formula: these characters at the start, also after spaces
# (" =cmd|…" is still a formula to some programs), and their full-width forms, which some convert.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_SPACE = " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\ufeff"

REPORT_TITLE = "BÁO CÁO KẾT QUẢ BỒI DƯỠNG KIẾN THỨC, KỸ NĂNG SỬ DỤNG DỊCH VỤ CÔNG TRỰC TUYẾN"


# -- Vietnamese number and date formats ------------------------------------------------------------
def vi_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vi_percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",") + "%"


def vi_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(value: str) -> str:
    """Text without control or bidi characters: a terminal would run ESC sequences, a workbook cannot hold
    them, and an RLO shows "exe.fdp" as "pdf.exe". (Imports and the aggregate reader refuse such names;
    this keeps reports safe on data stored before they did.)"""
    return _CONTROL.sub("", value)


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (also after leading spaces)."""
    first = value.lstrip(_LEADING_SPACE) if value[:1] in _LEADING_SPACE else value
    return first.startswith(FORMULA_START)


def safe_text(value: str) -> str:
    """Text for a CSV cell: printable, and with a leading apostrophe when a spreadsheet would read it as a
    formula (also after leading spaces), which makes it plain text."""
    if not value.isprintable():  # fast path: names are printable (controls and bidi marks are not)
        value = _CONTROL.sub("", value)
    return "'" + value if looks_like_formula(value) else value
