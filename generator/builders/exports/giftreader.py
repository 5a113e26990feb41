"""A reader for GIFT files that follows Moodle's own importer (qformat_gift of Moodle 4.x) step by step.

It splits the file at blank lines, takes ``// …`` lines out (keeping them, as Moodle does, to read
``[id:…]`` and ``[tag:…]`` from them), swaps escapes for Moodle's own ``&&0…`` placeholders, reads
``$CATEGORY:``, ``::title::``, ``[format]``, the answer block between the first ``{`` and the first ``}``
(the missing-word form keeps the text after it), general feedback (``####``), answer feedback (``#``),
weights (``%50%``, with Moodle's pattern) and the question kind Moodle derives from the answer block, in
Moodle's order: essay, numerical (``#``), multiple choice (any ``~``), matching (``=`` and ``->``),
true/false, short answer. No PyPI GIFT parser is available, and reading our own exports back the way
Moodle does is what shows they say what the bank says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# qformat_gift::escapedchar_pre / escapedchar_post, in Moodle's order.
_ESCAPED = ("\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n")
_PLACEHOLDERS = ("&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010")
_CHARACTERS = (":", "#", "=", "{", "}", "~", "\n")
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = ("moodle", "html", "plain", "markdown")
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
# qformat_gift::extract_idnumber_and_tags_from_comment ([:cntrl:] is ASCII 0-31 and 127 there).
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")
_PHP_TRIM = " \t\n\r\0\x0b"


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
    idnumber: str = ""  # from "// [id:…]" just before the question
    tags: list[str] = field(default_factory=list)  # from "// [tag:…]"
    line: int = 0


def _trim(text: str) -> str:
    return text.strip(_PHP_TRIM)


def _pre(text: str) -> str:
    """qformat_gift::escapedchar_pre: escaped characters become placeholders before parsing."""
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_ESCAPED, _PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    """qformat_gift::escapedchar_post: placeholders back to their characters."""
    for placeholder, char in zip(_PLACEHOLDERS, _CHARACTERS, strict=True):
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """qformat_gift::parse_text_with_format: (text, format), a leading "[html]" etc. taken off."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end >= 0 else ""
        if name in _FORMATS:
            fmt, text = name, text[end + 1:]
    return _trim(_post(text)), fmt


def id_and_tags(comments: str) -> tuple[str, list[str]]:
    """The ID number (the first ``[id:…]``) and the tags Moodle takes from a question's comment lines."""
    match = _ID.search(comments)
    idnumber = _trim(match.group(1)).replace("\\]", "]") if match else ""
    return idnumber, [_trim(raw).replace("\\]", "]") for raw in _TAG.findall(comments)]


