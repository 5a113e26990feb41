"""A reader for GIFT files, following Moodle's own importer (qformat_gift) closely enough to check exports.

It understands comments, ``$CATEGORY:``, ``::title::``, ``[format]``, escapes (``\\~ \\= \\# \\{ \\} \\:
\\\\ \\n``), the missing-word form (text after the answer block), general feedback (``####``), answer
feedback (``#``), weights (``%50%``), and the question kinds Moodle derives from the answer block: essay,
true/false, multiple choice, short answer, matching and numerical. No PyPI GIFT parser is available, and
reading our own exports back with an independent parser is what shows they say what the bank says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPABLE = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005",
              ":": "\ue006", "n": "\ue007"}
_RESTORE = {placeholder: ("\n" if char == "n" else char) for char, placeholder in _ESCAPABLE.items()}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)(#|$)")


class GiftError(ValueError):
    """The text is not valid GIFT; the message says where."""


@dataclass
class GiftAnswer:
    text: str
    fraction: float  # percent: 100 correct, 0 wrong, or a weight
    feedback: str = ""


@dataclass
class GiftQuestion:
    kind: str  # essay, truefalse, multichoice, shortanswer, matching, numerical, description
    title: str
    text: str  # the question text; for the missing-word form, "_____" marks the answer block
    text_format: str  # html, moodle, plain, markdown
    category: str = ""
    general_feedback: str = ""
    answers: list[GiftAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (subquestion, answer)
    truth: bool | None = None  # true/false
    single: bool = True  # multiple choice: one correct answer (radio buttons) or several (checkboxes)
    line: int = 0


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPABLE.get(m.group(1), m.group(0)), text)


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _clean(text: str) -> str:
    return _restore(text.strip())


def _chunks(source: str) -> list[tuple[int, str]]:
    """Question texts (comment lines dropped) with the line each starts on, split at blank lines."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                chunks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks


def _split_feedback(text: str) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return body, feedback


def _answer_items(text: str) -> list[tuple[str, str]]:
    """("=" or "~", rest) for each answer of a block, splitting at unescaped markers."""
    items = []
    for piece in re.split(r"(?=[=~])", text):
        piece = piece.strip()
        if piece:
            if piece[0] not in "=~":
                raise GiftError(f"phương án không bắt đầu bằng = hoặc ~: “{_restore(piece)}”")
            items.append((piece[0], piece[1:]))
    return items


def _parse_block(question: GiftQuestion, block: str) -> None:
    answer_text, _, general = block.partition("####")
    question.general_feedback = _clean(general)
    answer_text = answer_text.strip()
    if not answer_text:
        question.kind = "essay"
        return
    if answer_text.startswith("#"):
        question.kind = "numerical"
        for item in answer_text[1:].split("="):
            if item.strip():
                value, feedback = _split_feedback(item)
                question.answers.append(GiftAnswer(_clean(value), 100.0, _clean(feedback)))
        return
    match = _TRUE_FALSE.match(answer_text)
    if match and "~" not in answer_text and "=" not in answer_text:
        question.kind = "truefalse"
        question.truth = match.group(1).startswith("T")
        feedback = answer_text[len(match.group(1)):]
        parts = feedback.split("#")
        question.answers = [GiftAnswer("true", 100.0 if question.truth else 0.0),
                            GiftAnswer("false", 0.0 if question.truth else 100.0)]
        if len(parts) > 1:
            question.answers[1 if question.truth else 0].feedback = _clean(parts[1])
        if len(parts) > 2:
            question.answers[0 if question.truth else 1].feedback = _clean(parts[2])
        return
    items = _answer_items(answer_text)
    if items and all(marker == "=" and "->" in rest for marker, rest in items):
        question.kind = "matching"
        for _, rest in items:
            left, _, right = rest.partition("->")
            question.pairs.append((_clean(left), _clean(right)))
        return
    kind = "multichoice" if any(marker == "~" for marker, _ in items) else "shortanswer"
    question.kind = kind
    for marker, rest in items:
        weight = _WEIGHT.match(rest.strip())
        rest = rest.strip()
        if weight:
            fraction = float(weight.group(1))
            rest = rest[weight.end():]
        else:
            fraction = 100.0 if marker == "=" else 0.0
        body, feedback = _split_feedback(rest)
        question.answers.append(GiftAnswer(_clean(body), fraction, _clean(feedback)))
    if kind == "multichoice":
        question.single = sum(1 for answer in question.answers if answer.fraction > 0) == 1 and all(
            answer.fraction in (0.0, 100.0) for answer in question.answers)


def parse_gift(source: str) -> list[GiftQuestion]:
    """Every question of a GIFT text, in order, each with the category in force where it appears."""
    questions: list[GiftQuestion] = []
    category = ""
    for line, raw in _chunks(source):
        text = _protect(raw).strip()
        if text.startswith("$CATEGORY:"):
            first, _, rest = text.partition("\n")
            category = first[len("$CATEGORY:"):].strip()
            text = rest.strip()
            if not text:
                continue
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                raise GiftError(f"dòng {line}: tiêu đề ::…:: không được đóng")
            title = _clean(text[2:end])
            text = text[end + 2:].strip()
        text_format = "moodle"
        match = _FORMAT.match(text)
        if match:
            text_format = match.group(1)
            text = text[match.end():]
        start = text.find("{")
        if start < 0:
            questions.append(GiftQuestion("description", title, _clean(text), text_format, category, line=line))
            continue
        finish = text.find("}", start)
        if finish < 0:
            raise GiftError(f"dòng {line}: khối đáp án {{…}} không được đóng")
        before, block, after = text[:start], text[start + 1:finish], text[finish + 1:]
        if "{" in block:
            raise GiftError(f"dòng {line}: dấu {{ chưa thoát trong khối đáp án")
        # As Moodle does: a missing-word question keeps its text on both sides of the blank.
        question_text = f"{before}_____{after}".strip() if after.strip() else before.strip()
        question = GiftQuestion("", title, _restore(question_text), text_format, category, line=line)
        try:
            _parse_block(question, block)
        except GiftError as exc:
            raise GiftError(f"dòng {line}: {exc}") from None
        questions.append(question)
    return questions
