"""Every exporter on random courses whose text the loader would accept (any printable Unicode, markup, GIFT and
XML control characters, formula starts): none raises, and what each writes parses back — GIFT through the
Moodle-like reader, Moodle XML and QTI through lxml, Anki notes through the deck's own field checks, the
site's quizzes and pages through an HTML parser (the text shows, nothing becomes live markup), leaflets
through pdftotext."""

from __future__ import annotations

import dataclasses
import unicodedata
import zipfile
from pathlib import Path

import markdown
from hypothesis import assume, given
from hypothesis import strategies as st
from lxml import etree

from generator.builders.decks.notes import check_note, prepare_note
from generator.builders.exports.gift import course_gift
from generator.builders.exports.giftreader import parse_gift
from generator.builders.exports.moodlexml import course_moodle_xml
from generator.builders.exports.qti import write_qti_package
from generator.builders.leaflets.builder import build_leaflets
from generator.builders.site import pages
from generator.builders.site.quizhtml import quiz_html
from generator.diagnostics import CoursegenError
from generator.model import Corpus, Course, Question, QuestionType, split_cloze
from generator.source.lessonsafety import EXTENSION_CONFIGS, EXTENSIONS
from generator.source.loader import load_corpus
from tests.conftest import MINI
from tests.fuzz.conftest import fuzz
from tests.hostile.outputs import html_seen, pdf_seen

CORPUS: Corpus = load_corpus(MINI)
COURSE: Course = CORPUS.courses[0]

MARKUP = ["<script>alert(1)</script>", "</p>", "<b>", "]]>", "&amp;", "&", "<", ">", '"', "'", "{", "}", "~", "=",
          "#", ":", "\\", "%", "*", "_", "`", "[", "](javascript:x)", "{: onclick=x}", "\n", "  ", "=cmd|'/C calc'!A0",
          "@SUM(1)", "+1", "-1", "Đường", "ệ", "𝕏", "\u202e", "\u200b", "e\u0301", "::", "//", "$course$", "//x"]
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"),
                          exclude_characters="\ufffe\uffff")


