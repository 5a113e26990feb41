"""The site search index as coursegen's Vietnamese search worker reads it: plain text, nothing else.

mkdocs' search plugin writes each section's text as HTML for lunr; our worker (assets/coursegen/
search-worker.js) matches syllables and folds diacritics itself (đ → d) at load time, so the index
carries no second, folded copy of the text (it would double the download) and no markup (the worker
escapes what it shows). Runs after the search plugin wrote ``search/search_index.json``.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from ...text import nfc

_TAG = re.compile(r"<[^>]+>")
SEARCH_INDEX = "search/search_index.json"


def plain(html: str) -> str:
    """Visible text of an index field: tags dropped, entities decoded, whitespace collapsed, NFC."""
    return nfc(" ".join(unescape(_TAG.sub(" ", html)).split()))


def prepare_search_index(site_dir: Path) -> bool:
    """Rewrite the index in place; False when the site has no search index."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data["docs"]:
        doc["title"] = plain(doc.get("title", ""))
        doc["text"] = plain(doc.get("text", ""))
        doc.pop("folded", None)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
