"""Text that does not fit is an error naming the course, the file, the line and the field; nothing is cut."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.leaflets import build_leaflets
from generator.leaflets.builder import VARIANTS
from generator.loader import load_corpus
from tests.conftest import run_coursegen

STEP = ("Mang theo căn cước, mở ứng dụng VNeID, chọn thủ tục cần làm, điền đủ thông tin theo hướng dẫn "
        "rồi kiểm tra lại trước khi nộp hồ sơ. ")


def test_over_long_steps_fail_every_leaflet_with_the_field_named(mini_project: Path, tmp_path: Path) -> None:
    corpus = load_corpus(mini_project)
    course = corpus.course("mini-dvc")
    long_steps = tuple(STEP * 5 for _ in range(6))  # about 600 characters each: no leaflet can hold them
    course = dataclasses.replace(course, leaflet=dataclasses.replace(course.leaflet, steps=long_steps))
    written, errors = build_leaflets(corpus, tmp_path / "out", (course,))
    assert written == []
    assert len(errors) == len(VARIANTS)
    for error, variant in zip(errors, VARIANTS, strict=True):
        assert re.match(r'courses/mini-dvc/course\.yml:\d+: leaflet\.steps\[\d\]: khóa học "mini-dvc": ', error), error
        assert variant.label in error and "cỡ chữ nhỏ nhất" in error and "thiếu khoảng" in error
    assert list((tmp_path / "out").iterdir()) == []  # nothing written for a leaflet that does not fit


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
