"""The mkdocs entry point of the ``coursegen`` plugin, for plain ``mkdocs build`` / ``mkdocs serve``.

The site builder's plugin (``builders/site/plugin.py``) knows only the builder contract. Previewing
without ``coursegen build`` also needs the source readers (to load the corpus) and the build
machinery (to make the other builders' downloads): this subclass supplies both, so that the builder
never imports them. ``pyproject.toml`` registers it under ``mkdocs.plugins``.
"""

from __future__ import annotations

from pathlib import Path

from ..builders.contract import Download
from ..builders.site.plugin import CoursegenPlugin
from ..model import Corpus
from ..source.loader import load_corpus
from .orchestrate import build_downloads


class PreviewPlugin(CoursegenPlugin):
    def load_corpus(self, root: Path) -> Corpus:
        return load_corpus(root)

    def build_downloads(self, corpus: Corpus, cache: Path) -> list[Download]:
        return build_downloads(corpus, cache)
