"""Vietnamese text helpers: NFC at the boundary, diacritic folding for search and matching, slugs."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form coursegen stores and compares."""
    return unicodedata.normalize("NFC", text)


_LATIN_MARKS = re.compile(r"[\u0300-\u036f]")


def _slow_fold(text: str) -> str:
    """Reference folding: NFD, drop the Latin combining marks U+0300–U+036F (as the site's script does)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).lower()


# Every precomposed Latin letter (Vietnamese lives in U+00C0–U+024F and U+1E00–U+1EFF) mapped once,
# so folding a page of text is one str.translate instead of a per-character Python loop.
_FOLD_TABLE = {cp: _slow_fold(chr(cp)) for r in (range(0xC0, 0x250), range(0x1E00, 0x1F00)) for cp in r}


def fold(text: str) -> str:
    """Strip diacritics (đ → d) and lowercase, so "Đăng ký" and "dang ky" compare equal."""
    folded = text.translate(_FOLD_TABLE).lower()
    return _slow_fold(folded) if _LATIN_MARKS.search(folded) else folded


def slugify(text: str, separator: str = "-") -> str:
    """A readable ASCII slug for Vietnamese text: "Thư điện tử" → "thu-dien-tu"."""
    return _NON_SLUG.sub(separator, fold(text)).strip(separator)


def heading_slug(value: str, separator: str) -> str:
    """Slug function for Markdown's toc extension (signature required by python-markdown)."""
    return slugify(value, separator) or "muc"


def date_vn(value: date) -> str:
    return value.strftime("%d/%m/%Y")
