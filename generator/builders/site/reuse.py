"""Incremental site builds: rebuild only the pages whose content changed, keep the rest byte for byte.

mkdocs skips a file in a ``dirty`` build when ``File.is_modified()`` is False. Here that answer comes
from content hashes, never from modification times: each page's *input* is the hash of its generated
Markdown (plus its question bank when a quiz is inserted into it), each copied file's input is its
source hash. Everything that appears on every page (navigation and titles, configuration, theme,
coursegen's code, the site date) forms the *context*; when it changes, every page is rebuilt.
Unchanged outputs are copied from the previous ``site/`` after their recorded hash is checked.

Three things mkdocs does not do in a dirty build are done here: titles of pages that are not rebuilt
are read (for the navigation and footers), the guides and the pages they link to are rendered again so
that links to headings are still checked, and the search index is merged: entries of pages not rebuilt
come from the previous index, in the same order as a clean build would give.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from mkdocs.commands.build import _populate_page  # mkdocs 1.6: read and render one page
from mkdocs.structure.files import File, Files

from ...digests import copy_verified, digest_bytes, digest_file, digest_json
from ...model import Corpus
from ..contract import BuildContext
from . import pages
from .searchindex import SEARCH_INDEX, prepare_search_index


def _no() -> bool:
    return False


def _yes() -> bool:
    return True


def _front(markdown: str) -> str:
    """The front matter of a generated page (title, description, search settings)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---", 4)
        if end > 0:
            return markdown[: end + 4]
    return ""


