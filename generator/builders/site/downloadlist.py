"""The course page's downloads, grouped by who they are for, each with its format and one line on its use.

Learners and teachers see theirs first; the print shop's files (bleed and crop marks: not for an office
printer) and the LMS question banks are in a folded block below, so students are not offered them.
"""

from __future__ import annotations

import posixpath

from ...render.printready import DRAFT_SLUG
from ..contract import Download

# (group title, folded?) in display order; each download goes to the first group whose test accepts it
GROUPS = (
    ("Cho học sinh và người học", False),
    ("Cho giáo viên: in tại trường", False),
    ("Cho nhà in", True),
    ("Cho quản trị hệ thống học tập (Moodle, Canvas…)", True),
)


def describe(download: Download) -> tuple[int, str, str]:
    """(group index, format, one line on what it is) of a download."""
    name = posixpath.basename(download.path)
    stem = posixpath.splitext(name)[0].removesuffix(f"-{DRAFT_SLUG}")  # a draft is still a press or an office file
    if download.kind == "deck" or name.endswith(".apkg"):
        return 0, "Anki (.apkg)", "ôn câu hỏi của khóa trên ứng dụng Anki, máy tính hoặc điện thoại"
    if download.kind == "leaflet" and stem.endswith("-ban-in"):
        return 2, "PDF CMYK, có lề tràn và dấu cắt", "gửi nhà in; không in bản này trên máy in văn phòng"
    if download.kind == "leaflet":
        return 1, "PDF đúng khổ", "in trên máy in văn phòng để phát cho học sinh, phụ huynh"
    formats = {".txt": "GIFT (.txt)", ".xml": "Moodle XML (.xml)", ".zip": "IMS QTI 1.2 (.zip)"}
    return 3, formats.get(posixpath.splitext(name)[1], posixpath.splitext(name)[1].lstrip(".").upper()), \
        "nhập vào ngân hàng câu hỏi của hệ thống học tập"


def downloads_markdown(link, esc, downloads: list[Download]) -> list[str]:
    """Markdown lines of the grouped list; ``link(path)`` gives the relative URL, ``esc`` escapes text."""
    grouped: dict[int, list[str]] = {}
    for d in downloads:
        group, fmt, use = describe(d)
        grouped.setdefault(group, []).append(f"[{esc(d.label)}]({link(d.path)}) — {esc(fmt)}: {esc(use)}.")
    lines: list[str] = []
    for index, (title, folded) in enumerate(GROUPS):
        items = grouped.get(index)
        if not items:
            continue
        if folded:
            lines += [f'??? note "{title}"', ""] + [f"    - {item}" for item in items] + [""]
        else:
            lines += [f"**{title}**", ""] + [f"- {item}" for item in items] + [""]
    return lines
