"""The bundled curriculum is real teaching material: counts, coverage, question types and clean prose."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from generator.model import Audience, Corpus, Course, QuestionType
from generator.source.loader import load_corpus
from tests.conftest import REPO, run_coursegen

ENGLISH = re.compile(
    r"\b(the|and|of|for|with|your|this|that|click|login|log in|password|account|submit|email|online|website|"
    r"download|upload|update|please|step|next|back|home|user|settings|error|lorem|ipsum|todo|fixme|tbd|xxx)\b",
    re.IGNORECASE,
)
VIETNAMESE_MARKS = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
PHONE = re.compile(r"(?<![\d.])(?:\d[ .]?){8,11}(?![\d.])")
OFFICIAL_HOSTS = {"dichvucong.gov.vn"}
# Look-alike addresses the scam lesson teaches people to reject (never presented as real).
TAUGHT_FAKES = {"dichvucong-gov.vn", "dichvucong.gov.vn.abc.com", "dichvucong.gov.vn.thongbao.com", "dichvucong.gov-vn.com"}
HOST = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|info|xyz)\b[\w.-]*", re.IGNORECASE)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REPO, strict=True)


def user_texts(course: Course) -> list[str]:
    texts = [course.title, course.summary, course.level, *course.authors, *(o.text for o in course.objectives),
             course.leaflet.headline, course.leaflet.intro, *course.leaflet.steps, *course.leaflet.help]
    for lesson in course.lessons:
        texts += [lesson.title, lesson.body, *lesson.key_points]
    for q in course.questions:
        texts += [q.prompt, q.explanation, *q.options, *q.steps]
    return texts


def test_check_strict_passes_on_the_bundled_corpus() -> None:
    result = run_coursegen("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # not even a warning


def test_one_course_per_audience(corpus: Corpus) -> None:
    assert sorted(c.audience for c in corpus.courses) == sorted(Audience)


@pytest.mark.parametrize("course_id", ["thpt-dvctt", "canbo-dvctt", "tocns-dvctt"])
def test_counts_hold(corpus: Corpus, course_id: str) -> None:
    course = corpus.course(course_id)
    assert len(course.lessons) >= 6
    for lesson in course.lessons:
        assert lesson.objectives and lesson.duration_minutes > 0 and len(lesson.key_points) >= 3, lesson.id
        assert re.search(r"^1\. .*?^2\. ", lesson.body, re.MULTILINE | re.DOTALL), f"{lesson.id}: no numbered steps"
    assert len(course.questions) >= 40
    per_lesson = Counter(q.lesson_id for q in course.questions)
    assert all(per_lesson[lesson.id] >= 1 for lesson in course.lessons), per_lesson
    checked = {oid for q in course.questions for oid in q.objectives}
    assert {o.id for o in course.objectives} - checked == set(), "objectives without a question"
    served = {oid for lesson in course.lessons for oid in lesson.objectives}
    assert {o.id for o in course.objectives} - served == set(), "objectives without a lesson"
    assert {q.type for q in course.questions} == set(QuestionType)
    assert all(len(q.explanation) >= 40 for q in course.questions), "explanations must teach"
    leaflet = course.leaflet
    assert leaflet.headline and 4 <= len(leaflet.steps) <= 6 and leaflet.help


@pytest.mark.parametrize("course_id", ["thpt-dvctt", "canbo-dvctt", "tocns-dvctt"])
def test_finished_vietnamese_prose(corpus: Corpus, course_id: str) -> None:
    course = corpus.course(course_id)
    for text in user_texts(course):
        assert unicodedata.is_normalized("NFC", text)
        found = ENGLISH.findall(text)
        assert not found, f"{course_id}: English or placeholder words {found} in: {text[:120]}"
        for host in HOST.findall(text):
            host = host.rstrip(".").lower()
            assert host in OFFICIAL_HOSTS or host in TAUGHT_FAKES or host == "gov.vn", f"{course_id}: address {host}"
        assert not PHONE.search(text), f"{course_id}: phone-like number in: {text[:120]}"
    for lesson in course.lessons:
        words = re.findall(r"\w+", lesson.body)
        marked = sum(1 for w in words if VIETNAMESE_MARKS.search(w))
        assert len(words) >= 500, f"{lesson.id}: only {len(words)} words"
        assert marked / len(words) > 0.4, f"{lesson.id}: text does not read as Vietnamese with diacritics"


def test_fake_addresses_appear_only_as_scams_to_reject(corpus: Corpus) -> None:
    for course in corpus.courses:
        for q in course.questions:
            for fake in TAUGHT_FAKES:
                if any(fake == option for option in q.options):
                    assert fake not in q.correct_options


@pytest.mark.parametrize("course_id", ["thpt-dvctt", "canbo-dvctt", "tocns-dvctt"])
def test_sourced_placed_illustrated_with_a_separate_final_pool(corpus: Corpus, course_id: str) -> None:
    """Issue 16: every lesson cites its sources, THPT lessons sit in the Tin học programme, most lessons carry a
    figure, and the final test has a pool of its own (30+, every objective) beside 3+ practice questions a lesson."""
    from generator.model import QuestionPool
    from generator.source.lessonbody import scan_body

    course = corpus.course(course_id)
    for lesson in course.lessons:
        assert lesson.sources, f"{lesson.id}: no sources"
        assert (lesson.curriculum is not None) == (course.audience is Audience.STUDENTS), lesson.id
        assert len(course.practice_for(lesson.id)) >= 3, f"{lesson.id}: fewer than 3 practice questions"
    illustrated = [lesson.id for lesson in course.lessons if any(link.is_image for link in scan_body(lesson.body).links)]
    assert len(illustrated) * 2 > len(course.lessons), f"only {illustrated} have a figure"
    pool = [q for q in course.questions if q.pool is QuestionPool.FINAL]
    assert len(pool) >= 30
    assert {o.id for o in course.objectives} <= {oid for q in pool for oid in q.objectives}
