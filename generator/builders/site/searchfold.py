"""Make the site search find Vietnamese with or without diacritics.

mkdocs-material's lunr search with ``lang: vi`` has no folding: "dang ky" never matches "đăng ký".
After the search plugin writes ``search/search_index.json`` we add a ``folded`` field to every entry
(title and text without diacritics, đ → d) and declare it as an indexed field, so both spellings hit.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from ...text import fold

_TAG = re.compile(r"<[^>]+>")


def fold_search_index(site_dir: Path) -> bool:
    """Add the folded field in place; False when the site has no search index."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    data["config"].setdefault("fields", {})["folded"] = {"boost": 1}
    for doc in data["docs"]:
        plain = unescape(_TAG.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}"))
        doc["folded"] = " ".join(fold(plain).split())
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
