"""Moodle XML, the richest format Moodle imports: one file per course, one category per lesson.

Every bank type is expressed: multiple choice (single/multiple, shuffle off for fixed-order questions),
true/false, cloze as Moodle's "Embedded answers (Cloze)" with all blanks and accepted alternatives, and
ordering as a matching question (Bước 1 → …, which every Moodle version has; the separate "Ordering"
type only ships with Moodle 4.4+). Images travel inside the file (base64, ``@@PLUGINFILE@@``).
"""

from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ET

from ...model import ClozeBlank, Course, Question, QuestionType, split_cloze
from ...render.questions import html_text, media_name, tags_for, xml_bytes
from ...render.shortanswer import stored_answer
from .gift import percent, question_category

PENALTY = "0.3333333"
# How each character of a stored answer is written inside {1:SHORTANSWER:=…}. Moodle's cloze parser
# (qtype_multianswer_extract_question) ends an answer at an unescaped ~ # or }, then HTML-decodes it and
# turns only \} and \# back into } and #: so } and # take a backslash, and ~ { \ & < > are written as
# character references (a literal backslash would escape the ~ or } that follows the answer; "&amp;"
# just before a ~ or } would stop it ending there).
CLOZE_ANSWER_ESCAPES = {"}": "\\}", "#": "\\#", "~": "&#126;", "{": "&#123;", "\\": "&#92;", "&": "&#38;",
                        "<": "&lt;", ">": "&gt;"}


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def cloze_answer(text: str) -> str:
    """An accepted answer inside ``{1:SHORTANSWER:=…}``, written so that Moodle stores ``stored_answer(text)``."""
    return "".join(CLOZE_ANSWER_ESCAPES.get(char, char) for char in stored_answer(text))


def cloze_text(question: Question) -> str:
    """The question text with each blank as ``{1:SHORTANSWER:=answer~=alternative}`` (case-insensitive)."""
    out = []
    for part in split_cloze(question.prompt):
        if isinstance(part, ClozeBlank):
            out.append("{1:SHORTANSWER:" + "~".join(f"={cloze_answer(a)}" for a in part.answers) + "}")
        else:
            # Literal braces would be read as the start of another embedded question.
            out.append(html_text(part).replace("{", "&#123;").replace("}", "&#125;"))
    return "".join(out)


def question_html(question: Question, body: str) -> tuple[str, tuple[str, bytes] | None]:
    """The HTML of a question text, with its image (if any) as an embedded file."""
    if question.image is None:
        return f"<p>{body}</p>", None
    name = media_name(question)
    img = f'<img src="@@PLUGINFILE@@/{name}" alt="{html.escape(question.image_alt, quote=True)}">'
    return f"<p>{body}</p><p>{img}</p>", (name, question.image.read_bytes())


def question_element(course: Course, question: Question) -> ET.Element:
    kinds = {
        QuestionType.SINGLE: "multichoice", QuestionType.MULTIPLE: "multichoice",
        QuestionType.TRUE_FALSE: "truefalse", QuestionType.CLOZE: "cloze", QuestionType.ORDERING: "matching",
    }
    element = ET.Element("question", {"type": kinds[question.type]})
    _text(element, "name", question.id)
    body = cloze_text(question) if question.type is QuestionType.CLOZE else html_text(question.prompt)
    text_html, image = question_html(question, body)
    questiontext = _text(element, "questiontext", text_html, "html")
    if image is not None:
        file = ET.SubElement(questiontext, "file", {"name": image[0], "path": "/", "encoding": "base64"})
        file.text = base64.b64encode(image[1]).decode("ascii")
    _text(element, "generalfeedback", f"<p>{html_text(question.explanation)}</p>", "html")
    if question.type is not QuestionType.CLOZE:
        _simple(element, "defaultgrade", "1")
    _simple(element, "penalty", "1" if question.type is QuestionType.TRUE_FALSE else PENALTY)
    _simple(element, "hidden", "0")
    _simple(element, "idnumber", question.id)
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        single = question.type is QuestionType.SINGLE
        _simple(element, "single", "true" if single else "false")
        _simple(element, "shuffleanswers", "false" if question.fixed_order else "true")
        _simple(element, "answernumbering", "ABCD")
        _simple(element, "showstandardinstruction", "0")
        _feedbacks(element)
        correct = set(question.correct)
        wrong_count = len(question.options) - len(correct)
        for index, option in enumerate(question.options):
            if single:
                fraction = "100" if index in correct else "0"
            elif index in correct:
                fraction = percent(100 / len(correct))
            else:
                fraction = percent(-100 / wrong_count)
            answer = _text(element, "answer", f"<p>{html_text(option)}</p>", "html")
            answer.set("fraction", fraction)
            _text(answer, "feedback", "", "html")
    elif question.type is QuestionType.TRUE_FALSE:
        for value in ("true", "false"):
            right = (value == "true") == bool(question.answer_true)
            answer = _text(element, "answer", value, "moodle_auto_format")
            answer.set("fraction", "100" if right else "0")
            _text(answer, "feedback", "", "html")
    elif question.type is QuestionType.ORDERING:
        _simple(element, "shuffleanswers", "true")
        _feedbacks(element)
        for number, step in enumerate(question.steps, start=1):
            sub = _text(element, "subquestion", f"<p>Bước {number}</p>", "html")
            _text(sub, "answer", " ".join(step.split()))
    tags = ET.SubElement(element, "tags")
    for tag in tags_for(course, question):
        _text(tags, "tag", tag)
    return element


def _feedbacks(element: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "", "html")


def _category(path: str) -> ET.Element:
    element = ET.Element("question", {"type": "category"})
    _text(element, "category", path)
    _text(element, "info", "", "html")
    return element


def course_moodle_xml(course: Course) -> tuple[bytes, list[str]]:
    """The Moodle XML file of a course and what it could not express (nothing, for the current types)."""
    root = ET.Element("quiz")
    version = " ".join(course.version.split())
    while "--" in version:  # "--" may not appear inside an XML comment: "1.0--beta" made the file invalid
        version = version.replace("--", "- -")
    root.append(ET.Comment(f" coursegen: {course.id}, phiên bản {version}, phát hành {course.release_date.isoformat()} "))
    category = None
    for question in course.questions:
        wanted = question_category(course, question)
        if wanted != category:
            root.append(_category(wanted))
            category = wanted
        root.append(question_element(course, question))
    ET.indent(root, space="  ")
    return xml_bytes(root, short_empty_elements=False), []
