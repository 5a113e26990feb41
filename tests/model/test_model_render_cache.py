"""The rendered-HTML check of lessons is cached by text: a reload renders only the lessons that changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.source import lessonsafety
from generator.source.loader import check_project


@pytest.fixture
def renders(monkeypatch, mini_project: Path) -> list[str]:
    shutil.rmtree(mini_project / ".coursegen-cache", ignore_errors=True)  # start cold whatever ran before
    seen: list[str] = []
    real = lessonsafety.render_problems

    def counting(body: str):
        seen.append(body)
        return real(body)

    monkeypatch.setattr(lessonsafety, "render_problems", counting)
    return seen


def test_reload_renders_only_changed_lessons(mini_project: Path, renders: list[str]) -> None:
    first, diags = check_project(mini_project)
    assert first is not None and not diags.errors
    assert len(renders) == 2
    cache = mini_project / ".coursegen-cache" / "lesson-render.json"
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 2

    again, _ = check_project(mini_project)
    assert len(renders) == 2  # nothing rendered again
    assert again == first

    lesson = mini_project / "courses/mini-dvc/lessons/02-dang-nhap.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    check_project(mini_project)
    assert len(renders) == 3 and renders[-1].endswith("Thêm một câu.\n")


def test_a_cached_problem_is_still_reported(mini_project: Path, renders: list[str], monkeypatch) -> None:
    monkeypatch.setattr(lessonsafety, "render_problems",
                        lambda body: [lessonsafety.BodyProblem(0, "vấn đề giả lập")] if "Khái niệm" in body else [])
    _, diags = check_project(mini_project)
    assert [d.message for d in diags.errors] == ["vấn đề giả lập"]
    monkeypatch.setattr(lessonsafety, "render_problems", lambda body: pytest.fail("rendered again"))
    _, diags = check_project(mini_project)
    assert [d.message for d in diags.errors] == ["vấn đề giả lập"]


def test_a_broken_or_unwritable_cache_only_costs_time(mini_project: Path) -> None:
    cache = mini_project / ".coursegen-cache"
    cache.mkdir(exist_ok=True)
    (cache / "lesson-render.json").write_text("{không phải json", encoding="utf-8")
    corpus, diags = check_project(mini_project)
    assert corpus is not None and not diags.errors
    json.loads((cache / "lesson-render.json").read_text(encoding="utf-8"))
