"""Sources typed with decomposed diacritics (NFD, as macOS and some keyboards produce) load as NFC."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

from generator.model import Corpus
from generator.source.loader import load_corpus
from tests.conftest import run_coursegen


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def strings(value: object, where: str = "corpus"):
    """Every string in the model with where it sits, e.g. ("courses[0].lessons[1].body", "...")."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from strings(item, f"{where}[{index}]")


def decompose_project(project: Path) -> None:
    """Rewrite every source as NFD, except the options of the bank, so NFD answers must match NFC options."""
    for path in [*project.rglob("*.yml"), *project.rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        if path.name == "mini-dvc.yml":
            lines = text.split("\n")
            in_options = False
            for index, line in enumerate(lines):
                if line.strip().startswith("options:"):
                    in_options = True
                elif in_options and not line.startswith("      - "):
                    in_options = False
                if not in_options:
                    lines[index] = nfd(line)
            decomposed = "\n".join(lines)
        else:
            decomposed = nfd(text)
        assert decomposed != text  # every source has Vietnamese text to decompose
        path.write_text(decomposed, encoding="utf-8")


def test_nfd_sources_give_the_same_nfc_model(mini_project: Path, tmp_path: Path):
    reference = load_corpus(mini_project)
    decompose_project(mini_project)
    assert not unicodedata.is_normalized("NFC", (mini_project / "courses/mini-dvc/course.yml").read_text("utf-8"))
    corpus = load_corpus(mini_project)

    texts = list(strings(corpus))
    assert len(texts) > 100
    not_nfc = [where for where, text in texts if not unicodedata.is_normalized("NFC", text)]
    assert not_nfc == []

    def comparable(c: Corpus) -> list[tuple[str, str]]:
        return [(where, text) for where, text in strings(c)]

    assert comparable(corpus) == comparable(reference)

    course, ref = corpus.courses[0], reference.courses[0]
    assert course.title == "Làm quen dịch vụ công trực tuyến" == ref.title
    assert "Dịch vụ công trực tuyến là dịch vụ hành chính công" in course.lessons[0].body
    assert course.lessons[1].title == "Đăng nhập Cổng Dịch vụ công quốc gia"
    questions = {q.id: q for q in course.questions}
    assert questions["mini-c001"].prompt == "Dịch vụ công trực tuyến là gì?"
    # The answer was NFD, the options NFC: they still match.
    assert questions["mini-c001"].correct == (0,)
    assert questions["mini-c002"].options[3] == "Theo dõi được tình trạng hồ sơ"
    assert questions["mini-c002"].correct == (0, 1, 3)
    assert questions["mini-c006"].correct_options == ("Không ai cả",)
    assert questions["mini-c004"].blanks[0].answers == ("VNeID", "định danh điện tử")
    assert questions["mini-c005"].steps[1] == "Chọn Đăng nhập"


def test_nfd_project_passes_strict_check(mini_project: Path):
    """Anchors, links and every rule work on decomposed text too."""
    decompose_project(mini_project)
    result = run_coursegen("-C", str(mini_project), "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
