"""Anki decks: one ``.apkg`` per course under ``downloads/anki/``, for students to practise with.

A course becomes a deck named after the course with one subdeck per lesson (``Course::Bài 01. …``). Ids
and GUIDs are derived from the course and question ids, and every timestamp from the course's release
(see ``release.py``), so re-importing a corrected deck updates the students' notes and keeps their review
history, and the same sources always give byte-identical packages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import genanki

from ...diagnostics import Diagnostic, SourceError
from ...model import Corpus, Course
from ...render.archive import zip_date
from . import notetypes as nt
from .apkg import write_apkg
from .notes import PreparedNote, check_note, prepare_note
from .release import release_timestamp

if TYPE_CHECKING:
    from ..contract import BuildContext

DECK_KIND = "deck"
DECK_LABEL = "Bộ thẻ Anki"


@dataclass(frozen=True)
class DeckSummary:
    course_id: str
    path: Path
    notes: int
    cards: int
    media: int
    timestamp: int


def deck_name(text: str) -> str:
    """A deck name component: "::" would nest decks, so it is broken up; surrounding space is dropped."""
    return " ".join(text.replace("::", ": :").split())


def deck_id(course_id: str, lesson_id: str | None = None) -> int:
    return nt.stable_id("deck", course_id, *([lesson_id] if lesson_id else []))


def prepare_course(course: Course) -> tuple[list[PreparedNote], list[Diagnostic]]:
    """All notes of a course and everything wrong with them (empty list when the deck can be built)."""
    notes = [prepare_note(course, question) for question in course.questions]
    problems = [problem for note in notes for problem in check_note(note)]
    return notes, problems


def write_course_deck(course: Course, notes: list[PreparedNote], path: Path) -> DeckSummary:
    """Write the checked ``notes`` of ``course`` as one package at ``path``."""
    models = nt.note_types(course.id)
    timestamp = release_timestamp(course.release_date, course.version)
    title = deck_name(course.title)
    parent = genanki.Deck(deck_id(course.id), title, description=_description(course))
    decks = [parent]
    for lesson in course.lessons:
        lesson_notes = [note for note in notes if note.question.lesson_id == lesson.id]
        if not lesson_notes:
            continue
        deck = genanki.Deck(deck_id(course.id, lesson.id),
                            f"{title}::{deck_name(f'Bài {lesson.number:02d}. {lesson.title}')}",
                            description=html.escape(lesson.title))
        for note in lesson_notes:
            deck.add_note(note.to_genanki(models[note.key]))
        decks.append(deck)
    media = sorted({note.media for note in notes if note.media is not None})
    write_apkg(path, decks, media, timestamp, zip_date(course.release_date))
    return DeckSummary(course.id, path, len(notes), sum(note.card_count for note in notes), len(media), timestamp)


def _description(course: Course) -> str:
    parts = [
        html.escape(course.summary),
        f"Phiên bản {html.escape(course.version)}, phát hành ngày {course.release_date:%d/%m/%Y}.",
        f"Tác giả: {html.escape(', '.join(course.authors))}. Giấy phép: {html.escape(course.license)}.",
    ]
    return "<br>".join(parts)


class DeckBuilder:
    """The ``coursegen build`` step that writes one Anki deck per course."""

    name = "decks"
    label = "Bộ thẻ Anki"

    def run(self, ctx: BuildContext) -> None:
        self._write(ctx, ctx.corpus.courses)

    # Per course, for incremental builds: a deck is made from its course folder (titles, lesson titles,
    # images) and its question bank.
    def inputs(self, corpus: Corpus, course: Course) -> list[str]:
        return [course.source.path.rsplit("/", 1)[0] + "/", course.quiz_source or f"quizzes/{course.id}.yml"]

    def downloads(self, corpus: Corpus, course: Course) -> list[tuple[str, str, str]]:
        return [(DECK_KIND, DECK_LABEL, f"downloads/anki/{course.id}.apkg")] if course.questions else []

    def run_course(self, ctx: BuildContext, course: Course) -> None:
        self._write(ctx, (course,))

    def _write(self, ctx: BuildContext, courses: tuple[Course, ...]) -> None:
        """Check every course first, so that all problems are reported and nothing is written."""
        prepared: list[tuple[Course, list[PreparedNote]]] = []
        problems: list[Diagnostic] = []
        for course in courses:
            notes, course_problems = prepare_course(course)
            problems.extend(course_problems)
            if not notes:
                ctx.note(f"Khóa học {course.id} chưa có câu hỏi nào: không tạo bộ thẻ Anki.")
                continue
            prepared.append((course, notes))
        if problems:
            raise SourceError(problems)
        for course, notes in prepared:
            path = ctx.downloads / "anki" / f"{course.id}.apkg"
            write_course_deck(course, notes, path)
            ctx.add_download(course.id, DECK_KIND, DECK_LABEL, path)
