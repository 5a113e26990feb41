"""The GIFT export, read back with an independent GIFT reader, says what the bank says."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.builders.exports import export_course
from generator.builders.exports.clozereader import accepted_literal, shortanswer_accepts
from generator.builders.exports.gift import course_gift
from generator.builders.exports.giftreader import GiftError, id_and_tags, parse_gift
from generator.model import ClozeBlank, Course, QuestionType, split_cloze
from generator.render.questions import tags_for
from generator.source.loader import load_corpus
from tests.exports.conftest import from_html


def expected_category(course: Course, lesson_id: str) -> str:
    lesson = course.lesson(lesson_id)
    names = [course.title, f"Bài {lesson.number:02d}. {lesson.title}"]
    return "$course$/top/" + "/".join(name.replace("/", "//") for name in names)


def assert_matches_bank(course: Course, text: str, lost: list[str]) -> None:
    parsed = {q.title: q for q in parse_gift(text)}
    for question in course.questions:
        if question.type is QuestionType.CLOZE and len(question.blanks) > 1:
            assert question.id not in parsed
            assert any(question.id in m and "một chỗ trống" in m for m in lost)
            continue
        gift = parsed.pop(question.id)
        assert gift.idnumber == question.id and gift.tags == tags_for(course, question)
        assert gift.text_format == "html"
        assert gift.category == expected_category(course, question.lesson_id)
        assert from_html(gift.general_feedback) == question.explanation
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            assert gift.kind == "multichoice"
            assert gift.single == (question.type is QuestionType.SINGLE)
            assert [from_html(a.text) for a in gift.answers] == list(question.options)
            assert from_html(gift.text) == question.prompt
            right = [a.fraction for i, a in enumerate(gift.answers) if i in question.correct]
            wrong = [a.fraction for i, a in enumerate(gift.answers) if i not in question.correct]
            assert all(f > 0 for f in right) and sum(right) == pytest.approx(100, abs=0.001)
            assert all(f <= 0 for f in wrong)
            if question.type is QuestionType.MULTIPLE and wrong:
                assert sum(wrong) == pytest.approx(-100, abs=0.001)
            assert (question.id in " ".join(lost) and "thứ tự cố định" in " ".join(lost)) or not question.fixed_order
        elif question.type is QuestionType.TRUE_FALSE:
            assert gift.kind == "truefalse" and gift.truth is question.answer_true
            assert from_html(gift.text) == question.prompt
        elif question.type is QuestionType.CLOZE:
            parts = split_cloze(question.prompt)
            (blank,) = [p for p in parts if isinstance(p, ClozeBlank)]
            assert gift.kind == "shortanswer"
            assert from_html(gift.text) == "".join("_____" if p is blank else p for p in parts).strip()
            # Short answers are stored as written (no HTML) and graded by Moodle's matcher.
            literal = [accepted_literal(a.text) for a in gift.answers]
            assert literal == list(blank.answers)
            for answer, typed in zip(gift.answers, literal, strict=True):
                assert shortanswer_accepts(answer.text, typed) and not shortanswer_accepts(answer.text, typed + "x")
            assert all(a.fraction == 100 for a in gift.answers)
        else:
            assert gift.kind == "matching"
            assert from_html(gift.text) == question.prompt
            assert gift.pairs == [(f"Bước {n}", step) for n, step in enumerate(question.steps, 1)]
        if question.image is not None:
            assert any(question.id in m and "hình" in m for m in lost)
    assert not parsed, f"questions in the GIFT file that the bank does not have: {sorted(parsed)}"


def test_mini_bank_reads_back(mini_course: Course, tmp_path: Path):
    result = export_course(mini_course, tmp_path)
    text = result.files["gift"].read_text(encoding="utf-8")
    lost = [m.split("(GIFT): ", 1)[1] for m in result.notes if "(GIFT)" in m]
    assert len(lost) == 2  # the image of mini-c003 and the fixed order of mini-c006
    assert_matches_bank(mini_course, text, lost)


def test_awkward_characters_and_two_blank_cloze(awkward_course: Course):
    text, lost, written = course_gift(awkward_course)
    assert written == len(awkward_course.questions) - 1
    assert_matches_bank(awkward_course, text, lost)


alphabet = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), include_characters="~=#{}:\\\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompt=st.text(alphabet, min_size=1, max_size=40).filter(lambda s: s.strip()),
       options=st.lists(st.text(alphabet, min_size=1, max_size=20).filter(lambda s: s.strip()),
                        min_size=2, max_size=5, unique=True),
       explanation=st.text(alphabet, min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_text_round_trips(mini_course: Course, prompt: str, options: list[str], explanation: str):
    options = [" ".join(o.split()) for o in options]
    if len(set(options)) != len(options) or not all(options):
        return
    question = dataclasses.replace(mini_course.questions[0], prompt=prompt, options=tuple(options),
                                   correct=(1,), explanation=explanation, fixed_order=False)
    course = dataclasses.replace(mini_course, questions=(question,))
    text, lost, written = course_gift(course)
    (gift,) = parse_gift(text)
    assert written == 1 and not lost
    assert from_html(gift.text).strip() == prompt.strip()
    assert [from_html(a.text) for a in gift.answers] == options
    assert [a.fraction for a in gift.answers] == [100.0 if i == 1 else 0.0 for i in range(len(options))]
    assert from_html(gift.general_feedback).strip() == explanation.strip()


def test_reader_rejects_broken_gift():
    with pytest.raises(GiftError, match="không được đóng"):
        parse_gift("::q1:: Câu hỏi {=a ~b")
    with pytest.raises(GiftError):
        parse_gift("::q1:: Câu hỏi {=a {~b}")
    (question,) = parse_gift("// chú thích\n::q\\:1::Hai \\{ngoặc\\} {T#sai rồi#đúng rồi}")
    assert question.title == "q:1" and question.text == "Hai {ngoặc}" and question.truth is True
    assert [a.feedback for a in question.answers] == ["đúng rồi", "sai rồi"]


def test_answers_with_every_special_character(cloze_answers_course: Course):
    """Issue #23: "90%", "A&B", "x<y>z" were written as HTML (90&#37;, A&amp;B…) and stored so by Moodle."""
    text, lost, written = course_gift(cloze_answers_course)
    assert written == len(cloze_answers_course.questions) - 1  # the two-blank cloze is Moodle XML only
    assert_matches_bank(cloze_answers_course, text, lost)
    assert "=%100%\\%50\\% giảm" not in text and "=%100%%50% giảm" in text  # a weight-like answer keeps its %


