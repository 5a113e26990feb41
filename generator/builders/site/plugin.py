"""The ``coursegen`` mkdocs plugin: pages, media, assets and downloads generated from the course model.

It makes plain ``mkdocs build`` / ``mkdocs serve`` work the way mkdocs users expect (live preview of
courses/ and quizzes/), and it is what ``coursegen build`` runs for the site. When ``coursegen build``
drives it, the downloads were already built and are handed over in ``prebuilt``; under plain mkdocs
the plugin builds them itself into a cache folder (through ``build_downloads``, which the mkdocs entry
point ``generator/build/preview.py`` wires to the build machinery).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ...diagnostics import CoursegenError, SourceError
from ...model import Corpus
from ..contract import Download
from . import pages
from .pager import keep_within_courses
from .reuse import SiteReuse
from .searchindex import prepare_search_index

ASSETS = Path(__file__).parent / "assets"
OVERRIDES = Path(__file__).parent / "overrides"  # Vietnamese theme strings, footer, 404 page
QUIZ_JS = "assets/coursegen/quiz.js"
COPY_JS = "assets/coursegen/copy.js"  # "web" here, "offline" inside the offline zip (offlinezip.py)
HIGHLIGHT_JS = "assets/coursegen/search-highlight.js"
SEARCH_WORKER = ASSETS / "coursegen" / "search-worker.js"
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
SITE_CSS = "assets/coursegen/coursegen.css"
SHIM = "assets/vendor/iframe-worker/shim.js"
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FOR_LEARNERS = re.compile(r"\A---\s*\n(?:.*\n)*?reader:\s*learners\s*\n(?:.*\n)*?---\s*\n")
# Guides for course authors, print shops, LMS administrators, officials and whoever runs builds: a section
# of their own after the learners' menu (docs without "reader: learners" in their front matter).
STAFF_SECTION = "Tài liệu nghiệp vụ"


class CoursegenPluginConfig(Config):
    project = config_options.Type(str, default=".")


class CoursegenPlugin(BasePlugin[CoursegenPluginConfig]):
    def __init__(self) -> None:
        self.project_root: Path | None = None  # set by coursegen build; else derived from mkdocs.yml
        self.prebuilt: tuple[list[Download], Path] | None = None
        self.corpus: Corpus | None = None
        self.reuse: SiteReuse | None = None  # set by coursegen build: rebuild only what changed

    def load_corpus(self, root: Path) -> Corpus:
        """Read the project under plain mkdocs (``coursegen build`` hands its corpus over instead).

        The mkdocs entry point, ``generator.build.preview.PreviewPlugin``, provides it: a builder never
        imports the source readers or the build machinery itself.
        """
        raise PluginError("hãy chạy trang học qua plugin coursegen đã cài (generator.build.preview)")

    def build_downloads(self, corpus: Corpus, cache: Path) -> list[Download]:
        """The other builders' downloads into ``cache``, for plain mkdocs (see ``load_corpus``)."""
        raise PluginError("hãy chạy trang học qua plugin coursegen đã cài (generator.build.preview)")

    def root(self, config) -> Path:
        if self.project_root is not None:
            return self.project_root
        return (Path(config.config_file_path).parent / self.config.project).resolve()

    def on_config(self, config):
        if self.corpus is None:  # coursegen build hands over the corpus it already loaded
            try:
                self.corpus = self.load_corpus(self.root(config))
            except SourceError as exc:
                raise PluginError("Học liệu có lỗi:\n" + "\n".join(d.format() for d in exc.diagnostics)) from None
        settings = self.corpus.settings
        config.site_name = pages.html_title(settings.site_name)  # the theme inserts it unescaped
        config.site_url = settings.site_url
        config.extra["coursegen"] = {"publisher": settings.publisher, "province": settings.province,
                                     "contact": settings.contact}  # the footer (overrides/partials/copyright.html)
        config.extra.setdefault("polyfills", [])
        if SHIM not in config.extra["polyfills"]:
            config.extra["polyfills"].insert(0, SHIM)
        if SITE_CSS not in config.extra_css:
            config.extra_css.append(SITE_CSS)
        for script in (COPY_JS, QUIZ_JS, HIGHLIGHT_JS):
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        # Material's highlighter marks substrings ("phí" inside "phía"); search-highlight.js replaces it
        features = config.theme.get("features") or []
        if "search.highlight" in features:
            features.remove("search.highlight")
        if str(OVERRIDES) not in config.theme.dirs:  # after the project's own custom_dir, before Material
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        guides = self.guides(Path(config.docs_dir))
        config.nav = pages.nav(self.corpus, [(title, uri) for title, uri, learners in guides if learners])
        staff = [{title: uri} for title, uri, learners in guides if not learners]
        if staff:
            config.nav.append({STAFF_SECTION: staff})
        return config

    @staticmethod
    def guides(docs_dir: Path) -> list[tuple[str, str, bool]]:
        """User guides written by hand in docs/: (title from the first heading, path, for learners and teachers)."""
        result = []
        if not docs_dir.is_dir():
            return result
        # the overview page "huong-dan.md" first, then the guides by file name
        for path in sorted(docs_dir.rglob("*.md"), key=lambda p: (p.name != "huong-dan.md", p.as_posix())):
            uri = path.relative_to(docs_dir).as_posix()
            if uri in ("index.md", pages.CATALOGUE) or uri.startswith("khoa-hoc/"):
                raise PluginError(f"docs/{uri}: trùng đường dẫn với trang do coursegen tạo; hãy đổi tên tệp")
            text = path.read_text(encoding="utf-8")
            match = _H1.search(text)
            result.append((match.group(1).strip() if match else path.stem, uri, bool(_FOR_LEARNERS.match(text))))
        return result

    def downloads(self, config) -> tuple[list[Download], Path | None]:
        if self.prebuilt is not None:
            return self.prebuilt
        cache = self.root(config) / ".coursegen-cache" / "preview"
        try:
            made = self.build_downloads(self.corpus, cache)
        except CoursegenError as exc:
            raise PluginError(str(exc)) from None
        return made, cache

    def on_files(self, files: Files, config) -> Files:
        assert self.corpus is not None
        made, source_dir = self.downloads(config)
        generated: dict[str, str] = {}
        for page in pages.all_pages(self.corpus, made, directory_urls=config.use_directory_urls):
            files.append(File.generated(config, page.uri, content=page.markdown))
            generated[page.uri] = page.markdown
        for course in self.corpus.courses:
            if course.media_dir.is_dir():
                for path in sorted(course.media_dir.iterdir()):
                    if path.is_file() and not path.name.startswith("."):
                        files.append(File.generated(config, pages.media_uri(course, path.name), abs_src_path=str(path)))
        use_vietnamese_search(files, config)
        for path in sorted(ASSETS.rglob("*")):
            if path.is_file():
                files.append(File.generated(config, f"assets/{path.relative_to(ASSETS).as_posix()}", abs_src_path=str(path)))
        if source_dir is not None:
            for download in made:
                files.append(File.generated(config, download.path, abs_src_path=str(source_dir / download.path)))
        if self.reuse is not None:
            self.reuse.plan(files, config, self.corpus, generated)
        return files

    def on_nav(self, nav, *, config, files):
        if self.reuse is not None:
            self.reuse.read_titles(files, config)
        keep_within_courses(nav)
        return nav

    def on_env(self, env, *, config, files):
        if self.reuse is not None:
            self.reuse.render_guides(files, config)
        return env

    def on_template_context(self, context, *, template_name, config):
        """The 404 page with relative links, so it works from file:// (a tiny script sets <base> on a server)."""
        if template_name == "404.html":
            context["base_url"] = "."
            context["server_base"] = urlsplit(config.site_url or "/").path or "/"
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        """Put each quiz into its slot in the final HTML, so Markdown and search never parse quizzes."""
        if self.reuse is not None:
            self.reuse.page_done(page)
        assert self.corpus is not None
        return pages.fill_quiz_slots(self.corpus, output)

    @event_priority(-50)  # after the search plugin wrote its index, before the offline plugin inlines it
    def on_post_build(self, *, config) -> None:
        if self.reuse is not None and self.reuse.merge_search_index(Path(config.site_dir)):
            return  # merged with the previous build's folded entries
        prepare_search_index(Path(config.site_dir))


def use_vietnamese_search(files: Files, config) -> None:
    """Put coursegen's search worker at the URL of Material's, and drop lunr, which nothing loads then.

    Material documents its worker as the replaceable part of search (same messages, same URL in the
    page config); its search box, result list and keyboard handling are kept.
    """
    for file in list(files):
        uri = file.src_uri
        if uri.startswith("assets/javascripts/lunr/") or (uri.startswith("assets/javascripts/workers/") and uri.endswith(".map")):
            files.remove(file)
        elif _MATERIAL_WORKER.fullmatch(uri):
            files.remove(file)
            files.append(File.generated(config, uri, abs_src_path=str(SEARCH_WORKER)))
