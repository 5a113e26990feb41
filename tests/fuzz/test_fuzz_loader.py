"""The loader on random and mutated sources: it reports diagnostics (with sensible lines) or loads the
corpus, and never raises, hangs or crashes — whatever the bytes of course.yml, a question bank, a lesson
or coursegen.yml are."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.source.lessonbody import scan_body
from generator.source.lessonsafety import limit_problems, render_problems
from generator.source.loader import check_project
from generator.source.yamlsource import YamlSourceError, parse_yaml, read_source_text, split_front_matter
from tests.conftest import MINI
from tests.fuzz.conftest import fuzz

# Fragments that mean something to YAML, Markdown, HTML, the cloze syntax or a terminal.
HOSTILE = [
    "<script>alert(1)</script>", "{{", "}}", "{{a|b}}", "{: onclick=x}", "[x](javascript:y)", "![a](../../x.png)",
    "```", "~~~", "\n---\n", ": ", "- ", "? ", "'", '"', "\\", "&a [1]", "*a", "!!python/object:os.system", "%YAML 1.1\n",
    "\t", "\r", "\r\n", "\x1b[2J", "\x00", "\ufeff", "\u202e", "Đ", "e\u0301", ">" * 20, " " * 80, "*" * 150,
    "[" * 40, "=HYPERLINK(1)", "é" * 30, "\n\n", "# ", "|a|b|\n|-|-|", "<!--", "]]>", "&#0;", "\\x1b", "\\ud800",
]


@st.composite
def mutations(draw) -> list[tuple[str, int, bytes]]:
    fragment = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)).map(lambda s: s.encode("utf-8"))
    kind = st.sampled_from(["insert", "delete", "replace", "duplicate", "flip", "truncate"])
    return draw(st.lists(st.tuples(kind, st.integers(0, 1 << 20), fragment | st.binary(max_size=4)), max_size=6))


def mutate(data: bytes, steps: list[tuple[str, int, bytes]]) -> bytes:
    for kind, position, fragment in steps:
        at = position % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + fragment + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + 1 + position % 40:]
        elif kind == "replace":
            data = data[:at] + fragment + data[at + len(fragment):]
        elif kind == "duplicate":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data = data[:end] + data[start:end] * (1 + position % 3) + data[end:]
        elif kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << position % 8)]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
    return data


def assert_sound(diagnostics: list[Diagnostic], project: Path) -> None:
    for d in diagnostics:
        assert isinstance(d.message, str) and d.message
        assert d.line >= 1, d
        assert not Path(d.path).is_absolute() or d.path.startswith(str(project)), d


SOURCES = ["coursegen.yml", "courses/mini-dvc/course.yml", "quizzes/mini-dvc.yml",
           "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md"]


@pytest.mark.parametrize("source", SOURCES)
@fuzz(examples=100)
@given(steps=mutations())
def test_mutated_source_gives_diagnostics_never_a_crash(source: str, steps):
    original = (MINI / source).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(MINI, project)
        (project / source).write_bytes(mutate(original, steps))
        corpus, diags = check_project(project)
        assert_sound(diags.items, project)
        assert (corpus is None) == bool(diags.errors)


@fuzz(examples=500)
@given(text=st.text(max_size=400))
def test_any_text_parses_or_gives_a_located_yaml_error(text: str):
    try:
        parse_yaml(text)
    except YamlSourceError as exc:
        assert exc.line >= 1 and exc.message


def soup(tokens: list[str], max_tokens: int) -> st.SearchStrategy[str]:
    """Text made of tokens that mean something to the parser under test."""
    return st.lists(st.sampled_from(tokens), max_size=max_tokens).map("".join)


YAMLISH = soup(list("abc:-[]{}&*!|>'\"#?,\n \t%@`") + ["&a ", "*a", "<<: ", "!!str ", "!!python/name:x "], 200)


@fuzz(examples=500)
@given(text=YAMLISH)
def test_yaml_punctuation_soup_parses_or_gives_a_located_error(text: str):
    try:
        parse_yaml(text)
    except YamlSourceError as exc:
        assert 1 <= exc.line <= text.count("\n") + 2


@fuzz(examples=300)
@given(data=st.binary(max_size=600))
def test_any_bytes_read_as_a_source_or_refused(data: bytes, tmp_path_factory):
    path = tmp_path_factory.mktemp("bytes") / "x.yml"
    path.write_bytes(data)
    try:
        text = read_source_text(path)
        split_front_matter(text)
    except YamlSourceError as exc:
        assert exc.line >= 1 and exc.message


MARKDOWNISH = soup(list("ab #*_`[]()!<>&{}:=|-.\n\t\\~\"'/") + ["```", "~~~", "    ", "http://x", "javascript:", "<b>",
                                                                   "{: onclick=x}", "](", "![", "<!--", "\n\n"], 600)


@fuzz(examples=400)
@given(body=MARKDOWNISH)
def test_any_lesson_markdown_is_checked_quickly_without_errors(body: str):
    if limit_problems(body):
        return
    scan_body(body)
    for problem in render_problems(body):
        assert 0 <= problem.line <= body.count("\n")


LESSON = "courses/mini-dvc/lessons/02-dang-nhap.md"
TARGET = soup(["javascript:", "JavaScript:", "http://x", "https://a.b/c", "mailto:a@b", "data:text/html,", "#",
               "#cac-buoc-dang-nhap", "../", "./", "media/", "../media/", "so-do.png", "01-dich-vu-cong-la-gi.md",
               "02-dang-nhap.md", "C:\\", "\\\\srv\\", "/etc/passwd", "con", "aux.png", "%2e%2e/", "%00", " ",
               "<", ">", "?", "&#115;", "x"], 6)
LINK = st.builds(lambda bang, text, target, title: f"{bang}[{text}]({target}{title})",
                 st.sampled_from(["", "!"]), st.sampled_from(["", "a", "Sơ đồ", "[b]"]), TARGET,
                 st.sampled_from(["", ' "t"', " 't'", " (t)"]))
REFERENCE = st.builds(lambda label, target: f"[{label}]: {target}\n\n![{label}]", st.sampled_from(["r", "R 1"]), TARGET)
LINKISH = st.lists(st.one_of(LINK, REFERENCE, st.sampled_from(["\n", " ", "## Mục {#x}\n", "```\n", "<https://a>"])),
                   max_size=12).map("".join)


@fuzz(examples=150)
@given(body=st.one_of(LINKISH, MARKDOWNISH))
def test_any_lesson_body_in_a_project_gives_diagnostics_never_a_crash(body: str):
    """Links, images, anchors and paths of a lesson body are resolved against the real project."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(MINI, project)
        lesson = project / LESSON
        head, _, _ = lesson.read_text(encoding="utf-8").partition("\n---\n")
        lesson.write_text(f"{head}\n---\n\n{body}\n", encoding="utf-8")
        corpus, diags = check_project(project)
        assert_sound(diags.items, project)
        assert (corpus is None) == bool(diags.errors)
