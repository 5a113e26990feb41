"""How Moodle reads the embedded answers of a cloze question text and grades a typed answer against them.

``cloze_answers`` follows ``qtype_multianswer_extract_question`` (Moodle 4.x) for the short-answer kinds:
the same regular expressions (an answer ends at a ``~``, ``#`` or ``}`` not preceded by ``\\``, ``&`` or
``&amp;``), then, as Moodle does, HTML character references decoded (PHP ``html_entity_decode`` with
ENT_QUOTES: HTML 4.01 names and numeric references, ``;`` required), then ``\\}`` → ``}`` and ``\\#`` → ``#``
and nothing else. ``shortanswer_accepts`` follows ``qtype_shortanswer_question::compare_string_with_wildcard``
(``*`` a wildcard, ``\\*`` a literal asterisk). The export tests read our Moodle XML with these; the GIFT
tests grade with ``shortanswer_accepts`` too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.entities import name2codepoint

_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
# PCRE's (?<!\\|&|&amp;) written as three look-behinds: Python needs each one of fixed width.
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = ("(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
          "(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
          "(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
          "(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)")
ANSWER_REGEX = re.compile(r"\{([0-9]*):(" + _TYPES + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S)
_ALTERNATIVE_REGEX = re.compile("~?" + _ALTERNATIVE, re.S)
_SHORTANSWER, _SHORTANSWER_C, _ALTERNATIVES = 7, 8, 16
_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass
class EmbeddedAnswer:
    stored: str  # what Moodle stores as the answer (a short-answer pattern)
    fraction: float  # 1.0 for "=", a "%n%" weight / 100, else 0


@dataclass
class EmbeddedQuestion:
    kind: str  # shortanswer, or the Moodle type name for the others
    case_sensitive: bool
    weight: int
    answers: list[EmbeddedAnswer]


def entity_decode(text: str) -> str:
    """PHP ``html_entity_decode($text, ENT_QUOTES, 'UTF-8')``: numeric and HTML 4.01 named references."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith(("#x", "#X")):
            code = int(name[2:], 16)
        elif name.startswith("#"):
            code = int(name[1:])
        elif name in name2codepoint:
            code = name2codepoint[name]
        else:
            return match.group(0)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    return _REFERENCE.sub(one, text)


def cloze_answers(text: str) -> tuple[str, list[EmbeddedQuestion]]:
    """The question text with each embedded question replaced by ``{#n}``, and those questions."""
    questions: list[EmbeddedQuestion] = []
    while match := ANSWER_REGEX.search(text):
        kind = "shortanswer" if match.group(_SHORTANSWER) or match.group(_SHORTANSWER_C) else match.group(2)
        answers = []
        remaining = match.group(_ALTERNATIVES)
        while alternative := _ALTERNATIVE_REGEX.search(remaining):
            if alternative.group(1) == "=":
                fraction = 1.0
            elif alternative.group(2):
                fraction = 0.01 * float(alternative.group(2).replace(",", "."))
            else:
                fraction = 0.0
            answer = entity_decode(alternative.group(3)).replace("\\}", "}").replace("\\#", "#")
            answers.append(EmbeddedAnswer(answer, fraction))
            remaining = remaining.split(alternative.group(0), 1)[1]
        questions.append(EmbeddedQuestion(kind, bool(match.group(_SHORTANSWER_C)), int(match.group(1) or 1), answers))
        text = text.replace(match.group(0), f"{{#{len(questions)}}}", 1)
    return text, questions


def shortanswer_accepts(stored: str, typed: str, *, case_sensitive: bool = False) -> bool:
    """Whether Moodle's short-answer matcher accepts ``typed`` for the stored answer ``stored``."""
    pattern, typed = unicodedata.normalize("NFC", stored), unicodedata.normalize("NFC", typed)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regexp = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regexp, typed.strip(" \t\n\r\0\x0b"), flags) is not None


def accepted_literal(stored: str) -> str | None:
    """The one text a stored answer accepts (up to case), or None if it holds a wildcard."""
    if re.search(r"(?<!\\)\*", stored):
        return None
    return stored.replace("\\*", "*")
