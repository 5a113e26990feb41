"""Preflight on crafted PDFs (issue 27, points 3, 5 and 10): each is generated here (under 100 KB), checked by
the real ``coursegen preflight`` under a memory limit and a time bound, and fails with its exact finding,
never a hang or a traceback. Web links stay allowed (a leaflet's QR code is one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile2 import pdfs
from tests.hostile2.limits import run_limited

ACTIVE = "; tệp in không được chứa nội dung có thể tự chạy"
CASES = {
    "cyclic_forms": "trang 1: nội dung: form /A vẽ lại chính nó (tham chiếu vòng tròn); máy in có thể bị treo",
    "fan_out_forms": "trang 1: nội dung: trang vẽ 111.111.111.111 form lồng nhau (tối đa 10.000); máy in có thể bị treo",
    "flate_bomb": "trang 1: nội dung: không đọc được nội dung trang (Limit reached while decompressing.",
    "names_for_numbers": "trang 1: nội dung: không đọc được nội dung trang (có tên /rong ở chỗ phải là một số)",
    "open_action_javascript": "tài liệu: nội dung chủ động: mã JavaScript khi mở tệp (OpenAction)" + ACTIVE,
    "launch_action": "tài liệu: nội dung chủ động: lệnh chạy chương trình (Launch) khi mở tệp (OpenAction)" + ACTIVE,
    "embedded_executable": "tài liệu: nội dung chủ động: tệp đính kèm nhúng trong tài liệu (EmbeddedFiles)" + ACTIVE,
    "javascript_name_tree": "tài liệu: nội dung chủ động: mã JavaScript của tài liệu (JavaScript trong /Names)" + ACTIVE,
    "page_additional_action": "trang 1: nội dung chủ động: mã JavaScript chạy tự động khi có sự kiện (AA)" + ACTIVE,
    "submit_form_link": "trang 1: nội dung chủ động: liên kết hoặc nút: gửi dữ liệu biểu mẫu (SubmitForm)" + ACTIVE,
    "rich_media": "trang 1: nội dung chủ động: chú thích nội dung đa phương tiện (RichMedia)" + ACTIVE,
    "chained_javascript": "trang 1: nội dung chủ động: liên kết hoặc nút: mã JavaScript" + ACTIVE,
}


def _preflight(path: Path):
    return run_limited("preflight", str(path), timeout=120)


@pytest.mark.parametrize("name", sorted(CASES))
def test_crafted_pdf_fails_preflight_with_its_finding(name, tmp_path):
    path = tmp_path / f"{name}.pdf"
    getattr(pdfs, name)(path)
    assert path.stat().st_size < 100_000
    result = _preflight(path)
    assert "Traceback" not in result.stderr, result.report()
    assert result.returncode == 1, result.report()
    assert f"{path}: {CASES[name]}" in result.stdout, result.report()
    assert f"KHÔNG ĐẠT: {path}:" in result.stderr, result.report()
    assert result.seconds < 40, result.report()


def test_a_web_link_is_not_active_content(tmp_path):
    path = tmp_path / "lien-ket.pdf"
    pdfs.web_link_only(path)
    result = _preflight(path)
    assert "Traceback" not in result.stderr and "nội dung chủ động" not in result.stdout, result.report()
