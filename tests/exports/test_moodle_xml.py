"""The Moodle XML export, parsed back with an XML parser, says what the bank says."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.builders.exports import export_course
from generator.builders.exports.moodlexml import course_moodle_xml
from generator.model import ClozeBlank, Course, QuestionType, split_cloze
from tests.exports.conftest import from_html

# Moodle's embedded-answer syntax: {weight:TYPE:=answer~=answer}, with \ escaping }#~/"\ inside answers.
EMBEDDED = re.compile(r"\{(\d*):SHORTANSWER:((?:\\.|[^\\}])*)\}")


def embedded_answers(body: str) -> list[str]:
    answers = []
    for item in re.split(r"(?<!\\)~", body):
        assert item.startswith("="), item
        answers.append(from_html(re.sub(r"\\(.)", r"\1", item[1:])))
    return answers


def read_cloze(text: str) -> tuple[str, list[list[str]]]:
    """The question text with each embedded answer replaced by "_____", and the answers of each blank."""
    blanks = [embedded_answers(m.group(2)) for m in EMBEDDED.finditer(text)]
    return from_html(EMBEDDED.sub("_____", text)), blanks


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
