"""GIFT, Moodle's hand-written question format: one text file per course.

What GIFT can carry: single and multiple choice (weights), true/false, a cloze with ONE blank (the
"missing word" short-answer form), ordering as a matching question (Bước 1 → …), and the explanation as
general feedback. What it cannot carry is reported, never dropped silently: images (GIFT files hold no
files), a cloze with several blanks (one answer block per question), and a fixed option order (GIFT has
no per-question "do not shuffle"). Accepted answers GIFT cannot hold are refused by ``coursegen check``
(``shortanswer.answer_problems``).

Each question is preceded by ``// [id:…] [tag:…] …``: Moodle 4.x reads the question's ID number and tags
from the comment lines just before it (``qformat_gift::extract_idnumber_and_tags_from_comment``).
"""

from __future__ import annotations

import html
import re

from ...model import ClozeBlank, Course, Question, QuestionPool, QuestionType, split_cloze
from ...render.questions import tags_for
from ...render.shortanswer import answer_problems, stored_answer

SPECIAL = "~=#{}:"
# Moodle's test for a leading answer weight ("%50%"); an answer that starts like one gets an explicit %100%.
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
# What Moodle reads in a [id:…] / [tag:…] token: no control character, and for tags no < > or backquote.
_ID_REFUSED = re.compile(r"[\x00-\x1f\x7f]")
_TAG_REFUSED = re.compile(r"[\x00-\x1f\x7f<>`]")


IMAGE, FIXED_ORDER, MULTI_BLANK, UNREPRESENTABLE = "image", "fixed_order", "multi_blank", "unrepresentable"
LOSSES = {
    IMAGE: "GIFT không mang theo được hình: {n} câu được xuất không kèm hình (Moodle XML và QTI có hình): {ids}",
    FIXED_ORDER: "GIFT không giữ được thứ tự cố định của phương án, Moodle có thể xáo trộn {n} câu: {ids}",
    MULTI_BLANK: "GIFT chỉ cho một chỗ trống mỗi câu: {n} câu điền khuyết nhiều chỗ trống không có trong tệp GIFT "
                 "(Moodle XML và QTI có đủ): {ids}",
    UNREPRESENTABLE: "GIFT không ghi được đúng đáp án của {n} câu (coursegen check báo lỗi các câu này): {ids}",
}


def escape(text: str) -> str:
    """GIFT-escape already-safe text: backslash first, then the six control characters."""
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def html_field(text: str) -> str:
    """User text for an ``[html]`` GIFT field: HTML-escaped (no quotes, so no '#'), line breaks as <br>.

    "%" becomes ``&#37;`` because GIFT has no escape for it and reads "%50%" at the start of an answer as
    a weight.
    """
    escaped = html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>").replace("%", "&#37;")
    return escape(escaped)


def plain_field(text: str) -> str:
    """User text for a plain GIFT field (matching answers are stored as plain text by Moodle)."""
    return escape(" ".join(text.split()))


def answer_field(answer: str) -> str:
    """An accepted short answer after ``=``: stored literally by Moodle, so only GIFT's own escapes.

    An answer that starts like a weight ("%50% …") gets an explicit ``%100%`` first: Moodle reads one
    weight only, so the rest is the answer.
    """
    text = escape(stored_answer(answer))
    return f"%100%{text}" if _WEIGHT.match(text) else text


def comment_token(kind: str, value: str) -> str:
    """``[id:value]`` or ``[tag:value]`` as Moodle reads it from a comment line ("]" written "\\]")."""
    refused = _ID_REFUSED if kind == "id" else _TAG_REFUSED
    if refused.search(value) or not value.strip():
        raise ValueError(f"Moodle cannot read {kind} {value!r} from a GIFT comment")
    escaped = value.replace("]", "\\]")
    return f"[{kind}:{escaped}]"


def id_and_tags_line(course: Course, question: Question) -> str:
    """The comment line from which Moodle 4.x takes the question's ID number and tags."""
    tokens = [comment_token("id", question.id), *(comment_token("tag", tag) for tag in tags_for(course, question))]
    return "// " + " ".join(tokens)


def percent(value: float) -> str:
    """A Moodle grade fraction in percent, as Moodle writes it (33.33333, 12.5, -100)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def category_path(*names: str) -> str:
    """A Moodle category path below the course's top category; "/" inside a name is written "//"."""
    return "$course$/top/" + "/".join(" ".join(name.split()).replace("/", "//") for name in names)


