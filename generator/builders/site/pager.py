"""Previous/Next links that stay inside a course.

mkdocs chains every page of the site in menu order, so the footer of a course's last page led into
another audience's course. Here a course's pages link only to each other, the last one back to the course
page; the other pages (home, catalogue, guides, dashboard) link among themselves and to course pages only.
"""

from __future__ import annotations

import re

_COURSE = re.compile(r"^khoa-hoc/([^/]+)/")
CITIZEN_PAGE = "lam-the-nao"  # the folder of the citizen page (pages.citizen_page)


def course_of(src_uri: str) -> str | None:
    match = _COURSE.match(src_uri)
    return match.group(1) if match else None


def keep_within_courses(nav) -> None:
    """Rewrite ``previous_page``/``next_page`` of every page of the navigation in place."""
    pages = list(nav.pages)
    courses: dict[str, list] = {}
    outside = []
    citizen_pages = []  # "làm thế nào": one screen a QR code leads citizens to, not a step of the course
    for page in pages:
        course = course_of(page.file.src_uri)
        if course is not None and page.file.src_uri == f"khoa-hoc/{course}/{CITIZEN_PAGE}/index.md":
            citizen_pages.append((course, page))
            continue
        if course is None or page.file.src_uri == f"khoa-hoc/{course}/index.md":
            outside.append(page)
        if course is not None:
            courses.setdefault(course, []).append(page)
    for chain in courses.values():
        _link(chain)
        index = next((p for p in chain if p.file.src_uri.endswith("/index.md")), None)
        if index is not None and chain[-1] is not index:
            chain[-1].next_page = index  # the final check leads back to the course page
    for course, page in citizen_pages:  # no previous step; the next page is the whole course
        page.previous_page = None
        page.next_page = next((p for p in courses.get(course, []) if p.file.src_uri.endswith("/index.md")), None)
    for page in outside:  # course pages: keep their in-course links, set below for the others
        if course_of(page.file.src_uri) is not None:
            continue
        position = outside.index(page)
        page.previous_page = outside[position - 1] if position > 0 else None
        page.next_page = outside[position + 1] if position + 1 < len(outside) else None


def _link(chain: list) -> None:
    for position, page in enumerate(chain):
        page.previous_page = chain[position - 1] if position > 0 else None
        page.next_page = chain[position + 1] if position + 1 < len(chain) else None
