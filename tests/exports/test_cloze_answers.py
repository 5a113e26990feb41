"""Any accepted answer `coursegen check` lets through reaches Moodle exactly, in GIFT and in Moodle XML: read
back the way Moodle reads each file, the stored answer accepts what was written and nothing longer."""

from __future__ import annotations

import dataclasses
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.builders.exports.clozereader import accepted_literal, cloze_answers, shortanswer_accepts
from generator.builders.exports.gift import course_gift
from generator.builders.exports.giftreader import parse_gift
from generator.builders.exports.moodlexml import course_moodle_xml
from generator.model import Course, QuestionType
from generator.render.shortanswer import answer_problems
from tests.exports.test_moodle_xml import questions

SPECIAL = list("%&<>/\\}#~\"=*{:[]-") + ["->", "&amp;", "&#126;", "\\}", "\\#", "\\*", "%50%", "[html]", "&&058;"]
TEXT = st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
                         min_size=1, max_size=12),
                 st.lists(st.sampled_from(SPECIAL + ["Đăng ký", "ệ", "a", " "]), min_size=1, max_size=6).map("".join))
# What the loader hands on as one accepted answer: NFC, stripped, without the {{ | }} syntax of blanks.
ANSWER = (TEXT.map(lambda s: unicodedata.normalize("NFC", s).strip())
          .filter(lambda s: s and not any(bad in s for bad in ("{{", "}}", "|", "{", "}")) and s == s.strip()))


def one_blank(course: Course, answers: list[str]) -> Course:
    cloze = next(q for q in course.questions if q.type is QuestionType.CLOZE)
    question = dataclasses.replace(cloze, prompt="Gõ {{" + "|".join(answers) + "}} vào ô.")
    return dataclasses.replace(course, questions=(question,))


def assert_exact(stored: list[str], answers: list[str]) -> None:
    assert [accepted_literal(s) for s in stored] == answers
    for pattern, answer in zip(stored, answers, strict=True):
        assert shortanswer_accepts(pattern, answer) and not shortanswer_accepts(pattern, answer + "x")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(ANSWER, min_size=1, max_size=4, unique=True))
def test_moodle_xml_carries_any_answer_on_one_line(mini_course: Course, answers: list[str]):
    course = one_blank(mini_course, answers)
    assert all(not answer_problems(a, gift=False) for a in course.questions[0].blanks[0].answers)
    xml, _ = course_moodle_xml(course)
    ((_, element),) = questions(xml)
    _, (blank,) = cloze_answers(element.findtext("questiontext/text"))
    assert_exact([a.stored for a in blank.answers], list(course.questions[0].blanks[0].answers))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(ANSWER, min_size=1, max_size=4, unique=True))
def test_gift_carries_every_answer_check_accepts(mini_course: Course, answers: list[str]):
    course = one_blank(mini_course, answers)
    accepted = list(course.questions[0].blanks[0].answers)
    text, lost, written = course_gift(course)
    if any(answer_problems(a, gift=True) for a in accepted):
        assert written == 0 and lost  # check refuses it; the exporter says so rather than write it wrong
        return
    (gift,) = parse_gift(text)
    assert gift.kind == "shortanswer" and all(a.fraction == 100 for a in gift.answers)
    assert_exact([a.text for a in gift.answers], accepted)
