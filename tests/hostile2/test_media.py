"""Media files that got past the first round (issue 27, points 7 and 8): SVG CSS written with escapes,
DOCTYPE/ENTITY hidden behind padding or in UTF-16, GIFs of thousands of huge frames, and file names that
would forge a diagnostic or drive the terminal. Each is generated here (a few kilobytes), checked by the
real ``coursegen check`` under a memory limit and a time bound, and refused with its exact message."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from tests.conftest import DIAGNOSTIC, MINI
from tests.hostile2.limits import coursegen

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'
CSS_REFUSED = "tệp SVG có CSS tải tệp hoặc trang khác (url(…), @import); hãy xóa phần này"
DTD_REFUSED = "tệp SVG có khai báo DOCTYPE/ENTITY; hãy xuất lại SVG không có phần này"
XXE = '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _gif(frames: int, side: int) -> bytes:
    """A GIF of ``frames`` frames of side × side pixels, each with an empty LZW stream (clear, end)."""
    out = [b"GIF89a", struct.pack("<HHBBB", side, side, 0x80, 0, 0), b"\0\0\0\xff\xff\xff"]
    for _ in range(frames):
        out += [b"\x21\xf9\x04\x00\x01\x00\x00\x00", b"\x2c", struct.pack("<HHHHB", 0, 0, side, side, 0),
                b"\x02\x02\x4c\x01\x00"]
    return b"".join(out + [b"\x3b"])


CASES = {
    "css-escaped-import": ("nhap.svg", SVG.format(r"<style>@imp\6f rt 'https://tracker.example/x.css';</style>").encode(),
                           CSS_REFUSED),
    "css-escaped-url": ("nen.svg", SVG.format(r'<rect width="9" height="9" style="fill:red;'
                                              r'background:u\72l(https://tracker.example/p.gif)"/>').encode(), CSS_REFUSED),
    "css-escaped-url-in-style": ("nen2.svg", SVG.format(r"<style>rect{fill:\75 \72 \6c (https://tracker.example/p.svg#a)}"
                                                       "</style>").encode(), CSS_REFUSED),
    "css-comment-and-case": ("nen3.svg", SVG.format("<style>/* x */@IMPORT/**/url(//tracker.example/x.css);</style>").encode(),
                             CSS_REFUSED),
    "image-set": ("nen4.svg", SVG.format("<style>rect{fill:red;background:image-set('https://tracker.example/a.png' 1x)}"
                                         "</style>").encode(), CSS_REFUSED),
    "fill-remote-url": ("to.svg", SVG.format('<rect width="9" height="9" fill="url(https://tracker.example/p.svg#g)"/>').encode(),
                        CSS_REFUSED),
    "doctype-after-padding": ("dem.svg", ('<?xml version="1.0"?>\n' + " " * 6000 + '<!DOCTYPE svg SYSTEM'
                                          ' "https://tracker.example/x.dtd">' + SVG.format("")).encode(), DTD_REFUSED),
    "doctype-utf16": ("utf16.svg", ('<?xml version="1.0" encoding="UTF-16"?>' + XXE + SVG.format("<text>&x;</text>"))
                      .encode("utf-16"), DTD_REFUSED),
    "doctype-utf16-no-bom": ("utf16be.svg", ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg>' + SVG.format(""))
                             .encode("utf-16-be"), DTD_REFUSED),
    "foreign-encoding": ("utf7.svg", ('<?xml version="1.0" encoding="UTF-7"?>' + SVG.format("")).encode(),
                         "tệp SVG không phải văn bản UTF-8 hoặc UTF-16; hãy xuất lại SVG dạng UTF-8"),
    "gif-frame-bomb": ("dong.gif", _gif(5000, 4000),
                       "ảnh động 5000 khung hình, tổng 80000 triệu điểm ảnh (tối đa 1000 khung và 200 triệu điểm ảnh);"
                       " hãy rút ngắn hoặc thu nhỏ ảnh"),
    "gif-few-huge-frames": ("lon.gif", _gif(20, 6000),
                            "ảnh động 20 khung hình, tổng 720 triệu điểm ảnh (tối đa 1000 khung và 200 triệu điểm ảnh);"
                            " hãy rút ngắn hoặc thu nhỏ ảnh"),
}


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    return project


@pytest.mark.parametrize("name", sorted(CASES))
def test_media_file_is_refused_with_its_message(name, tmp_path):
    file_name, data, message = CASES[name]
    assert len(data) < 200_000  # generated, small
    project = _project(tmp_path)
    (project / "courses/mini-dvc/media" / file_name).write_bytes(data)
    result = coursegen(project, "check")
    assert "Traceback" not in result.stderr, result.report()
    assert result.returncode == 1, result.report()
    assert result.stdout.splitlines() == [f"courses/mini-dvc/media/{file_name}:1: (tệp): {message}"], result.report()
    assert result.seconds < 30, result.report()


def test_honest_svg_and_animation_still_pass(tmp_path):
    project = _project(tmp_path)
    media = project / "courses/mini-dvc/media"
    (media / "ok.svg").write_text(SVG.format('<defs><linearGradient id="g"/></defs><style>rect{fill:url(#g)}</style>'
                                             '<rect width="9" height="9" fill="url(#g)" aria-label="Hình (1)"/>'), "utf-8")
    (media / "ok16.svg").write_bytes(SVG.format("<title>Sơ đồ</title>").encode("utf-16"))
    (media / "ok.gif").write_bytes(_gif(100, 300))  # 100 frames of 300 × 300: 9 million pixels
    result = coursegen(project, "check")
    assert result.returncode == 0, result.report()


NAMES = ["x\x1b[2J\x1b]0;pwned\x07.png", "a.png\ncourse.yml:1: title: giả mạo.png",
         "b\u202egnp.exe.png"]


def test_file_names_cannot_drive_the_terminal_or_forge_a_diagnostic(tmp_path):
    project = _project(tmp_path)
    for name in NAMES:
        (project / "courses/mini-dvc/media" / name).write_bytes(b"not an image")
    result = coursegen(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.report()
    for char in ("\x1b", "\x07", "\u202e"):
        assert char not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(NAMES), result.report()  # one diagnostic per file: none forged by a line break
    assert all(DIAGNOSTIC.match(line) and line.startswith("courses/mini-dvc/media/") for line in lines), lines
    assert any(line.startswith("courses/mini-dvc/media/x\\x1b[2J\\x1b]0;pwned\\x07.png:1:") for line in lines), lines
    assert any("a.png\\ncourse.yml:1: title: giả mạo.png:1:" in line for line in lines), lines
    assert any("b\\u202egnp.exe.png:1:" in line for line in lines), lines
