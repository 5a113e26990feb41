"""Courses for export tests: the mini bank, and the same bank rewritten with every awkward character."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest

from generator.model import Course, QuestionType
from generator.source.loader import load_corpus

AWKWARD = 'Dấu ~ = # { } : \\ / " < > & ->'


def from_html(text: str) -> str:
    """What a reader sees of an exported HTML snippet: <p>/<br> as line structure, entities decoded."""
    text = re.sub(r"</?p>", "", text).replace("<br>", "\n")
    return html.unescape(text)


@pytest.fixture
def mini_course(mini_project: Path) -> Course:
    return load_corpus(mini_project).courses[0]


@pytest.fixture
def awkward_course(mini_course: Course) -> Course:
    """Every type, with GIFT/XML/HTML control characters everywhere and a cloze with two blanks."""
    replaced = []
    for q in mini_course.questions:
        if q.id == "mini-c001":
            q = dataclasses.replace(q, prompt=f"Chọn {AWKWARD}\ndòng hai", explanation=f"Vì {AWKWARD}",
                                    options=(f"Đúng {AWKWARD}", "Sai: {{không}}", "C# và ~x"), correct=(0,))
        elif q.id == "mini-c002":
            q = dataclasses.replace(q, options=("a = b", "c ~ d", "e # f", "g { h }", "i : j"), correct=(0, 2, 3, 4))
        elif q.id == "mini-c003":
            q = dataclasses.replace(q, answer_true=True, prompt=f"Đúng {AWKWARD}")
        elif q.id == "mini-c004":
            q = dataclasses.replace(
                q, prompt="Nhập {{VNeID|định danh điện tử}} rồi mã {{OTP: 6 số|mã #1 ~ x/y \"z\"}} {ở đây}.")
        elif q.id == "mini-c005":
            q = dataclasses.replace(q, steps=("Mở -> trang", "Bấm {Đăng nhập}", "Nhập mã: 123"))
        replaced.append(q)
    assert {q.type for q in replaced} == set(QuestionType)
    return dataclasses.replace(mini_course, questions=tuple(replaced))


# Accepted answers with every character Moodle's formats treat specially (issue #23), all of which GIFT and
# Moodle XML can carry exactly.
ANSWERS = ("90%", "A&B", "x<y>z", "https://dichvucong.gov.vn", "C:\\Tệp\\", "a}b{c", "\\}", "C# và ~x",
           '"Định danh"', "a=b", "%50% giảm", "*123#", "a\\*b", "&amp;", "&#126;", "AT&", "\\#", "Đăng ký/nhập")


@pytest.fixture
def cloze_answers_course(mini_course: Course) -> Course:
    """Every type, its accepted answers (options, steps, blanks) made of ``ANSWERS``; one cloze per form."""
    replaced = []
    for q in mini_course.questions:
        if q.id == "mini-c001":
            q = dataclasses.replace(q, options=ANSWERS[:4], correct=(3,))
        elif q.id == "mini-c002":
            q = dataclasses.replace(q, options=ANSWERS[4:10], correct=(0, 2, 5))
        elif q.id == "mini-c003":
            q = dataclasses.replace(q, prompt=" ".join(ANSWERS), answer_true=False)
        elif q.id == "mini-c004":
            q = dataclasses.replace(q, prompt="Gõ {{" + "|".join(ANSWERS) + "}} vào ô.")
        elif q.id == "mini-c005":
            q = dataclasses.replace(q, steps=ANSWERS[10:])
        replaced.append(q)
    two = dataclasses.replace(mini_course.questions[3], id="mini-c099",
                              prompt="Mã {{%50%|*123#}} rồi {{AT&|\\}|https://dichvucong.gov.vn}}.")
    assert {q.type for q in replaced} == set(QuestionType)
    return dataclasses.replace(mini_course, questions=(*replaced, two))