FINAL_CATEGORY = "Kiểm tra cuối khóa"


def question_category(course: Course, question: Question) -> str:
    """The lesson's category; a final-pool question goes under "Kiểm tra cuối khóa", so an LMS quiz can draw
    random questions from the final pool alone (GIFT carries no tags)."""
    lesson = course.lesson(question.lesson_id)
    names = [course.title, f"Bài {lesson.number:02d}. {lesson.title}"]
    if question.pool is QuestionPool.FINAL:
        names.insert(1, FINAL_CATEGORY)
    return category_path(*names)


def _choice_lines(question: Question) -> list[str]:
    correct = set(question.correct)
    if question.type is QuestionType.SINGLE:
        return [("=" if index in correct else "~") + html_field(option) for index, option in enumerate(question.options)]
    right = percent(100 / len(correct))
    wrong_count = len(question.options) - len(correct)
    wrong = percent(-100 / wrong_count) if wrong_count else "0"
    return [
        f"~%{right if index in correct else wrong}%{html_field(option)}"
        for index, option in enumerate(question.options)
    ]


def question_block(course: Course, question: Question) -> tuple[str | None, list[str]]:
    """The GIFT text of one question (None if GIFT cannot express it) and the kinds of loss (``LOSSES`` keys)."""
    lost: list[str] = []
    if question.image is not None:
        lost.append(IMAGE)
    feedback = f"\t####{html_field(question.explanation)}"
    head = f"::{escape(question.id)}::[html]"
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if question.fixed_order:
            lost.append(FIXED_ORDER)
        lines = "\n".join(f"\t{line}" for line in _choice_lines(question))
        block = f"{head}{html_field(question.prompt)} {{\n{lines}\n{feedback}\n}}"
    elif qtype is QuestionType.TRUE_FALSE:
        verdict = "TRUE" if question.answer_true else "FALSE"
        block = f"{head}{html_field(question.prompt)} {{{verdict}\n{feedback}\n}}"
    elif qtype is QuestionType.CLOZE:
        parts = split_cloze(question.prompt)
        blanks = [part for part in parts if isinstance(part, ClozeBlank)]
        if len(blanks) != 1:
            lost.append(MULTI_BLANK)
            return None, lost
        if any(answer_problems(answer, gift=True) for answer in blanks[0].answers):
            lost.append(UNREPRESENTABLE)
            return None, lost
        out = []
        for part in parts:
            if isinstance(part, ClozeBlank):
                answers = " ".join(f"={answer_field(answer)}" for answer in part.answers)
                out.append(f"{{{answers}\n{feedback}\n}}")
            else:
                out.append(html_field(part))
        block = head + "".join(out)
    else:
        pairs = "\n".join(f"\t=Bước {number} -> {plain_field(step)}" for number, step in enumerate(question.steps, 1))
        block = f"{head}{html_field(question.prompt)} {{\n{pairs}\n{feedback}\n}}"
    comment = f"// {question.id} · {question.type.label} · {question.source}"
    return f"{comment}\n{id_and_tags_line(course, question)}\n{block}", lost


def course_gift(course: Course) -> tuple[str, list[str], int]:
    """The GIFT file of a course, what it had to leave out, and how many questions it holds."""
    # One line each: a line break in a title would end the comment and start a question Moodle imports.
    title, version = " ".join(course.title.split()), " ".join(course.version.split())
    chunks = [
        f"// coursegen: ngân hàng câu hỏi của khóa “{title}” ({course.id}),",
        f"// phiên bản {version}, phát hành {course.release_date.isoformat()}. Nhập vào Moodle: Ngân hàng câu hỏi → Nhập → GIFT.",
        "",
    ]
    lost: dict[str, list[str]] = {}
    written = 0
    category = None
    for question in course.questions:
        block, problems = question_block(course, question)
        for problem in problems:
            lost.setdefault(problem, []).append(question.id)
        if block is None:
            continue
        wanted = question_category(course, question)
        if wanted != category:
            chunks += [f"$CATEGORY: {wanted}", ""]
            category = wanted
        chunks += [block, ""]
        written += 1
    messages = [LOSSES[kind].format(n=len(ids), ids=", ".join(ids)) for kind, ids in lost.items()]
    return "\n".join(chunks), messages, written
