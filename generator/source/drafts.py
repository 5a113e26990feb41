"""What the loader's parts (``loader.py``, ``questions.py``) share while reading a project."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Lesson, Question


def resolved(path: Path) -> Path | None:
    """``path`` with every link followed, or None for a link loop (Python raises RuntimeError for it)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


@dataclass
class _CourseDraft:
    """A course as read from its folder, before the question bank is attached."""

    fields: dict
    lessons: list[Lesson] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    quiz_source: str = ""
    questions_line: int = 1  # line of the bank's "questions:" key, where bank-wide findings are reported
    ok: bool = True
    # Something (a lesson file, a question, the bank) could not be read: references to it and coverage
    # warnings would only repeat that error in misleading words ("lesson does not exist"), so skip them.
    partial: bool = False
    broken_lessons: set[str] = field(default_factory=set)  # file names of lessons that failed to load
