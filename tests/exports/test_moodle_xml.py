"""The Moodle XML export, parsed back with an XML parser, says what the bank says."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.builders.exports import export_course
from generator.builders.exports.clozereader import accepted_literal, cloze_answers, shortanswer_accepts
from generator.builders.exports.moodlexml import course_moodle_xml
from generator.model import ClozeBlank, Course, QuestionType, split_cloze
from generator.source.loader import load_corpus
from tests.exports.conftest import from_html


def read_cloze(text: str) -> tuple[str, list[list[str]]]:
    """The question text with each embedded answer replaced by "_____", and the answers of each blank, read
    the way Moodle reads them (qtype_multianswer's parser, then the short-answer matcher): every blank is a
    case-insensitive short answer worth one mark, each accepted answer 100 % and accepted as typed."""
    shown, embedded = cloze_answers(text)
    blanks = []
    for number, blank in enumerate(embedded, start=1):
        assert (blank.kind, blank.case_sensitive, blank.weight) == ("shortanswer", False, 1)
        assert all(answer.fraction == 1.0 for answer in blank.answers)
        literal = [accepted_literal(answer.stored) for answer in blank.answers]
        for answer, typed in zip(blank.answers, literal, strict=True):
            assert typed is not None and shortanswer_accepts(answer.stored, typed)
            assert not shortanswer_accepts(answer.stored, typed + "x")
        blanks.append(literal)
        shown = shown.replace(f"{{#{number}}}", "_____", 1)
    return from_html(shown), blanks


def questions(xml: bytes) -> list[tuple[str, ET.Element]]:
    """(category in force, question element) for every real question, in file order."""
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    category, result = "", []
    for element in root.findall("question"):
        if element.get("type") == "category":
            category = element.findtext("category/text")
            continue
        result.append((category, element))
    return result


def assert_matches_bank(course: Course, xml: bytes) -> None:
    found = questions(xml)
    assert [q.findtext("name/text") for _, q in found] == [q.id for q in course.questions]
    for (category, element), question in zip(found, course.questions, strict=True):
        lesson = course.lesson(question.lesson_id)
        assert category == f"$course$/top/{course.title}/Bài {lesson.number:02d}. {lesson.title}"
        assert element.findtext("idnumber") == question.id
        assert element.find("questiontext").get("format") == "html"
        text = element.findtext("questiontext/text")
        assert from_html(element.findtext("generalfeedback/text")) == question.explanation
        tags = {t.findtext("text") for t in element.findall("tags/tag")}
        assert f"khoa-hoc::{course.id}" in tags and f"bai-hoc::{course.id}::{question.lesson_id}" in tags
        if question.image is not None:
            (file,) = element.findall("questiontext/file")
            assert base64.b64decode(file.text) == question.image.read_bytes()
            assert f'src="@@PLUGINFILE@@/{file.get("name")}"' in text and question.image_alt in text
            text = re.sub(r"<p><img [^>]*></p>", "", text)
        else:
            assert element.find("questiontext/file") is None
        kind = element.get("type")
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            assert kind == "multichoice"
            assert element.findtext("single") == ("true" if question.type is QuestionType.SINGLE else "false")
            assert element.findtext("shuffleanswers") == ("false" if question.fixed_order else "true")
            assert from_html(text) == question.prompt
            answers = element.findall("answer")
            assert [from_html(a.findtext("text")) for a in answers] == list(question.options)
            fractions = [float(a.get("fraction")) for a in answers]
            right = [f for i, f in enumerate(fractions) if i in question.correct]
            assert all(f > 0 for f in right) and sum(right) == pytest.approx(100, abs=0.001)
            assert all(f <= 0 for i, f in enumerate(fractions) if i not in question.correct)
        elif question.type is QuestionType.TRUE_FALSE:
            assert kind == "truefalse" and from_html(text) == question.prompt
            fractions = {a.findtext("text"): a.get("fraction") for a in element.findall("answer")}
            assert fractions == ({"true": "100", "false": "0"} if question.answer_true else {"true": "0", "false": "100"})
        elif question.type is QuestionType.CLOZE:
            assert kind == "cloze"
            shown, blanks = read_cloze(text)
            parts = split_cloze(question.prompt)
            assert shown == "".join("_____" if isinstance(p, ClozeBlank) else p for p in parts)
            assert blanks == [list(b.answers) for b in question.blanks]
        else:
            assert kind == "matching" and from_html(text) == question.prompt
            pairs = [(from_html(s.findtext("text")), s.findtext("answer/text")) for s in element.findall("subquestion")]
            assert pairs == [(f"Bước {n}", step) for n, step in enumerate(question.steps, 1)]


def test_mini_bank_reads_back(mini_course: Course, tmp_path: Path):
    result = export_course(mini_course, tmp_path)
    xml = result.files["moodle"].read_bytes()
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert_matches_bank(mini_course, xml)
    assert not [m for m in result.notes if "(Moodle XML)" in m]


def test_awkward_characters_and_two_blank_cloze(awkward_course: Course):
    xml, lost = course_moodle_xml(awkward_course)
    assert not lost
    assert_matches_bank(awkward_course, xml)


def test_cloze_answers_reach_moodle_exactly(cloze_answers_course: Course):
    """Every awkward accepted answer, as Moodle's cloze parser stores it, accepts exactly what was written
    (issue #23: "https:\\/\\/dichvucong.gov.vn" was stored for "https://dichvucong.gov.vn")."""
    xml, lost = course_moodle_xml(cloze_answers_course)
    assert not lost
    assert_matches_bank(cloze_answers_course, xml)
    found = dict((q.findtext("name/text"), q) for _, q in questions(xml))
    for question in cloze_answers_course.questions:
        if question.type is QuestionType.CLOZE:
            _, blanks = read_cloze(found[question.id].findtext("questiontext/text"))
            assert blanks == [list(blank.answers) for blank in question.blanks]


def test_bundled_url_answer_is_stored_without_backslashes(repo_root: Path):
    course = next(c for c in load_corpus(repo_root).courses if c.id == "tocns-dvctt")
    xml, _ = course_moodle_xml(course)
    (element,) = [q for _, q in questions(xml) if q.findtext("name/text") == "tocns-c015"]
    _, (blank,) = cloze_answers(element.findtext("questiontext/text"))
    assert [a.stored for a in blank.answers] == ["dichvucong.gov.vn", "https://dichvucong.gov.vn"]
    assert shortanswer_accepts(blank.answers[1].stored, "HTTPS://dichvucong.gov.vn")
