"""All interface text Vietnamese: no English string of Material for MkDocs in any built page; 404 offline."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.site.conftest import RecordingPage, file_url

MATERIAL = Path(__import__("material").__file__).parent / "templates"
NOT_INTERFACE = {"language", "direction", "search.config.lang", "search.config.pipeline", "search.config.separator",
                 "blog.categories.in"}
EXTRA = ["Made with", "Material for MkDocs", "Permanent link", "404 - Not found"]


def english_strings() -> list[str]:
    """Every English interface string Material has (its en.html, read from the installed theme) and ours."""
    text = (MATERIAL / "partials/languages/en.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'"([a-z.]+)": "([^"]+)"', text))
    return sorted({v.replace("#", "").strip() for k, v in found.items() if k not in NOT_INTERFACE} | set(EXTRA))


def test_no_english_material_string_in_any_page(bundled_site: Path, mini_site: Path) -> None:
    strings = english_strings()
    assert len(strings) > 40 and "Initializing search" in strings and "Back to top" in strings
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in strings) + r")(?![\w-])")
    pages = [p for site in (bundled_site, mini_site) for p in sorted(site.rglob("*.html"))]
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        hits = sorted(set(pattern.findall(html)))
        assert hits == [], f"{page}: {hits}"
        assert ">Trang học được tạo bằng coursegen.<" in html, page


def test_404_page_is_vietnamese_and_works_from_file(bundled_site: Path, recording_page: RecordingPage) -> None:
    html = (bundled_site / "404.html").read_text(encoding="utf-8")
    assert not re.search(r'(?:href|src)="/', html)  # no root paths: they break from file://
    page = recording_page.page
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(file_url(bundled_site / "404.html"))
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    assert page.locator("link[rel=stylesheet]").count() >= 2
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"  # styled
    assert failed == [] and recording_page.external_requests() == []
    page.locator("article").get_by_role("link", name="Xem danh mục khóa học").click()
    expect(page.locator("h1")).to_contain_text("Danh mục khóa học")
