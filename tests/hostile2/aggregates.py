"""Crafted aggregate files (what a hostile or careless province could send), written with a valid id.

The content id is a plain SHA-256 of the content, so anyone can "sign" a crafted file: these helpers do
exactly that, to show the reader refuses by content, not by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.coverage.aggregate import FACT_COLUMNS, FORMAT, VERSION, content_id
from generator.coverage.geography import resolve_commune, resolve_province

AS_OF = date(2025, 11, 30)
PROVINCE = resolve_province("Hưng Yên").code
COMMUNE = resolve_commune("Phường Phố Hiến", PROVINCE).code
OTHER_COMMUNE = resolve_commune("Phường Sơn Nam", PROVINCE).code


def body(units: list[tuple[str, int, int]] | None = None) -> dict:
    """A valid aggregate of the mini project's course: ``units`` as (name, enrolled, covered)."""
    units = units or [("Trường THPT Phố Hiến", 40, 30), ("Trường THPT Hưng Yên", 30, 12)]
    return {
        "format": FORMAT, "version": VERSION, "as_of": AS_OF.isoformat(), "trend_days": 90, "publisher": "Sở GD&ĐT",
        "courses": [{"id": "mini-dvc", "audience": "students"}],
        "columns": list(FACT_COLUMNS),
        "facts": [["mini-dvc", "2025-2026", PROVINCE, COMMUNE if n % 2 == 0 else OTHER_COMMUNE, name, enrolled,
                   covered, covered // 2] for n, (name, enrolled, covered) in enumerate(units)],
        "series": [{"course": "mini-dvc", "period": "2025-2026", "province": PROVINCE,
                    "months": [["2025-09", 5], ["2025-10", 20], ["2025-11", sum(u[2] for u in units)]]}],
        "sources": [],
    }


def signed(data: dict) -> str:
    """The file text with the id recomputed (as any sender can)."""
    return json.dumps({**data, "id": content_id(data)}, indent=1)  # \\u escapes: a lone surrogate too


def write(path: Path, change: Callable[[dict], None] | None = None, units=None) -> Path:
    data = body(units)
    if change is not None:
        change(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(signed(data), encoding="utf-8")
    return path
