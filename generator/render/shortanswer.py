"""Accepted cloze answers as Moodle stores and grades them (short-answer questions, GIFT and Moodle XML).

Moodle compares a typed answer with a stored one by its short-answer matcher: ``*`` is a wildcard and
``\\*`` a literal asterisk; everything else is literal, case-insensitive for our blanks, trimmed. So every
stored answer is the accepted answer with ``*`` written ``\\*``; each format then wraps that in its own
escapes (``gift.answer_field``, ``moodlexml.cloze_answer``).

What cannot be carried is refused by ``coursegen check`` (``answer_problems``), naming the question: a line
break (a short-answer box holds one line), and in GIFT an answer holding ``->`` (Moodle then reads the whole
block as a matching question), starting with a text-format marker (``[html]``…, which Moodle strips) or
holding one of the ``&&0…`` placeholders Moodle's GIFT reader substitutes for escaped characters.
"""

from __future__ import annotations

import re

# What Moodle's GIFT reader puts in place of escaped characters while it parses, then turns back.
GIFT_PLACEHOLDERS = ("&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010", "&&092;")
GIFT_FORMAT_PREFIX = re.compile(r"^\[(moodle|html|plain|markdown)\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def stored_answer(answer: str) -> str:
    """The answer as Moodle must store it so that its matcher accepts exactly ``answer``."""
    return answer.replace("*", "\\*")


def gift_text_problem(text: str) -> str | None:
    """Why a plain (not HTML) GIFT field cannot hold ``text``, or None."""
    for placeholder in GIFT_PLACEHOLDERS:
        if placeholder in text:
            return f"chứa “{placeholder}”, chuỗi mà trình đọc GIFT của Moodle dùng riêng"
    return None


def shown(answer: str) -> str:
    """An answer for a one-line message: line breaks and control characters written as \\n, \\x…"""
    return _CONTROL.sub(lambda m: "\\n" if m.group(0) == "\n" else f"\\x{ord(m.group(0)):02x}", answer)


def answer_problems(answer: str, *, gift: bool) -> list[str]:
    """Why an accepted answer of a blank cannot be written as Moodle grades it (``gift``: also in GIFT)."""
    problems = []
    if _CONTROL.search(answer):
        problems.append("có xuống dòng hoặc ký tự điều khiển: người học chỉ gõ được một dòng")
    if gift:
        if "->" in answer:
            problems.append("chứa “->”: trong tệp GIFT, Moodle đọc câu này thành câu ghép đôi")
        if match := GIFT_FORMAT_PREFIX.match(answer):
            problems.append(f"bắt đầu bằng “{match.group(0)}”: trong tệp GIFT, Moodle bỏ phần này đi")
        if problem := gift_text_problem(answer):
            problems.append(problem)
    return problems
