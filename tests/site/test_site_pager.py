"""Previous/Next in every built page's footer stays inside its course; a course's last page leads back."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

LINK = re.compile(r'<a href="([^"]+)" class="md-footer__link md-footer__link--(prev|next)"')
COURSE = re.compile(r"^khoa-hoc/([^/]+)/")


def footer_links(site: Path) -> dict[str, dict[str, str]]:
    found = {}
    for path in sorted(site.rglob("*.html")):
        uri = path.relative_to(site).as_posix()
        if uri == "404.html":
            continue
        links = {kind: posixpath.normpath(posixpath.join(posixpath.dirname(uri), href))
                 for href, kind in LINK.findall(path.read_text(encoding="utf-8"))}
        found[uri] = links
    return found


def test_prev_next_never_leave_a_course(bundled_site: Path, mini_site: Path) -> None:
    for site in (bundled_site, mini_site):
        links = footer_links(site)
        courses = {m.group(1) for uri in links if (m := COURSE.match(uri))}
        assert courses
        for uri, targets in links.items():
            for kind, target in targets.items():
                assert (site / target).is_file(), (uri, kind, target)
                course, target_course = COURSE.match(uri), COURSE.match(target)
                if course:  # inside a course: only to the same course
                    assert target_course and target_course.group(1) == course.group(1), (uri, kind, target)
                elif target_course:  # from outside: only to a course's own page, never into its middle
                    assert target == f"khoa-hoc/{target_course.group(1)}/index.html", (uri, kind, target)
        for course in courses:
            final = f"khoa-hoc/{course}/kiem-tra-cuoi-khoa.html"
            assert links[final].get("next") == f"khoa-hoc/{course}/index.html", final
            assert "prev" not in links[f"khoa-hoc/{course}/index.html"]


def test_learners_menu_lists_only_their_guides_and_staff_docs_come_after(bundled_site: Path) -> None:
    html = (bundled_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    learners = re.search(r">\s*Hướng dẫn\s*<", nav).start()
    staff = re.search(r">\s*Tài liệu nghiệp vụ\s*<", nav).start()
    assert learners < staff
    section = nav[learners:staff]
    assert "trang-hoc.html" in section and "bo-the-anki.html" in section
    for doc in ("soan-khoa-hoc", "an-toan-dau-vao", "xay-dung", "xuat-ngan-hang-cau-hoi", "to-roi-in-an",
                "bao-cao-do-phu", "ra-soat-thpt-dvctt"):
        assert f"{doc}.html" not in section and f"{doc}.html" in nav[staff:], doc
    assert "coursegen build" not in (bundled_site / "trang-hoc.html").read_text(encoding="utf-8")