@dataclass
class SiteReuse:
    """What the coursegen plugin needs to build only the changed pages of a site."""

    ctx: BuildContext
    epoch: int  # SOURCE_DATE_EPOCH of this build
    previous: dict[str, dict] = field(default_factory=dict)  # output path → record of the previous build
    previous_context: str = ""
    previous_dir: Path | None = None
    full: bool = True
    context: str = ""
    rebuilt: set[str] = field(default_factory=set)  # src_uri of pages rebuilt
    pages_total: int = 0
    files_reused: int = 0
    downloads: set[str] = field(default_factory=set)
    files: Files | None = None

    @classmethod
    def for_build(cls, ctx: BuildContext, epoch: int) -> SiteReuse:
        reuse = cls(ctx, epoch)
        if ctx.previous is not None and ctx.previous_dir is not None:
            reuse.previous = ctx.previous.outputs
            reuse.previous_context = ctx.previous.site.get("context", "")
            reuse.previous_dir = ctx.previous_dir
        return reuse

    # -- on_files: decide, per file, whether mkdocs must write it ---------------------------------
    def plan(self, files: Files, config, corpus: Corpus, generated: dict[str, str]) -> None:
        ctx = self.ctx
        root = corpus.root
        self.files = files
        self.downloads = {d.path for d in ctx.downloads_made}
        custom = config.theme.custom_dir
        custom_rel = _relative(Path(custom), root) if custom else None
        self.context = digest_json({
            "code": ctx.code,
            "config": ctx.sources.get("mkdocs.yml", "default"),
            "settings": ctx.sources.get("coursegen.yml", "-"),
            "nav": config.nav,
            "fronts": {uri: _front(markdown) for uri, markdown in generated.items()},
            "pages": sorted(f.src_uri for f in files.documentation_pages()),
            "theme": {p: h for p, h in ctx.sources.items() if custom_rel and p.startswith(custom_rel + "/")},
            "epoch": self.epoch,
        })
        self.full = not (self.previous and self.previous_context == self.context and self._previous_index_ok())
        describe = _Describer(corpus, ctx.sources, generated)
        for file in files:
            dest = file.dest_uri
            if dest in self.downloads:
                file.is_modified = _no  # written by their own builders, already in place
                continue
            course, sources, digest = describe(file)
            ctx.records[dest] = {"builder": "site", "course": course, "sources": sources, "input": digest}
            if not self.full and self._copy(dest, digest):
                file.is_modified = _no
                self.files_reused += 1
            else:
                file.is_modified = _yes
                if file.is_documentation_page():
                    self.rebuilt.add(file.src_uri)
        if not self.full:
            # 404.html and the sitemap show only the navigation and the page list: part of the context.
            for name in sorted(config.theme.static_templates):
                outputs = [name, f"{name}.gz"] if name == "sitemap.xml" else [name]
                if all(self._copy(output, None) for output in outputs):
                    config.theme.static_templates.discard(name)
        self.pages_total = len(files.documentation_pages())
        ctx.progress.start("Trang", len(self.rebuilt))

    def _previous_index_ok(self) -> bool:
        """The previous search index is there and is the one recorded (its entries will be merged)."""
        record = self.previous.get(SEARCH_INDEX)
        path = self.previous_dir / SEARCH_INDEX if self.previous_dir is not None else None
        return bool(record) and path is not None and path.is_file() and digest_file(path) == record.get("sha256")

    def _copy(self, dest: str, digest: str | None) -> bool:
        record = self.previous.get(dest)
        if record is None or record.get("input") != digest or self.previous_dir is None:
            return False
        if not copy_verified(self.previous_dir / dest, self.ctx.out_dir / dest, record.get("sha256")):
            return False
        self.ctx.known[dest] = record["sha256"]
        self.ctx.copied.add(dest)
        return True

    # -- on_nav: titles of the pages that are not rebuilt ----------------------------------------
    def read_titles(self, files: Files, config) -> None:
        for file in files.documentation_pages():
            if file.src_uri not in self.rebuilt and file.page is not None and file.page.markdown is None:
                file.page.read_source(config)

    # -- on_env: check links to headings from the guides, as a clean build does ------------------
    def render_guides(self, files: Files, config) -> None:
        if self.full:
            return
        docs = Path(config.docs_dir)
        guides = [f for f in files.documentation_pages()
                  if f.abs_src_path and _inside(Path(f.abs_src_path), docs) and f.page is not None]
        for file in guides:
            if file.page.content is None:
                _populate_page(file.page, config, files)
        for file in guides:
            for target in (file.page.links_to_anchors or {}):
                if target.page is not None and target.page.present_anchor_ids is None:
                    _populate_page(target.page, config, files)

    def page_done(self, page) -> None:
        self.ctx.progress.advance("Trang", page.file.src_uri)

    # -- on_post_build: one search index for the whole site ----------------------------------
    def merge_search_index(self, site_dir: Path) -> bool:
        """Entries of rebuilt pages from this build, the others from the previous index, in page order.

        Only the new entries are prepared (``searchindex``); the previous ones were prepared by the same
        code. Returns False when nothing was merged (a full build: the caller prepares the whole index).
        """
        if self.full:
            return False
        path = site_dir / SEARCH_INDEX
        assert self.previous_dir is not None and self.files is not None
        try:
            old = json.loads((self.previous_dir / SEARCH_INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"chỉ mục tìm kiếm của lần dựng trước không đọc được: {exc}") from None
        with tempfile.TemporaryDirectory(prefix="coursegen-search-") as scratch:
            prepared = Path(scratch) / SEARCH_INDEX
            prepared.parent.mkdir(parents=True)
            shutil.copyfile(path, prepared)
            prepare_search_index(Path(scratch))
            new = json.loads(prepared.read_text(encoding="utf-8"))

        def by_page(docs: list[dict]) -> dict[str, list[dict]]:
            grouped: dict[str, list[dict]] = {}
            for entry in docs:
                grouped.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
            return grouped

        old_docs, new_docs = by_page(old.get("docs", [])), by_page(new.get("docs", []))
        merged: list[dict] = []
        for file in self.files.documentation_pages():
            source = new_docs if file.src_uri in self.rebuilt else old_docs
            merged.extend(source.get(file.url, []))
        new["docs"] = merged
        path.write_text(json.dumps(new, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")  # as searchindex
        return True

    def summary(self) -> str:
        pages_rebuilt = len(self.rebuilt)
        how = "dựng toàn bộ" if self.full else "chỉ dựng phần đổi"
        return (f"{pages_rebuilt}/{self.pages_total} trang dựng lại, {self.files_reused} tệp dùng lại ({how})")


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


class _Describer:
    """Course, sources and input hash of one site file."""

    def __init__(self, corpus: Corpus, sources: dict[str, str], generated: dict[str, str]):
        self.root = corpus.root
        self.sources = sources
        self.generated = generated
        self.courses = {c.id: c for c in corpus.courses}
        self.lessons = {pages.lesson_page(c, lesson): lesson.source.path for c in corpus.courses for lesson in c.lessons}
        everything = {"coursegen.yml"} | {c.source.path for c in corpus.courses} | {c.quiz_source for c in corpus.courses}
        self.overview = self._pick(everything)

    def _pick(self, paths) -> dict[str, str]:
        return {p: self.sources.get(p, "-") for p in sorted(p for p in paths if p)}

    def __call__(self, file: File) -> tuple[str | None, dict[str, str], str | None]:
        uri = file.src_uri
        if uri in self.generated:
            return self._page(uri)
        relative = _relative(Path(file.abs_src_path), self.root) if file.abs_src_path else None
        if relative is None or relative not in self.sources:
            return None, {}, None  # theme and coursegen assets: part of the context
        parts = uri.split("/")
        course = parts[1] if len(parts) > 2 and parts[0] == "khoa-hoc" and parts[1] in self.courses else None
        return course, {relative: self.sources[relative]}, self.sources[relative]

    def _page(self, uri: str) -> tuple[str | None, dict[str, str], str | None]:
        markdown = self.generated[uri]
        parts = uri.split("/")
        course = self.courses.get(parts[1]) if len(parts) > 2 and parts[0] == "khoa-hoc" else None
        if course is None:
            sources = self.overview
        else:
            folder = course.source.path.rsplit("/", 1)[0] + "/"
            if uri in self.lessons:
                paths = {course.source.path, self.lessons[uri], course.quiz_source}
            elif uri == pages.course_page(course):
                paths = {p for p in self.sources if p.startswith(folder) and not p.startswith(folder + "media/")}
                paths.add(course.quiz_source)
            else:
                paths = {course.source.path, course.quiz_source}
            sources = self._pick(paths)
        salt = ""
        if 'class="cg-quiz-slot"' in markdown and course is not None:
            salt = self.sources.get(course.quiz_source, "-")  # the quiz is inserted after Markdown
        return (course.id if course else None), sources, digest_bytes((markdown + "\0" + salt).encode("utf-8"))


def source_date_epoch(corpus: Corpus) -> int:
    """The site's date (sitemap ``lastmod``): the newest course release, so rebuilds do not change it."""
    dates = [c.release_date for c in corpus.courses]
    newest = max(dates) if dates else date(2020, 1, 1)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())
