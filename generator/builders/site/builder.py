"""The site builder: runs mkdocs (with the coursegen plugin) into the staged output, then zips it.

The build is always a mkdocs ``dirty`` build into the staged directory, with the coursegen plugin
deciding from content hashes which files are written (see ``reuse.py``): everything on a first or
clean build, only what changed otherwise. The downloads other builders wrote are already in place
and are registered as site files (so links to them are validated) that mkdocs never copies.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ...diagnostics import CoursegenError
from ...digests import digest_file
from ..contract import MANIFEST, BuildContext
from .offlinezip import file_digests, write_site_zip
from .pages import OFFLINE_ZIP
from .reuse import SiteReuse, source_date_epoch

DEFAULT_CONFIG = Path(__file__).parent / "default-mkdocs.yml"


class _Collect(logging.Handler):
    """Keeps mkdocs warnings so a failed strict build can say exactly what broke."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _NoDirtyWarning(logging.Filter):
    """mkdocs warns about every dirty build; ours decides what is stale itself (and strict counts warnings)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site as POSIX paths, except the offline zip itself and the manifest."""
    skip = {OFFLINE_ZIP, OFFLINE_ZIP + ".part", MANIFEST}
    found = []
    for folder, dirs, names in os.walk(site_dir):
        dirs.sort()
        base = Path(folder).relative_to(site_dir).as_posix()
        for name in names:
            relative = name if base == "." else f"{base}/{name}"
            if relative not in skip:
                found.append(relative)
    return sorted(found)


class SiteBuilder:
    name = "site"
    label = "Trang học (mkdocs-material)"

    def run(self, ctx: BuildContext) -> None:
        self.build_pages(ctx)
        self.finish(ctx)

    def build_pages(self, ctx: BuildContext) -> None:
        """The mkdocs part: pages, search index, assets (runs while downloads are still being written)."""
        root = ctx.corpus.root
        config_file = root / "mkdocs.yml"
        overrides: dict = {"site_dir": str(ctx.out_dir), "strict": True}
        empty_docs = None
        if not config_file.is_file():
            config_file = DEFAULT_CONFIG
            empty_docs = tempfile.mkdtemp(prefix="coursegen-docs-")
            overrides["docs_dir"] = empty_docs
        epoch = source_date_epoch(ctx.corpus)
        reuse = SiteReuse.for_build(ctx, epoch)
        collect = _Collect()
        quiet = _NoDirtyWarning()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # sitemap dates: reproducible
        try:
            config = load_config(config_file=str(config_file), **overrides)
            plugin = config.plugins["coursegen"]
            plugin.project_root = root
            plugin.corpus = ctx.corpus
            plugin.prebuilt = (ctx.downloads_made, ctx.out_dir)  # already written in place
            plugin.reuse = reuse
            mkdocs_build(config, dirty=True)
        except MkDocsException as exc:
            details = "\n".join(f"  - {m}" for m in collect.messages) or f"  - {exc}"
            raise CoursegenError(f"xây dựng trang học thất bại:\n{details}") from None
        finally:
            if saved_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
            logger.removeHandler(collect)
            if empty_docs:
                shutil.rmtree(empty_docs, ignore_errors=True)
        ctx.rebuilt += len(reuse.rebuilt)
        ctx.pages_rebuilt = sorted(reuse.rebuilt)
        ctx.reused += reuse.pages_total - len(reuse.rebuilt)
        ctx.site_state["manifest"] = {"context": reuse.context}
        ctx.site_state["summary"] = reuse.summary()

    def finish(self, ctx: BuildContext) -> None:
        """The offline zip of everything (once every download is written), reusing unchanged entries."""
        files = site_files(ctx.out_dir)
        digests = file_digests(ctx.out_dir, files, ctx.known)
        ctx.known.update(digests)
        for path in files:
            ctx.records.setdefault(path, {"builder": self.name, "course": None, "sources": {}})
        previous_zip, previous_digests = None, None
        previous = ctx.previous
        if previous is not None and ctx.previous_dir is not None and previous.data.get("code") == ctx.code:
            record = previous.outputs.get(OFFLINE_ZIP, {})
            candidate = ctx.previous_dir / OFFLINE_ZIP
            if record and candidate.is_file() and digest_file(candidate) == record.get("sha256"):
                previous_zip = candidate
                previous_digests = {path: r.get("sha256", "") for path, r in previous.outputs.items()}
        target = ctx.out_dir / OFFLINE_ZIP
        reused, fresh = write_site_zip(ctx.out_dir, target, files, digests, previous_zip, previous_digests)
        ctx.records[OFFLINE_ZIP] = {"builder": self.name, "course": None, "sources": {}}
        ctx.known[OFFLINE_ZIP] = digest_file(target)
        ctx.site_state["summary"] = (ctx.site_state.get("summary", "")
                                     + f"; bản ngoại tuyến: {reused} tệp dùng lại, {fresh} tệp nén mới")
