"""IMS QTI 1.2 (ASI) content package: the vendor-neutral format most LMSs import (Canvas, Blackboard, …).

One zip per course: ``imsmanifest.xml`` (IMS Content Packaging 1.1), the assessment ``<course>.xml`` and
the question images under ``media/``. The assessment declares the namespace of the IMS QTI ASI 1.2 XML
Schema binding (``QTI_NS``, as Canvas and Common Cartridge files do), so the IMS XSD applies to it; its
structure is also that of the ASI 1.2 DTD (the tests check both, and the manifest against the IMS CP XSD).

Types: single/multiple choice (``response_lid`` Single/Multiple, shuffle off for fixed-order questions),
true/false, cloze (one ``response_str``/``render_fib`` per blank, every accepted answer), and ordering
(``response_lid rcardinality="Ordered"``, scored with ``varequal index``). Canvas-style
``question_type`` metadata is added where our structure matches Canvas's (choice, true/false,
one-blank cloze); other LMSs ignore it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ...model import ClozeBlank, Course, Question, QuestionType, split_cloze
from ...render.archive import write_zip, zip_date
from ...render.questions import POOL_TAGS, html_text, image_type, letter, media_name, scrambled_order, xml_bytes

RESPONSE = "response1"
FEEDBACK = "general_fb"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
RESOURCE_TYPE = "imsqti_xmlv1p2"

CANVAS_TYPES = {
    QuestionType.SINGLE: "multiple_choice_question",
    QuestionType.MULTIPLE: "multiple_answers_question",
    QuestionType.TRUE_FALSE: "true_false_question",
}


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib or {})
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, html_body: str, texttype: str = "text/html") -> ET.Element:
    material = _sub(parent, "material")
    _sub(material, "mattext", {"texttype": texttype}, html_body)
    return material


def _metadata(item: ET.Element, fields: list[tuple[str, str]]) -> None:
    qtimetadata = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields:
        field = _sub(qtimetadata, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)


def _choice(parent: ET.Element, cardinality: str, shuffle: bool, labels: list[tuple[str, str]]) -> None:
    lid = _sub(parent, "response_lid", {"ident": RESPONSE, "rcardinality": cardinality})
    render = _sub(lid, "render_choice", {"shuffle": "Yes" if shuffle else "No"})
    for ident, text in labels:
        label = _sub(render, "response_label", {"ident": ident})
        _material(label, html_text(text))


def _outcomes(resprocessing: ET.Element) -> None:
    outcomes = _sub(resprocessing, "outcomes")
    _sub(outcomes, "decvar", {"varname": "SCORE", "vartype": "Decimal", "defaultval": "0",
                              "minvalue": "0", "maxvalue": "100"})


def _feedback_condition(resprocessing: ET.Element) -> None:
    condition = _sub(resprocessing, "respcondition", {"continue": "Yes", "title": "Giải thích"})
    _sub(_sub(condition, "conditionvar"), "other")
    _sub(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": FEEDBACK})


def _score(condition: ET.Element, value: str, action: str = "Set") -> None:
    _sub(condition, "setvar", {"varname": "SCORE", "action": action}, value)


def _varequal(parent: ET.Element, value: str, respident: str = RESPONSE, **attrib: str) -> None:
    _sub(parent, "varequal", {"respident": respident, **attrib}, value)


def item_element(course: Course, question: Question) -> tuple[ET.Element, list[tuple[str, Question]]]:
    """The ``<item>`` of a question and the media it needs (name in the package, question)."""
    lesson = course.lesson(question.lesson_id)
    item = ET.Element("item", {"ident": question.id, "title": question.id})
    metadata = [("qmd_itemtype", question.type.label), ("qmd_levelofdifficulty", question.difficulty.label),
                ("coursegen_lesson", f"Bài {lesson.number}. {lesson.title}"),
                ("coursegen_objectives", " ".join(question.objectives)),
                ("coursegen_pool", POOL_TAGS[question.pool]), ("points_possible", "1")]
    canvas = CANVAS_TYPES.get(question.type)
    if question.type is QuestionType.CLOZE and len(question.blanks) == 1:
        canvas = "short_answer_question"
    if canvas:
        metadata.insert(0, ("question_type", canvas))
    _metadata(item, metadata)
    presentation = _sub(item, "presentation")
    media: list[tuple[str, Question]] = []
    resprocessing = ET.Element("resprocessing")
    _outcomes(resprocessing)
    _feedback_condition(resprocessing)
    qtype = question.type
    if qtype is not QuestionType.CLOZE:
        _material(presentation, html_text(question.prompt))
    if question.image is not None:
        name = f"media/{media_name(question)}"
        material = _sub(presentation, "material")
        _sub(material, "matimage", {"imagtype": image_type(question.image), "uri": name})
        alt = _sub(material, "altmaterial")
        _sub(alt, "mattext", {"texttype": "text/plain"}, question.image_alt)
        media.append((name, question))
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        labels = [(letter(i), option) for i, option in enumerate(question.options)]
        single = qtype is QuestionType.SINGLE
        _choice(presentation, "Single" if single else "Multiple", not question.fixed_order, labels)
        condition = _sub(resprocessing, "respcondition", {"continue": "No", "title": "Đúng"})
        conditionvar = _sub(condition, "conditionvar")
        if single:
            _varequal(conditionvar, letter(question.correct[0]))
        else:
            both = _sub(conditionvar, "and")
            for index in range(len(question.options)):
                if index in question.correct:
                    _varequal(both, letter(index))
                else:
                    _varequal(_sub(both, "not"), letter(index))
        _score(condition, "100")
    elif qtype is QuestionType.TRUE_FALSE:
        _choice(presentation, "Single", False, [("true", "Đúng"), ("false", "Sai")])
        condition = _sub(resprocessing, "respcondition", {"continue": "No", "title": "Đúng"})
        _varequal(_sub(condition, "conditionvar"), "true" if question.answer_true else "false")
        _score(condition, "100")
    elif qtype is QuestionType.CLOZE:
        blanks = [part for part in split_cloze(question.prompt) if isinstance(part, ClozeBlank)]
        share = f"{100 / len(blanks):.4f}".rstrip("0").rstrip(".")
        number = 0
        for part in split_cloze(question.prompt):
            if isinstance(part, str):
                if part.strip():
                    _material(presentation, html_text(part))
                continue
            number += 1
            ident = RESPONSE if len(blanks) == 1 else f"blank{number}"
            response = _sub(presentation, "response_str", {"ident": ident, "rcardinality": "Single"})
            width = str(max(10, max(len(answer) for answer in part.answers) + 4))
            render = _sub(response, "render_fib", {"fibtype": "String", "prompt": "Box", "rows": "1", "columns": width})
            _sub(render, "response_label", {"ident": f"{ident}-answer", "rshuffle": "No"})
            condition = _sub(resprocessing, "respcondition", {"continue": "Yes", "title": f"Chỗ trống {number}"})
            conditionvar = _sub(condition, "conditionvar")
            target = _sub(conditionvar, "or") if len(part.answers) > 1 else conditionvar
            for answer in part.answers:
                _varequal(target, answer, ident, case="No")
            _score(condition, share if len(blanks) > 1 else "100", "Add" if len(blanks) > 1 else "Set")
    else:
        order = scrambled_order(question.id, len(question.steps))
        labels = [(letter(position), question.steps[index]) for position, index in enumerate(order)]
        letter_of = {index: letter(position) for position, index in enumerate(order)}
        _choice(presentation, "Ordered", True, labels)
        condition = _sub(resprocessing, "respcondition", {"continue": "No", "title": "Đúng thứ tự"})
        both = _sub(_sub(condition, "conditionvar"), "and")
        for index in range(len(question.steps)):
            _varequal(both, letter_of[index], index=str(index + 1))
        _score(condition, "100")
    item.append(resprocessing)
    feedback = _sub(item, "itemfeedback", {"ident": FEEDBACK})
    _material(_sub(feedback, "flow_mat"), html_text(question.explanation))
    return item, media


def assessment_xml(course: Course) -> tuple[bytes, list[tuple[str, Question]]]:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    _sub(root, "qticomment", text=f"coursegen: {course.id}, phiên bản {course.version}, "
                                  f"phát hành {course.release_date.isoformat()}")
    assessment = _sub(root, "assessment", {"ident": course.id, "title": course.title})
    fields = _sub(assessment, "qtimetadata")
    for label, entry in (("cc_maxattempts", "1"), ("coursegen_version", course.version),
                         ("coursegen_release_date", course.release_date.isoformat())):
        field = _sub(fields, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)
    section = _sub(assessment, "section", {"ident": "root_section", "title": course.title})
    media: list[tuple[str, Question]] = []
    for question in course.questions:
        item, item_media = item_element(course, question)
        section.append(item)
        media.extend(item_media)
    ET.indent(root, space="  ")
    return xml_bytes(root), media


def manifest_xml(course: Course, assessment_name: str, files: list[str]) -> bytes:
    """IMS Content Packaging 1.1 manifest: one QTI 1.2 resource listing every file of the package."""
    manifest = ET.Element("manifest", {"identifier": f"coursegen-{course.id}-qti12", "xmlns": CP_NS})
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", text="IMS Content")
    _sub(metadata, "schemaversion", text="1.1.3")
    _sub(manifest, "organizations")
    resources = _sub(manifest, "resources")
    resource = _sub(resources, "resource", {"identifier": f"res-{course.id}", "type": RESOURCE_TYPE,
                                            "href": assessment_name})
    for name in files:
        _sub(resource, "file", {"href": name})
    ET.indent(manifest, space="  ")
    return xml_bytes(manifest)


def write_qti_package(course: Course, path: Path) -> list[str]:
    """Write the QTI 1.2 package of ``course`` to ``path``; returns what it could not express (nothing)."""
    assessment_name = f"{course.id}.xml"
    assessment, media = assessment_xml(course)
    unique = dict(media)
    names = [assessment_name, *sorted(unique)]
    entries = [
        ("imsmanifest.xml", manifest_xml(course, assessment_name, names)),
        (assessment_name, assessment),
        *((name, unique[name].image.read_bytes()) for name in sorted(unique)),
    ]
    write_zip(path, entries, zip_date(course.release_date))
    return []