def loader_text(max_size: int, forbid: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Text as the loader hands it on: NFC, stripped, not empty, no control characters."""
    raw = st.one_of(st.text(PRINTABLE, min_size=1, max_size=max_size),
                    st.lists(st.sampled_from(MARKUP + ["chữ", "a", " "]), min_size=1, max_size=8).map("".join))
    return (raw.map(lambda s: unicodedata.normalize("NFC", s).strip())
            .filter(lambda s: s and len(s) <= max_size * 3 and not any(f in s for f in forbid)))


PLAIN = loader_text(40, ("{{", "}}"))
ANSWER = loader_text(15, ("{{", "}}", "|", "{", "}"))


@st.composite
def question(draw, template: Question) -> Question:
    qtype = draw(st.sampled_from(list(QuestionType)))
    base = dict(type=qtype, prompt=draw(PLAIN), explanation=draw(PLAIN), options=(), correct=(), steps=(),
                answer_true=None, fixed_order=draw(st.booleans()), image_alt=draw(PLAIN))
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        options = draw(st.lists(PLAIN, min_size=2, max_size=8, unique=True))
        if qtype is QuestionType.SINGLE:
            correct = (draw(st.integers(0, len(options) - 1)),)
        else:
            correct = tuple(sorted(draw(st.sets(st.integers(0, len(options) - 1), min_size=1))))
        base.update(options=tuple(options), correct=correct)
    elif qtype is QuestionType.TRUE_FALSE:
        base.update(answer_true=draw(st.booleans()))
    elif qtype is QuestionType.CLOZE:
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            parts.append(draw(st.one_of(st.just(""), PLAIN)))
            parts.append("{{" + "|".join(draw(st.lists(ANSWER, min_size=1, max_size=3))) + "}}")
        parts.append(draw(st.one_of(st.just(""), PLAIN)))
        prompt = " ".join(parts).strip()
        blanks = [p for p in split_cloze(prompt) if not isinstance(p, str)]
        assume(blanks and all(b.answers for b in blanks))  # what the loader accepts
        base.update(prompt=prompt)
    else:
        base.update(steps=tuple(draw(st.lists(PLAIN, min_size=2, max_size=8, unique=True))))
    return dataclasses.replace(template, **base)


@st.composite
def courses(draw) -> Course:
    questions = tuple(draw(question(q)) for q in COURSE.questions)
    lessons = tuple(dataclasses.replace(lesson, title=draw(PLAIN), key_points=(draw(PLAIN),)) for lesson in COURSE.lessons)
    objectives = tuple(dataclasses.replace(o, text=draw(PLAIN)) for o in COURSE.objectives)
    version = draw(st.one_of(st.just(COURSE.version), loader_text(30), st.sampled_from(["1.0--beta", "2.0-", "--"])))
    return dataclasses.replace(COURSE, title=draw(PLAIN), summary=draw(PLAIN), level=draw(PLAIN), version=version,
                               license=draw(PLAIN), authors=(draw(PLAIN),), questions=questions, lessons=lessons,
                               objectives=objectives)


def visible(text: str) -> str:
    return "".join(text.split())


@fuzz(examples=60)
@given(course=courses())
def test_every_exporter_writes_what_parses_back(course: Course, tmp_path_factory):
    # Anki: the deck's own checks parse every field back (visible text, no foreign tags, cloze numbering).
    for q in course.questions:
        assert check_note(prepare_note(course, q)) == []
    # The site's quiz: text shows, nothing is live.
    seen = html_seen(quiz_html(course, list(course.questions), {}, final=True))
    assert seen.live == []
    for q in course.questions:
        literal = [p for p in split_cloze(q.prompt) if isinstance(p, str)] if q.type is QuestionType.CLOZE else [q.prompt]
        for text in (*literal, *q.options, *q.steps, q.explanation):
            assert visible(text) in visible(seen.text)
    # GIFT: Moodle's reading of the file holds every exported question.
    gift, _, count = course_gift(course)
    assert len(parse_gift(gift)) == count
    # Moodle XML and QTI: well-formed XML (lxml refuses what XML 1.0 cannot carry).
    moodle, _ = course_moodle_xml(course)
    etree.fromstring(moodle)
    package = tmp_path_factory.mktemp("qti") / "qti.zip"
    write_qti_package(course, package)
    with zipfile.ZipFile(package) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                etree.fromstring(archive.read(name))


@fuzz(examples=60)
@given(course=courses())
def test_generated_pages_render_their_text_and_nothing_live(course: Course):
    corpus = dataclasses.replace(CORPUS, courses=(course,))
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    for page in [pages.catalogue(corpus), pages.course(course, []), *(pages.lesson(course, x) for x in course.lessons)]:
        body = page.markdown.split("---\n", 2)[2]
        seen = html_seen(md.reset().convert(body.replace(course.lessons[0].body.strip(), "")))
        assert seen.live == [], page.uri
        assert visible(course.title) in visible(seen.text), page.uri
    # The titles handed to the theme are escaped HTML: parsing them gives the text back, and no tag.
    for title in (course.title, course.lessons[0].title):
        assert html_seen(pages.html_title(title)).text == " ".join(title.split())
        assert "<" not in pages.html_title(title)


# Leaflets print with Be Vietnam Pro: Vietnamese and Latin text must print; any other character must be refused.
VIETNAMESE = st.characters(codec="latin-1", exclude_categories=("Cc",)) | st.sampled_from("ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
LEAFLET_TEXT = st.one_of(st.text(VIETNAMESE, min_size=1, max_size=30),
                         st.lists(st.sampled_from([m for m in MARKUP if m.isascii()] + ["chữ"]), min_size=1, max_size=6)
                         .map("".join), loader_text(30)).map(lambda s: unicodedata.normalize("NFC", s).strip()).filter(bool)


@fuzz(examples=20, deadline_ms=30000)
@given(headline=LEAFLET_TEXT, step=LEAFLET_TEXT, help_line=LEAFLET_TEXT)
def test_leaflets_print_any_text_or_say_what_does_not_fit(headline: str, step: str, help_line: str, tmp_path_factory):
    leaflet = dataclasses.replace(COURSE.leaflet, headline=headline, steps=(step, *COURSE.leaflet.steps[1:]),
                                  help=(help_line, *COURSE.leaflet.help[1:]))
    course = dataclasses.replace(COURSE, leaflet=leaflet)
    corpus = dataclasses.replace(CORPUS, courses=(course,))
    folder = tmp_path_factory.mktemp("leaflets")
    try:
        written, errors = build_leaflets(corpus, folder, (course,))
    except CoursegenError:
        return
    assert all(isinstance(e, str) and e for e in errors)
    if any("không có trong phông chữ" in e for e in errors):
        assert not written  # nothing printed with characters missing
        return
    for _, _, paths in written:
        for path in paths.values():
            if "-chu-lon-" in Path(path).name:
                continue  # the citizen's large-print sheet carries its own text (large_print), not the leaflet's
            text = visible(pdf_seen(Path(path)).text)
            assert visible(headline)[:10] in text


def test_header_comments_hold_any_title_and_version():
    """Found by the fuzz test above: a line break in the title ended the GIFT comment (an extra question
    for Moodle), "--" in the version ended the Moodle XML comment (invalid XML)."""
    course = dataclasses.replace(COURSE, title="Khóa\n<script>alert(1)</script>", version="1.0--beta\n2")
    gift, _, count = course_gift(course)
    assert len(parse_gift(gift)) == count == len(course.questions)
    moodle, _ = course_moodle_xml(course)
    etree.fromstring(moodle)
