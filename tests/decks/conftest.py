"""Fixtures for deck tests: building a project's decks and importing them with the official Anki library."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.contract import BuildContext


def build_decks(project: Path, out: Path) -> BuildContext:
    """Run only the deck builder of the real build pipeline into ``out``."""
    return build_project(project, out, progress=Progress(quiet=True), only=["decks"])


def import_package(col: Collection, package: Path):
    """Import like a student does (default options: update notes and note types if newer); return the log."""
    request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def visible_text(rendered: str) -> str:
    """What a reader sees of a rendered card side: no scripts, styles or tags; entities decoded."""
    text = _TAG.sub(" ", _HIDDEN.sub(" ", rendered))
    return " ".join(html.unescape(text).split())


@pytest.fixture
def fresh_collection(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()
