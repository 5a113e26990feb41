"""The ``leaflets`` build step: three leaflets per course, each as a print PDF and a proof PDF.

Files go to ``downloads/leaflets/<course>-<kind>-<mode>.pdf``. Text that does not fit at the
smallest allowed size stops the build with one message per course and field; the staged build
directory is then thrown away, so nothing half-written is published.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ...diagnostics import CoursegenError
from ...model import Corpus, Course
from ...render.printready import DRAFT_SLUG, is_draft
from ..contract import BuildContext
from .content import LeafletText, field_line, glyph_problems, leaflet_text
from .flyer import render_flyer
from .largeprint import render_large_print
from .layout import LayoutOverflow
from .sheet import Mode
from .trifold import render_trifold


@dataclass(frozen=True)
class Variant:
    slug: str  # file-name part
    label: str  # Vietnamese, for download lists and messages
    minimum: str  # smallest body size, for messages
    render: Callable[[LeafletText, Mapping[Mode, Path]], None]
    citizen: bool = False  # made from the course's large_print: block, only when it has one


VARIANTS: tuple[Variant, ...] = (
    Variant("to-roi-a5", "Tờ rơi A5", "9,5 pt", render_flyer),
    # The citizen's sheet keeps the file name of the large-print flyer it replaces.
    Variant("to-roi-a4-chu-lon", "Tờ rơi A4 chữ lớn", "18 pt", render_large_print, citizen=True),
    Variant("to-gap-a4", "Tờ gấp A4 ba mặt", "9 pt", render_trifold),
)
MODE_SLUGS = {Mode.PRINT: "ban-in", Mode.PROOF: "ban-xem"}


def variants_for(course: Course) -> tuple[Variant, ...]:
    return tuple(v for v in VARIANTS if not v.citizen or course.large_print is not None)


def leaflet_paths(folder: Path, course_id: str, variant: Variant, draft: bool = False) -> dict[Mode, Path]:
    """File per mode; a draft (placeholder settings) says so in its name: ``…-ban-in-ban-nhap.pdf``."""
    mark = f"-{DRAFT_SLUG}" if draft else ""
    return {mode: folder / f"{course_id}-{variant.slug}-{MODE_SLUGS[mode]}{mark}.pdf" for mode in Mode}


def mode_label(mode: Mode, draft: bool) -> str:
    return f"{mode.label}, bản nháp" if draft else mode.label


def overflow_message(corpus: Corpus, course: Course, variant: Variant, exc: LayoutOverflow) -> str:
    """``path:line: field: …`` in Vietnamese, naming the course, the leaflet and the panel or page."""
    if exc.ref is None:
        where, field = f"{course.source.path}:{course.source.line}", "leaflet"
    else:
        where, field = f"{exc.ref.file}:{field_line(corpus.root, exc.ref)}", exc.ref.label
    panel = f" ({exc.where})" if exc.where else ""
    if exc.word:
        shown = exc.word if len(exc.word) <= 40 else exc.word[:40] + "…"
        problem = f'từ "{shown}" rộng hơn cột chữ của {variant.label}{panel}'
    elif exc.max_lines:
        problem = f"chữ dài quá {exc.max_lines} dòng, chỗ dành cho nó trên {variant.label}{panel}"
    else:
        over = f", thiếu khoảng {max(1, round(exc.excess / 72 * 25.4))} mm" if exc.excess > 0 else ""
        problem = (f"chữ không vừa {variant.label}{panel} ngay cả ở cỡ chữ nhỏ nhất cho phép"
                   f" ({variant.minimum}){over}")
    return f'{where}: {field}: khóa học "{course.id}": {problem}; hãy rút gọn nội dung này.'


def build_leaflets(corpus: Corpus, folder: Path, courses: tuple[Course, ...] | None = None
                   ) -> tuple[list[tuple[Course, Variant, dict[Mode, Path]]], list[str]]:
    """Write every leaflet of ``courses`` (default: all) into ``folder``; return what was written and the errors."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Course, Variant, dict[Mode, Path]]] = []
    errors: list[str] = []
    for course in courses if courses is not None else corpus.courses:
        text = leaflet_text(corpus, course)
        if unprintable := glyph_problems(corpus, text):
            errors.extend(unprintable)
            continue
        for variant in variants_for(course):
            paths = leaflet_paths(folder, course.id, variant, text.draft)
            try:
                variant.render(text, paths)
            except LayoutOverflow as exc:
                errors.append(overflow_message(corpus, course, variant, exc))
                continue
            written.append((course, variant, paths))
    return written, errors


class LeafletBuilder:
    name = "leaflets"
    label = "Tờ rơi, tờ gấp (PDF in được)"

    def run(self, ctx: BuildContext) -> None:
        self._write(ctx, ctx.corpus.courses)

    # Per course, for incremental builds: a course's leaflets depend on its course.yml, the settings
    # (site address, publisher) and how many lessons it has, not on what the lessons say.
    def inputs(self, corpus: Corpus, course: Course) -> list[str]:
        return [course.source.path, corpus.settings.source.path, f"names:{course.source.path.rsplit('/', 1)[0]}/lessons/"]

    def downloads(self, corpus: Corpus, course: Course) -> list[tuple[str, str, str]]:
        draft = is_draft(corpus.settings)
        return [("leaflet", f"{variant.label} ({mode_label(mode, draft)})", f"downloads/leaflets/{path.name}")
                for variant in variants_for(course)
                for mode, path in leaflet_paths(Path(), course.id, variant, draft).items()]

    def run_course(self, ctx: BuildContext, course: Course) -> None:
        self._write(ctx, (course,))

    def _write(self, ctx: BuildContext, courses: tuple[Course, ...]) -> None:
        written, errors = build_leaflets(ctx.corpus, ctx.downloads / "leaflets", courses)
        if errors:
            raise CoursegenError("tờ rơi không dàn trang được:\n" + "\n".join(errors))
        draft = is_draft(ctx.corpus.settings)
        for course, variant, paths in written:
            for mode, path in paths.items():
                ctx.add_download(course.id, "leaflet", f"{variant.label} ({mode_label(mode, draft)})", path)
