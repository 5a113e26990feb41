"""Is a course ready to adopt? Sources, curriculum place, a final pool, and question banks without answer cues.

These are warnings (errors under ``--strict``): a course can be previewed without them, but a province does
not publish it. The cue figures are pure functions of a bank, shared with ``scripts/cue_report.py``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..diagnostics import Diagnostics
from ..model import Audience, Lesson, Objective, Question, QuestionPool, QuestionType, SourceRef

LONGEST_KEY_MAX = 0.35  # single choice: share whose key is strictly the longest option
ALL_BUT_ONE_MAX = 0.50  # multiple answers: share where every option but one is correct
TRUE_SHARE = (0.35, 0.65)  # true/false: share whose answer is "true"
# Below this many questions of a type one question decides the share (a single true/false question is 0% or
# 100% true): the share says nothing about how the bank was written, so it is reported but not judged.
CUE_MIN_QUESTIONS = 5
FINAL_POOL_MIN = 30
SHOWN_IDS = 5


@dataclass(frozen=True)
class Share:
    """How many questions of a type show a cue, and which."""

    hits: tuple[str, ...]
    total: int

    @property
    def value(self) -> float:
        return len(self.hits) / self.total if self.total else 0.0

    def percent(self) -> str:
        return percent(self.value)


def percent(value: float) -> str:
    """"33,3%": the Vietnamese decimal comma."""
    return f"{value * 100:.1f}".replace(".", ",").removesuffix(",0") + "%"


def _length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def longest_key(questions: Iterable[Question]) -> Share:
    """Single-choice questions whose keyed option is strictly longer than every other option."""
    single = [q for q in questions if q.type is QuestionType.SINGLE and q.correct]
    hits = []
    for q in single:
        key = q.correct[0]
        others = [_length(o) for i, o in enumerate(q.options) if i != key]
        if others and _length(q.options[key]) > max(others):
            hits.append(q.id)
    return Share(tuple(hits), len(single))


def all_but_one(questions: Iterable[Question]) -> Share:
    """Multiple-answer questions where exactly (number of options − 1) options are correct."""
    multiple = [q for q in questions if q.type is QuestionType.MULTIPLE]
    hits = [q.id for q in multiple if len(q.correct) == len(q.options) - 1]
    return Share(tuple(hits), len(multiple))


def true_answers(questions: Iterable[Question]) -> Share:
    """True/false questions whose answer is "true"."""
    tf = [q for q in questions if q.type is QuestionType.TRUE_FALSE]
    return Share(tuple(q.id for q in tf if q.answer_true), len(tf))


def id_list(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    rest = len(ids) - SHOWN_IDS
    return f"{shown} và {rest} câu khác" if rest > 0 else shown


def cue_messages(questions: Sequence[Question]) -> list[str]:
    """The cue findings of one bank, in words (empty when the bank passes all three rules)."""
    messages = []
    share = longest_key(questions)
    if share.total >= CUE_MIN_QUESTIONS and share.value > LONGEST_KEY_MAX:
        messages.append(
            f"dấu hiệu đoán đáp án: {len(share.hits)}/{share.total} câu chọn một đáp án ({share.percent()}) có đáp án"
            f" đúng dài nhất trong các phương án, vượt mức {percent(LONGEST_KEY_MAX)}: {id_list(share.hits)}")
    share = all_but_one(questions)
    if share.total >= CUE_MIN_QUESTIONS and share.value > ALL_BUT_ONE_MAX:
        messages.append(
            f"dấu hiệu đoán đáp án: {len(share.hits)}/{share.total} câu chọn nhiều đáp án ({share.percent()}) có mọi"
            f" phương án đều đúng trừ một, vượt mức {percent(ALL_BUT_ONE_MAX)}: {id_list(share.hits)}")
    share = true_answers(questions)
    low, high = TRUE_SHARE
    if share.total >= CUE_MIN_QUESTIONS and not low <= share.value <= high:
        tf = [q.id for q in questions if q.type is QuestionType.TRUE_FALSE]
        majority, word = (share.hits, "Đúng") if share.value > high else (
            tuple(i for i in tf if i not in share.hits), "Sai")
        messages.append(
            f"dấu hiệu đoán đáp án: {len(share.hits)}/{share.total} câu đúng/sai ({share.percent()}) có đáp án Đúng,"
            f" ngoài khoảng {percent(low)}–{percent(high)}; các câu có đáp án {word}: {id_list(majority)}")
    return messages


class DraftLike(Protocol):
    fields: dict
    lessons: list[Lesson]
    questions: list[Question]
    quiz_source: str
    questions_line: int


def check_readiness(drafts: Iterable[DraftLike], diags: Diagnostics, line_for: Callable[[SourceRef, str], int]) -> None:
    """Readiness warnings of every course (run only when the project has no error)."""
    for draft in drafts:
        audience = draft.fields.get("audience")
        for lesson in draft.lessons:
            where = lesson.source
            if not lesson.sources:
                diags.warning(where.path, line_for(where, "sources"), "sources",
                              "bài học chưa có căn cứ: cần ít nhất một văn bản (số hiệu, ngày ban hành) hoặc tài liệu"
                              " hướng dẫn chính thức (cơ quan ban hành)")
            if audience is Audience.STUDENTS and lesson.curriculum is None:
                diags.warning(where.path, line_for(where, "curriculum"), "curriculum",
                              "khóa học dành cho học sinh: bài học cần ghi vị trí trong chương trình môn Tin học 2018"
                              " (curriculum: grade, strand, periods)")
        if not draft.quiz_source:
            continue
        for message in cue_messages(draft.questions):
            diags.warning(draft.quiz_source, draft.questions_line, "questions", message)
        check_final_pool(draft.fields.get("objectives") or (), draft.questions, draft.quiz_source,
                         draft.questions_line, diags)


def check_final_pool(objectives: Sequence[Objective], questions: Sequence[Question], bank: str, line: int,
                     diags: Diagnostics) -> None:
    """A final test that is not the practice questions again: at least 30 final-pool questions, every objective.

    Judged for a course that has a final pool, or enough questions (30) to have one; a smaller course without
    a pool keeps the final test of all its questions.
    """
    pool = [q for q in questions if q.pool is QuestionPool.FINAL]
    if not pool and len(questions) < FINAL_POOL_MIN:
        return
    if not pool:
        diags.warning(bank, line, "questions",
                      f"chưa có câu hỏi nào cho bài kiểm tra cuối khóa (pool: final): bài kiểm tra cuối khóa đang dùng"
                      f" lại các câu luyện tập của bài học; cần ít nhất {FINAL_POOL_MIN} câu pool: final")
        return
    if len(pool) < FINAL_POOL_MIN:
        diags.warning(bank, line, "questions",
                      f"nhóm câu kiểm tra cuối khóa (pool: final) có {len(pool)} câu, cần ít nhất {FINAL_POOL_MIN}")
    tested = {oid for q in pool for oid in q.objectives}
    for objective in objectives:
        if objective.id not in tested:
            diags.warning(objective.source.path, objective.source.line, "objectives",
                          f'mục tiêu "{objective.id}" chưa có câu hỏi nào trong nhóm kiểm tra cuối khóa (pool: final)')
