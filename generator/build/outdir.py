"""Where ``coursegen build`` may write: a build replaces its whole output folder, so that folder must
never be the project, hold the project, lie inside the sources, or be a folder of other files.

A typo such as ``--out courses`` or ``--out ~/Documents`` would otherwise swap the site in and delete
what was there.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import CoursegenError

SOURCES = ("courses", "quizzes", "docs", "coursegen.yml", "mkdocs.yml")
MARKERS = ("manifest.json", "index.html", "sitemap.xml")  # what a site built by coursegen holds


def check_output_dir(root: Path, target: Path, *, chosen: bool = True) -> None:
    """Raise ``CoursegenError`` (Vietnamese) unless replacing ``target`` with a new site loses nothing.

    ``chosen=False`` is the project's own site/ folder: coursegen's by convention, whatever it holds.
    """
    root, out = root.resolve(), target.resolve()
    if out == root or root.is_relative_to(out):
        raise CoursegenError(f"thư mục đầu ra {target} là thư mục dự án hoặc chứa dự án; bản dựng sẽ xóa học liệu."
                             " Hãy chọn một thư mục riêng, ví dụ site/")
    for name in SOURCES:
        source = (root / name).resolve()
        if out == source or out.is_relative_to(source):
            raise CoursegenError(f"thư mục đầu ra {target} nằm trong {name} của dự án; bản dựng sẽ xóa học liệu."
                                 " Hãy chọn một thư mục riêng, ví dụ site/")
    if out.is_file():
        raise CoursegenError(f"{target} là một tệp, không phải thư mục đầu ra")
    if chosen and out.is_dir() and any(out.iterdir()) and not any((out / marker).is_file() for marker in MARKERS):
        raise CoursegenError(f"thư mục đầu ra {target} đã có tệp không phải trang học do coursegen dựng; bản dựng"
                             " thay toàn bộ thư mục này. Hãy chọn thư mục trống hoặc thư mục site/ cũ")
