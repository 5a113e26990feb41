"""Self-check quiz markup: native form controls rendered at build time, checked by one shared script.

Every piece of source text is HTML-escaped here; the answer key travels as JSON inside a
``<script type="application/json">`` whose ``<`` are escaped, so no question can inject markup.
"""

from __future__ import annotations

import json
import random
from html import escape

from ...model import ClozeBlank, Course, Question, QuestionType, split_cloze

LETTERS = "ABCDEFGH"


def display_order(question: Question) -> list[int]:
    """Option order shown to learners: shuffled reproducibly per question unless the order is fixed."""
    order = list(range(len(question.options)))
    if not question.fixed_order:
        random.Random(f"options:{question.id}").shuffle(order)
    return order


def step_order(question: Question) -> list[int]:
    """A reproducible shuffle of an ordering question's steps that is never already correct."""
    order = list(range(len(question.steps)))
    rng = random.Random(f"steps:{question.id}")
    while order == sorted(order) and len(order) > 1:
        rng.shuffle(order)
    return order


def answer_key(question: Question) -> dict:
    """What the browser needs to check an answer (indices refer to the source order)."""
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return {"type": question.type.value, "correct": list(question.correct)}
    if question.type is QuestionType.TRUE_FALSE:
        return {"type": question.type.value, "correct": bool(question.answer_true)}
    if question.type is QuestionType.CLOZE:
        return {"type": question.type.value, "blanks": [list(b.answers) for b in question.blanks]}
    return {"type": question.type.value, "count": len(question.steps)}


def _choices(question: Question, input_type: str) -> str:
    name = f"cg-{question.id}"
    rows = []
    for shown, index in enumerate(display_order(question)):
        rows.append(
            f'<li><label><input type="{input_type}" name="{name}" value="{index}"> '
            f'<span class="cg-letter">{LETTERS[shown]}.</span> {escape(question.options[index])}</label></li>'
        )
    return f'<ul class="cg-options">{"".join(rows)}</ul>'


def _true_false(question: Question) -> str:
    name = f"cg-{question.id}"
    return (
        '<ul class="cg-options">'
        f'<li><label><input type="radio" name="{name}" value="true"> Đúng</label></li>'
        f'<li><label><input type="radio" name="{name}" value="false"> Sai</label></li>'
        "</ul>"
    )


def _cloze_prompt(question: Question) -> str:
    parts = []
    blank_number = 0
    for part in split_cloze(question.prompt):
        if isinstance(part, ClozeBlank):
            blank_number += 1
            width = max(6, min(30, max(len(a) for a in part.answers) + 2))
            parts.append(
                f'<input type="text" class="cg-blank" data-blank="{blank_number - 1}" size="{width}" '
                f'autocomplete="off" spellcheck="false" aria-label="Chỗ trống {blank_number}">'
            )
        else:
            parts.append(escape(part))
    return "".join(parts)


def _ordering(question: Question) -> str:
    rows = []
    for index in step_order(question):
        text = escape(question.steps[index])
        rows.append(
            f'<li class="cg-step" data-step="{index}"><span class="cg-step-text">{text}</span>'
            f'<span class="cg-step-moves">'
            f'<button type="button" class="cg-up" aria-label="Đưa bước “{text}” lên trên">▲</button>'
            f'<button type="button" class="cg-down" aria-label="Đưa bước “{text}” xuống dưới">▼</button>'
            f"</span></li>"
        )
    return f'<ol class="cg-order">{"".join(rows)}</ol>'


def question_html(course: Course, question: Question, number: int, image_url: str | None) -> str:
    """One question as an accessible fieldset with its feedback region."""
    qtype = question.type
    if qtype is QuestionType.CLOZE:
        prompt = f'<p class="cg-prompt">{_cloze_prompt(question)}</p>'
        body = ""
    else:
        prompt = f'<p class="cg-prompt">{escape(question.prompt)}</p>'
        if qtype is QuestionType.SINGLE:
            body = _choices(question, "radio")
        elif qtype is QuestionType.MULTIPLE:
            body = '<p class="cg-hint">Chọn tất cả các đáp án đúng.</p>' + _choices(question, "checkbox")
        elif qtype is QuestionType.TRUE_FALSE:
            body = _true_false(question)
        else:
            body = '<p class="cg-hint">Dùng nút ▲ ▼ để sắp xếp các bước theo đúng thứ tự.</p>' + _ordering(question)
    image = ""
    if image_url:
        image = f'<img class="cg-image" src="{escape(image_url)}" alt="{escape(question.image_alt)}">'
    key = json.dumps(answer_key(question), ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        f'<fieldset class="cg-question" id="cau-{escape(question.id)}" data-course="{escape(course.id)}" '
        f'data-qid="{escape(question.id)}" data-type="{qtype.value}">'
        f'<legend>Câu {number} · {escape(qtype.label)} · {escape(question.difficulty.label)}</legend>'
        f"{image}{prompt}{body}"
        f'<script type="application/json" class="cg-key">{key}</script>'
        '<div class="cg-actions">'
        '<button type="button" class="cg-check md-button md-button--primary">Kiểm tra</button> '
        '<button type="button" class="cg-reset md-button">Làm lại</button>'
        "</div>"
        '<div class="cg-feedback" role="status" aria-live="polite"></div>'
        f'<div class="cg-explain" hidden><strong>Giải thích:</strong> {escape(question.explanation)}</div>'
        "</fieldset>"
    )


def quiz_html(course: Course, questions: list[Question], image_urls: dict[str, str], *, final: bool = False) -> str:
    """A whole quiz block; ``final`` adds the score summary used by the course's final check."""
    inner = "".join(question_html(course, q, n, image_urls.get(q.id)) for n, q in enumerate(questions, start=1))
    kind = "final" if final else "lesson"
    pass_mark = course.completion.pass_mark
    return (
        f'<div class="cg-quiz" data-search-exclude data-course="{escape(course.id)}" data-kind="{kind}" data-pass="{pass_mark}" '
        f'data-total="{len(questions)}">'
        '<p class="cg-summary" role="status" aria-live="polite"></p>'
        f"{inner}"
        "</div>"
    )