def test_bundled_questions_carry_id_number_and_tags(repo_root: Path):
    for course in load_corpus(repo_root).courses:
        text, lost, written = course_gift(course)
        assert written == len(course.questions) and not [m for m in lost if "một chỗ trống" in m]
        parsed = parse_gift(text)
        assert [q.idnumber for q in parsed] == [q.id for q in course.questions]
        assert [q.tags for q in parsed] == [tags_for(course, q) for q in course.questions]
        assert all(f"\n// [id:{q.id}] [tag:khoa-hoc::{course.id}] " in text for q in course.questions)


def test_id_and_tags_as_moodle_reads_them():
    comments = "// câu hỏi mẫu [không phải thẻ]\n// [id:a\\]b] [tag:x::y] [tag: có dấu cách ] [tag:<b>]\n"
    assert id_and_tags(comments) == ("a]b", ["x::y", "có dấu cách"])
    assert id_and_tags("// [id:]\n") == ("", [])


def test_an_answer_gift_cannot_carry_leaves_the_question_out_with_a_note(mini_course: Course):
    """`coursegen check` refuses such answers; if one reaches the exporter, GIFT says so instead of writing
    a question Moodle would read as matching."""
    cloze = next(q for q in mini_course.questions if q.type is QuestionType.CLOZE)
    broken = dataclasses.replace(cloze, prompt="Gõ {{A->B|C}} vào ô.")
    text, lost, written = course_gift(dataclasses.replace(mini_course, questions=(broken,)))
    assert written == 0 and f"::{cloze.id}::" not in text
    assert lost == [f"GIFT không ghi được đúng đáp án của 1 câu (coursegen check báo lỗi các câu này): {cloze.id}"]