def _chunks(source: str) -> list[tuple[int, list[str], str]]:
    """(first line, lines, comment lines) of each blank-line-separated chunk, as Moodle splits a file."""
    chunks: list[tuple[int, list[str], str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if not _trim(line):
            if current:
                chunks.append((start, current, ""))
                current = []
            continue
        if not current:
            start = number
        current.append(_trim(line))
    if current:
        chunks.append((start, current, ""))
    result = []
    for start, lines, _ in chunks:
        comments = "".join(line + "\n" for line in lines if line.startswith("//"))
        kept = [" " if line.startswith("//") else line for line in lines]
        result.append((start, kept, comments))
    return result


def _weight(answer: str) -> tuple[float | None, str]:
    """qformat_gift::answerweightparser, when the answer starts with a weight: (percent, rest)."""
    if not _WEIGHT.match(answer):
        return None, answer
    rest = answer[1:]
    end = rest.find("%")
    return float(rest[:end]), rest[end + 1:]


def _comment(answer: str, fmt: str) -> tuple[str, str]:
    """qformat_gift::commentparser: (answer, feedback), split at the first "#"."""
    body, _, feedback = answer.partition("#")
    return _with_format(_trim(body), fmt)[0], _with_format(_trim(feedback), fmt)[0]


def _items(answer_text: str, separator: str) -> list[str]:
    items = answer_text.split(separator)
    if items and not _trim(items[0]):
        items = items[1:]
    return items


def _parse_block(question: GiftQuestion, answer_text: str) -> None:
    fmt = question.text_format
    if not answer_text:
        question.kind = "essay"
    elif answer_text.startswith("#"):
        question.kind = "numerical"
        for item in _items(answer_text[1:].split("~")[0], "="):
            weight, rest = _weight(_trim(item))
            body, feedback = _comment(rest, fmt)
            question.answers.append(GiftAnswer(body, 100.0 if weight is None else weight, feedback))
    elif "~" in answer_text:
        question.kind = "multichoice"
        question.single = "=" in answer_text
        items = _items(answer_text.replace("=", "~="), "~")
        if len(items) < 2:
            raise GiftError("câu nhiều lựa chọn cần ít nhất hai phương án")
        for item in items:
            item = _trim(item)
            if item.startswith("="):
                weight, rest = 100.0, item[1:]
            else:
                weight, rest = _weight(item)
            body, feedback = _comment(rest, fmt)
            question.answers.append(GiftAnswer(body, 0.0 if weight is None else weight, feedback))
    elif "=" in answer_text and "->" in answer_text:
        question.kind = "matching"
        items = _items(answer_text, "=")
        if len(items) < 2:
            raise GiftError("câu ghép đôi cần ít nhất hai cặp")
        for item in items:
            item = _trim(item)
            if "->" not in item:
                raise GiftError(f"cặp ghép đôi không có “->”: “{_post(item)}”")
            left, _, right = item.partition("->")
            question.pairs.append((_with_format(left, fmt)[0], _trim(_post(right))))
    else:
        check = answer_text
        if answer_text.find("#") > 0:
            check = _trim(answer_text[:answer_text.find("#")])
        if check in _TRUE_FALSE:
            question.kind = "truefalse"
            bits = answer_text.split("#", 2)
            verdict = _with_format(_trim(bits[0]), fmt)[0]
            question.truth = verdict in ("T", "TRUE")
            wrong = _with_format(_trim(bits[1]), fmt)[0] if len(bits) > 1 else ""
            right = _with_format(_trim(bits[2]), fmt)[0] if len(bits) > 2 else ""
            question.answers = [GiftAnswer("true", 100.0 if question.truth else 0.0,
                                           right if question.truth else wrong),
                                GiftAnswer("false", 0.0 if question.truth else 100.0,
                                           wrong if question.truth else right)]
        else:
            question.kind = "shortanswer"
            items = _items(answer_text, "=")
            if not items:
                raise GiftError("câu trả lời ngắn cần ít nhất một đáp án")
            for item in items:
                weight, rest = _weight(_trim(item))
                body, feedback = _comment(rest, fmt)
                question.answers.append(GiftAnswer(body, 100.0 if weight is None else weight, feedback))


def parse_gift(source: str) -> list[GiftQuestion]:
    """Every question of a GIFT text, in order, each with the category in force where it appears."""
    questions: list[GiftQuestion] = []
    category = ""
    for line, lines, comments in _chunks(source):
        text = _trim("\n".join(lines))
        if not text:
            continue
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = _trim(text[10:])
            continue
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                raise GiftError(f"dòng {line}: tiêu đề ::…:: không được đóng")
            title = _trim(_post(text[2:end]))
            text = _trim(text[end + 2:])
        start, finish = text.find("{"), text.find("}")
        if start < 0 and finish < 0:
            body, fmt = _with_format(text)
            idnumber, tags = id_and_tags(comments)
            questions.append(GiftQuestion("description", title, body, fmt, category, idnumber=idnumber,
                                          tags=tags, line=line))
            continue
        if start < 0 or finish < 0 or finish < start:
            raise GiftError(f"dòng {line}: khối đáp án {{…}} không được đóng")
        answer_text = _trim(text[start + 1:finish])
        if "{" in answer_text:
            raise GiftError(f"dòng {line}: dấu {{ chưa thoát trong khối đáp án")
        # As Moodle does: a missing-word question keeps its text on both sides of the blank.
        if text.endswith("}"):
            question_text = text[:start] + text[finish + 1:]
        else:
            question_text = text[:start] + "_____" + text[finish + 1:]
        general = ""
        separator = answer_text.rfind("####")
        if separator >= 0:
            general = answer_text[separator + 4:]
            answer_text = _trim(answer_text[:separator])
        body, fmt = _with_format(question_text)
        idnumber, tags = id_and_tags(comments)
        question = GiftQuestion("", title, body, fmt, category, _with_format(general, fmt)[0],
                                idnumber=idnumber, tags=tags, line=line)
        try:
            _parse_block(question, answer_text)
        except GiftError as exc:
            raise GiftError(f"dòng {line}: {exc}") from None
        questions.append(question)
    return questions
