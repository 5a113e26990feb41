"""Text that does not fit is an error naming the course, the file, the line and the field; nothing is cut."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.builders.leaflets import build_leaflets
from generator.builders.leaflets.builder import VARIANTS
from generator.source.loader import load_corpus
from tests.conftest import run_coursegen

STEP = ("Mang theo căn cước, mở ứng dụng VNeID, chọn thủ tục cần làm, điền đủ thông tin theo hướng dẫn "
        "rồi kiểm tra lại trước khi nộp hồ sơ. ")


def test_over_long_steps_fail_every_leaflet_with_the_field_named(mini_project: Path, tmp_path: Path) -> None:
    corpus = load_corpus(mini_project)
    course = corpus.course("mini-dvc")
    long_steps = tuple(STEP * 5 for _ in range(6))  # about 600 characters each: no leaflet can hold them
    course = dataclasses.replace(course, leaflet=dataclasses.replace(course.leaflet, steps=long_steps))
    written, errors = build_leaflets(corpus, tmp_path / "out", (course,))
    # The citizen's large-print sheet has its own words (large_print:), so the leaflet's steps do not reach it.
    leaflets = [v for v in VARIANTS if not v.citizen]
    assert [v.slug for _, v, _ in written] == ["to-roi-a4-chu-lon"]
    assert len(errors) == len(leaflets)
    for error, variant in zip(errors, leaflets, strict=True):
        assert re.match(r'courses/mini-dvc/course\.yml:\d+: leaflet\.steps\[\d\]: khóa học "mini-dvc": ', error), error
        assert variant.label in error and "cỡ chữ nhỏ nhất" in error and "thiếu khoảng" in error
    # nothing written for a leaflet that does not fit
    assert all("chu-lon" in p.name for p in (tmp_path / "out").iterdir())


def test_over_long_headline_is_named(mini_project: Path, tmp_path: Path) -> None:
    corpus = load_corpus(mini_project)
    course = corpus.course("mini-dvc")
    headline = "Làm thủ tục hành chính ngay trên điện thoại, không phải xếp hàng, không phải đi lại nhiều lần " * 3
    course = dataclasses.replace(course, leaflet=dataclasses.replace(course.leaflet, headline=headline))
    _, errors = build_leaflets(corpus, tmp_path / "out", (course,))
    assert errors and all(": leaflet.headline: " in error for error in errors)


def test_build_stops_on_a_word_too_wide_naming_file_line_and_field(mini_project: Path) -> None:
    course_yml = mini_project / "courses" / "mini-dvc" / "course.yml"
    source = course_yml.read_text(encoding="utf-8")
    word = "Đ" + "A" * 90  # fits the loader's 120 characters, fits no column
    source = source.replace('    - "Đăng nhập bằng tài khoản VNeID."', f'    - "Đăng nhập bằng {word}."')
    course_yml.write_text(source, encoding="utf-8")
    line = next(i for i, text in enumerate(source.splitlines(), start=1) if word in text)

    result = run_coursegen("-C", str(mini_project), "build")
    assert result.returncode == 1
    assert f'courses/mini-dvc/course.yml:{line}: leaflet.steps[3]: khóa học "mini-dvc": từ "{word[:30]}' in result.stderr
    assert "rộng hơn cột chữ" in result.stderr
    assert not (mini_project / "site").exists()  # all or nothing: no half-written site


def test_build_names_a_settings_field_that_does_not_fit(mini_project: Path) -> None:
    settings = mini_project / "coursegen.yml"
    publisher = "Ủy ban nhân dân tỉnh Hưng Yên, Sở Khoa học và Công nghệ, Sở Giáo dục và Đào tạo " * 4
    settings.write_text(settings.read_text(encoding="utf-8") + f'publisher: "{publisher.strip()}"\n', encoding="utf-8")
    result = run_coursegen("-C", str(mini_project), "build")
    assert result.returncode == 1
    line = len(settings.read_text(encoding="utf-8").splitlines())
    assert f'coursegen.yml:{line}: publisher: khóa học "mini-dvc": chữ dài quá 2 dòng' in result.stderr
    assert "Tờ rơi A5 (dải tiêu đề mặt trước)" in result.stderr


def _fill(text: str, length: int) -> str:
    """Repeat ``text`` to exactly ``length`` characters, ending on a whole word where it can."""
    while len(text) < length:
        text = f"{text} {text}"
    return text[:length].rstrip()


def test_content_at_the_loaders_limits_fits_every_leaflet(mini_project: Path, tmp_path: Path) -> None:
    """What ``coursegen check`` accepts (80/300/6×120/4×100 characters, title 150) fits all three leaflets."""
    corpus = load_corpus(mini_project)
    course = corpus.course("mini-dvc")
    leaflet = dataclasses.replace(
        course.leaflet,
        headline=_fill("Làm thủ tục hành chính ngay trên điện thoại của bạn", 80),
        intro=_fill(STEP, 300),
        steps=tuple(_fill(f"Bước {i}: {STEP}", 120) for i in range(1, 7)),
        help=tuple(_fill("Bộ phận Một cửa UBND xã, phường, đặc khu nơi bạn cư trú, trong giờ hành chính", 100)
                   for _ in range(4)),
    )
    course = dataclasses.replace(course, leaflet=leaflet,
                                 title=_fill("Khóa học làm quen dịch vụ công trực tuyến cho học sinh", 150))
    assert [len(s) for s in leaflet.steps] == [120] * 6 and len(leaflet.intro) == 300
    written, errors = build_leaflets(corpus, tmp_path / "out", (course,))
    assert errors == []
    assert [variant.slug for _, variant, _ in written] == [v.slug for v in VARIANTS]
