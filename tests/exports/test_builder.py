"""The export step of ``coursegen build``: files registered as downloads, losses listed in the build output."""

from __future__ import annotations

import io
from pathlib import Path

from generator.build.orchestrate import build_project
from generator.build.progress import Progress


def test_exports_are_registered_and_losses_are_printed(mini_project: Path, tmp_path: Path):
    output = io.StringIO()
    ctx = build_project(mini_project, tmp_path / "site", progress=Progress(stream=output), only=["exports"])
    assert [(d.course_id, d.kind, d.label, d.path) for d in ctx.downloads_made] == [
        ("mini-dvc", "export", "Ngân hàng câu hỏi GIFT (Moodle)", "downloads/ngan-hang-cau-hoi/mini-dvc-gift.txt"),
        ("mini-dvc", "export", "Ngân hàng câu hỏi Moodle XML", "downloads/ngan-hang-cau-hoi/mini-dvc-moodle.xml"),
        ("mini-dvc", "export", "Gói câu hỏi IMS QTI 1.2 (Canvas, Blackboard…)",
         "downloads/ngan-hang-cau-hoi/mini-dvc-qti12.zip"),
    ]
    assert all((tmp_path / "site" / d.path).is_file() for d in ctx.downloads_made)
    printed = output.getvalue()
    for expected in (
        "mini-dvc (GIFT): GIFT không mang theo được hình: 1 câu được xuất không kèm hình",
        "mini-c003",
        "mini-dvc (GIFT): GIFT không giữ được thứ tự cố định của phương án, Moodle có thể xáo trộn 1 câu: mini-c006",
        "1 câu sắp xếp (mini-c005) được xuất dưới dạng câu ghép đôi",
    ):
        assert expected in printed
    assert ctx.notes and all(note in printed for note in ctx.notes)


def test_two_blank_cloze_is_listed_as_missing_from_gift(mini_project: Path, tmp_path: Path):
    bank = mini_project / "quizzes" / "mini-dvc.yml"
    text = bank.read_text(encoding="utf-8").replace("{{VNeID|định danh điện tử}}.", "{{VNeID}} trên {{điện thoại}}.")
    bank.write_text(text, encoding="utf-8")
    ctx = build_project(mini_project, tmp_path / "site", progress=Progress(quiet=True), only=["exports"])
    (note,) = [n for n in ctx.notes if "một chỗ trống" in n]
    assert note.endswith(": mini-c004")
    gift = (tmp_path / "site" / "downloads" / "ngan-hang-cau-hoi" / "mini-dvc-gift.txt").read_text(encoding="utf-8")
    assert "::mini-c004::" not in gift and "::mini-c005::" in gift
