"""Vietnamese text helpers: NFC at the boundary, diacritic folding for search and matching, slugs."""

from __future__ import annotations

import re
import unicodedata

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form coursegen stores and compares."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Strip diacritics (đ → d) and lowercase, so "Đăng ký" and "dang ky" compare equal."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify(text: str, separator: str = "-") -> str:
    """A readable ASCII slug for Vietnamese text: "Thư điện tử" → "thu-dien-tu"."""
    return _NON_SLUG.sub(separator, fold(text)).strip(separator)


def heading_slug(value: str, separator: str) -> str:
    """Slug function for Markdown's toc extension (signature required by python-markdown)."""
    return slugify(value, separator) or "muc"
