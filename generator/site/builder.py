"""The site builder: runs mkdocs (with the coursegen plugin) into the staged output, then zips it.

mkdocs empties its ``site_dir`` before building, so the downloads other builders already wrote are
moved aside, handed to the plugin (which copies them back as site files, so links to them are
validated), and the side folder is removed afterwards.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..build import BuildContext
from ..diagnostics import CoursegenError
from .pages import OFFLINE_ZIP

DEFAULT_CONFIG = Path(__file__).parent / "default-mkdocs.yml"
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class _Collect(logging.Handler):
    """Keeps mkdocs warnings so a failed strict build can say exactly what broke."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def zip_site(site_dir: Path, target: Path) -> None:
    """A reproducible zip of the whole site (sorted entries, fixed dates) for USB distribution."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file() and path != partial and path != target:
                info = zipfile.ZipInfo(f"hoc-dvc/{path.relative_to(site_dir).as_posix()}", ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    os.replace(partial, target)


class SiteBuilder:
    name = "site"
    label = "Trang học (mkdocs-material)"

    def run(self, ctx: BuildContext) -> None:
        root = ctx.corpus.root
        config_file = root / "mkdocs.yml"
        overrides: dict = {"site_dir": str(ctx.out_dir), "strict": True}
        empty_docs = None
        if not config_file.is_file():
            config_file = DEFAULT_CONFIG
            empty_docs = tempfile.mkdtemp(prefix="coursegen-docs-")
            overrides["docs_dir"] = empty_docs
        side = ctx.out_dir.with_name(ctx.out_dir.name + ".downloads")
        shutil.rmtree(side, ignore_errors=True)
        side.mkdir()
        if ctx.downloads.exists():
            os.rename(ctx.downloads, side / "downloads")
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            config = load_config(config_file=str(config_file), **overrides)
            plugin = config.plugins["coursegen"]
            plugin.project_root = root
            plugin.corpus = ctx.corpus
            plugin.prebuilt = (ctx.downloads_made, side)
            mkdocs_build(config)
        except MkDocsException as exc:
            details = "\n".join(f"  - {m}" for m in collect.messages) or f"  - {exc}"
            raise CoursegenError(f"xây dựng trang học thất bại:\n{details}") from None
        finally:
            logger.removeHandler(collect)
            shutil.rmtree(side, ignore_errors=True)
            if empty_docs:
                shutil.rmtree(empty_docs, ignore_errors=True)
        zip_site(ctx.out_dir, ctx.out_dir / OFFLINE_ZIP)
