"""Decks and LMS exports carry every question of both pools, each tagged with its pool."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from generator.builders.decks.notes import prepare_note
from generator.builders.exports.moodlexml import course_moodle_xml
from generator.builders.exports.qti import item_element
from generator.model import Course, QuestionPool


def pooled(course: Course) -> Course:
    """The mini course with its ordering question moved to the final pool."""
    questions = tuple(dataclasses.replace(q, pool=QuestionPool.FINAL) if q.id == "mini-c005" else q
                      for q in course.questions)
    return dataclasses.replace(course, questions=questions)


def test_anki_notes_are_tagged_with_their_pool(mini_course: Course) -> None:
    course = pooled(mini_course)
    tags = {q.id: prepare_note(course, q).tags for q in course.questions}
    assert len(tags) == 6
    assert "nhom-cau::cuoi-khoa" in tags["mini-c005"] and "nhom-cau::luyen-tap" not in tags["mini-c005"]
    for qid in ("mini-c001", "mini-c002", "mini-c003", "mini-c004", "mini-c006"):
        assert "nhom-cau::luyen-tap" in tags[qid] and "nhom-cau::cuoi-khoa" not in tags[qid]


def test_moodle_xml_keeps_every_question_with_its_pool_tag(mini_course: Course) -> None:
    course = pooled(mini_course)
    xml, _ = course_moodle_xml(course)
    found = {}
    for element in ET.fromstring(xml).findall("question"):
        if element.get("type") == "category":
            continue
        found[element.findtext("name/text")] = {t.findtext("text") for t in element.findall("tags/tag")}
    assert sorted(found) == sorted(q.id for q in course.questions)
    assert "nhom-cau::cuoi-khoa" in found["mini-c005"]
    assert all("nhom-cau::luyen-tap" in tags for qid, tags in found.items() if qid != "mini-c005")


def test_qti_item_names_its_pool(mini_course: Course) -> None:
    course = pooled(mini_course)
    fields = {}
    for question in course.questions:
        item, _ = item_element(course, question)
        labels = [f.findtext("fieldlabel") for f in item.iter("qtimetadatafield")]
        entries = [f.findtext("fieldentry") for f in item.iter("qtimetadatafield")]
        fields[question.id] = dict(zip(labels, entries, strict=True))["coursegen_pool"]
    assert fields == {"mini-c001": "luyen-tap", "mini-c002": "luyen-tap", "mini-c003": "luyen-tap",
                      "mini-c004": "luyen-tap", "mini-c005": "cuoi-khoa", "mini-c006": "luyen-tap"}


def test_final_pool_has_its_own_lms_category(mini_course: Course) -> None:
    """GIFT has no tags: the final pool is a category of its own, in GIFT and Moodle XML alike."""
    from generator.builders.exports.gift import course_gift

    course = pooled(mini_course)
    lesson = course.lesson("mini-b02")
    final = f"$course$/top/{course.title}/Kiểm tra cuối khóa/Bài 02. {lesson.title}"
    practice = f"$course$/top/{course.title}/Bài 02. {lesson.title}"
    gift = course_gift(course)[0]

    def gift_category(qid: str) -> str:
        before = gift[:gift.index(f"::{qid}::")]
        return before[before.rindex("$CATEGORY: "):].splitlines()[0].removeprefix("$CATEGORY: ")

    assert gift_category("mini-c005") == final
    assert gift_category("mini-c006") == practice
    xml, _ = course_moodle_xml(course)
    category = None
    where = {}
    for element in ET.fromstring(xml).findall("question"):
        if element.get("type") == "category":
            category = element.findtext("category/text")
        else:
            where[element.findtext("name/text")] = category
    assert where["mini-c005"] == final
    assert where["mini-c004"] == where["mini-c006"] == practice
