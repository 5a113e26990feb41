"""Placeholder print settings: a default build warns and stamps every print page; --release refuses them."""

from __future__ import annotations

import re
from pathlib import Path

from tests.build.conftest import identities
from tests.conftest import run_coursegen
from tests.leaflets.conftest import SITE_URL, release_ready, render, run, zbar

STAMP = "BẢN NHÁP – KHÔNG IN"


def _pages(path: Path) -> list[str]:
    return run("pdftotext", "-enc", "UTF-8", path, "-").split("\f")[:-1]


def test_default_build_warns_and_stamps_every_print_page(mini_project: Path) -> None:
    """The Quick start keeps working with the scaffold's settings, but nothing it makes can pass for final."""
    result = run_coursegen("-C", str(mini_project), "build")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^coursegen\.yml:2: site_url: cảnh báo: .*hoc-dvc\.example\.gov\.vn.*BẢN NHÁP – KHÔNG IN",
                     result.stderr, re.M), result.stderr
    leaflets = sorted((mini_project / "site/downloads/leaflets").iterdir())
    assert len(leaflets) == 6 and all(p.name.endswith("-ban-nhap.pdf") for p in leaflets)
    for path in leaflets:
        pages = _pages(path)
        assert len(pages) in (1, 2)
        for number, page in enumerate(pages, start=1):
            assert STAMP in page, f"{path.name} page {number} has no draft stamp"
    # The course page offers the drafts under their drafted names and says so.
    course_page = (mini_project / "site/khoa-hoc/mini-dvc/index.html").read_text(encoding="utf-8")
    assert "to-roi-a5-ban-in-ban-nhap.pdf" in course_page and "bản nháp" in course_page
    again = run_coursegen("-C", str(mini_project), "build")  # nothing to rebuild: still warned
    assert "Không có gì thay đổi" in again.stderr and "coursegen.yml:2: site_url: cảnh báo" in again.stderr


def test_release_build_refuses_scaffold_defaults_and_keeps_the_previous_site(bundled_project: Path) -> None:
    (bundled_project / "site").mkdir()
    (bundled_project / "site" / "index.html").write_text("bản trước", encoding="utf-8")
    before = identities(bundled_project / "site")
    result = run_coursegen("-C", str(bundled_project), "build", "--release")
    assert result.returncode == 1
    lines = (bundled_project / "coursegen.yml").read_text(encoding="utf-8").splitlines()
    for field in ("site_url", "publisher", "contact"):  # the footer's contact reaches citizens too
        line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"{field}:"))
        assert re.search(rf"^coursegen\.yml:{line}: {field}: .*giá trị mẫu.*--release", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.stderr and "không có gì bị ghi đè" in result.stderr
    assert identities(bundled_project / "site") == before


def test_release_build_refuses_a_reserved_domain(mini_project: Path) -> None:
    release_ready(mini_project)
    settings = mini_project / "coursegen.yml"
    for url in ("https://hoc.tinh.test/", "http://192.168.1.10/", "https://localhost:8000/", "https://dvc.example.com/"):
        settings.write_text(re.sub(r'site_url: ".*"', f'site_url: "{url}"', settings.read_text(encoding="utf-8")),
                            encoding="utf-8")
        result = run_coursegen("-C", str(mini_project), "build", "--release")
        assert result.returncode == 1, url
        assert "coursegen.yml:2: site_url: " in result.stderr and "tên miền" in result.stderr, result.stderr
    assert not (mini_project / "site").exists()


def test_release_build_with_real_settings_passes_preflight_and_leads_to_the_citizen_page(
        mini_project: Path, tmp_path: Path) -> None:
    release_ready(mini_project)
    result = run_coursegen("-C", str(mini_project), "build", "--release")
    assert result.returncode == 0, result.stderr
    assert "cảnh báo" not in result.stderr.split("Đọc học liệu")[0]
    folder = mini_project / "site/downloads/leaflets"
    prints = sorted(folder.glob("*-ban-in.pdf"))
    assert len(prints) == 3 and not list(folder.glob("*ban-nhap*"))
    checked = run_coursegen("preflight", *map(str, prints))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("ĐẠT: ") == 3
    assert f'mã QR dẫn tới "{SITE_URL}khoa-hoc/mini-dvc/lam-the-nao/", in rộng 50' in checked.stdout
    for path in prints:
        assert STAMP not in run("pdftotext", path, "-")
    # The large-print sheet's QR code opens the course's one-screen citizen page, which the site has.
    image = render(folder / "mini-dvc-to-roi-a4-chu-lon-ban-in.pdf", 1, 300, tmp_path / "sheet.png")
    [target] = zbar(image)
    assert target == f"{SITE_URL}khoa-hoc/mini-dvc/lam-the-nao/"
    page = mini_project / "site" / target.removeprefix(SITE_URL) / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Làm thủ tục trên điện thoại, không phải xếp hàng" in html
    assert "Tổ công nghệ số cộng đồng ở thôn, tổ dân phố." in html
    assert html.count("<li>") >= 5  # three steps, two places to ask
