"""``mkdocs serve`` previews: the plugin's download cache is incremental too."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.orchestrate import build_downloads
from generator.builders.decks import DeckBuilder
from generator.builders.exports import ExportBuilder
from generator.builders.leaflets import LeafletBuilder
from generator.source.loader import load_corpus
from tests.build.conftest import edit


def test_preview_rebuilds_only_the_edited_course(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "preview"
    made = build_downloads(load_corpus(project), cache)
    assert len(made) == 3 * 10 and all((cache / d.path).is_file() for d in made)

    calls: list[tuple[str, str]] = []
    for cls in (DeckBuilder, ExportBuilder, LeafletBuilder):
        original = cls.run_course

        def counted(self, ctx, course, original=original):
            calls.append((self.name, course.id))
            return original(self, ctx, course)

        monkeypatch.setattr(cls, "run_course", counted)
    edit(project / "quizzes/m2-dvc.yml", "Không ai cả", "Không một ai")
    again = build_downloads(load_corpus(project), cache)
    assert sorted(calls) == [("decks", "m2-dvc"), ("exports", "m2-dvc")]  # in this process, one after the other
    assert again == made
    assert all((cache / d.path).is_file() for d in again)
