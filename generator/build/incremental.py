"""Content hashes of sources and outputs, and the build manifest (``site/manifest.json``).

A build must cost in proportion to what changed. Everything here is decided by content (SHA-256),
never by modification times: a source's hash, the hash of coursegen's own code (a code or library
change invalidates everything) and, per output, the hashes it was built from. The manifest records
that for every output file, so the next build can reuse what did not change and a print shop or a
school can compare two releases (``coursegen diff-manifest``). It holds no absolute paths and no
timestamps: the same sources give the same bytes.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..builders.contract import Manifest
from ..digests import digest_file, digest_json

FORMAT = "coursegen-manifest/1"
# Libraries whose version changes the bytes of some output.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "genanki", "reportlab", "pillow",
             "pyyaml", "fontpkg-be-vietnam-pro")
_CODE = Path(__file__).resolve().parent.parent
_SETTING = re.compile(r"^(docs_dir|custom_dir)\s*:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


def _walk(top: Path) -> Iterable[Path]:
    """Regular files below ``top``, skipping hidden names (editors' and systems' files the loader never reads).

    Pipes, devices and broken or looping links are skipped: reading a named pipe would hang the build
    before the loader could refuse it with a clear message.
    """
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file():
                yield path


def site_folders(root: Path) -> list[str]:
    """The mkdocs folders that are sources too: ``docs_dir`` (default docs) and a theme ``custom_dir``."""
    folders = {"docs": "docs"}
    config = root / "mkdocs.yml"
    if config.is_file():
        for key, value in _SETTING.findall(config.read_text(encoding="utf-8", errors="replace")):
            folders[key] = value.rstrip("/")
    return sorted({f for f in folders.values() if f and not f.startswith(("/", ".."))})


def source_files(root: Path) -> dict[str, str]:
    """Project-relative POSIX path → SHA-256 of every file a build reads from the project."""
    found: dict[str, str] = {}
    tops = [root / "courses", *(root / folder for folder in site_folders(root))]
    paths = [p for top in tops if top.is_dir() for p in _walk(top)]
    quizzes = root / "quizzes"
    if quizzes.is_dir():
        paths += sorted(p for p in quizzes.glob("*.yml") if p.is_file())
    paths += [root / name for name in ("coursegen.yml", "mkdocs.yml") if (root / name).is_file()]
    for path in paths:
        found[path.relative_to(root).as_posix()] = digest_file(path)
    return dict(sorted(found.items()))


def code_digest() -> str:
    """coursegen's own files, the libraries' versions and the runtime that shape the outputs."""
    files = sorted(p for p in _walk(_CODE) if "__pycache__" not in p.parts and p.suffix != ".pyc")
    parts: dict[str, str] = {p.relative_to(_CODE).as_posix(): digest_file(p) for p in files}
    for name in LIBRARIES:
        try:
            parts[f"lib:{name}"] = metadata.version(name)
        except metadata.PackageNotFoundError:
            parts[f"lib:{name}"] = "-"
    parts["python"] = ".".join(map(str, sys.version_info[:3]))
    parts["zlib"] = zlib.ZLIB_RUNTIME_VERSION
    parts["coursegen"] = __version__
    return digest_json(parts)


def resolve_inputs(sources: Mapping[str, str], specs: Iterable[str]) -> dict[str, str]:
    """What a unit was built from, as ``path → hash``.

    A spec is a file path; a folder path ending in "/" means every file below it; "names:<folder>/"
    means only the list of file names directly in that folder (recorded under the folder path). A
    missing file is recorded with the hash "-", so that creating it later counts as a change.
    ``sources`` must be sorted by path (as ``source_files`` returns it).
    """
    paths = list(sources)
    result: dict[str, str] = {}
    for spec in specs:
        if spec.startswith("names:"):
            folder = spec.removeprefix("names:")
            names = [p[len(folder):] for p in _below(paths, folder) if "/" not in p[len(folder):]]
            result[folder] = digest_json(names)
        elif spec.endswith("/"):
            result.update({p: sources[p] for p in _below(paths, spec)})
        else:
            result[spec] = sources.get(spec, "-")
    return dict(sorted(result.items()))


def _below(paths: list[str], folder: str) -> list[str]:
    """The sorted ``paths`` that start with ``folder`` (a binary search, not a scan)."""
    start = bisect.bisect_left(paths, folder)
    end = bisect.bisect_left(paths, folder + "\U0010ffff", start)
    return paths[start:end]


def unit_digest(builder: str, code: str, inputs: Mapping[str, str]) -> str:
    return digest_json({"builder": builder, "code": code, "inputs": dict(inputs)})


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``, or None when there is none or it is not one coursegen can use."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("outputs"), dict):
        return None
    return Manifest(data)


def dump_manifest(data: dict) -> bytes:
    """Stable bytes: sorted keys, no timestamps; one entry per line in the large maps, for readable diffs."""
    def compact(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"  {compact(k)}: {compact(v)}" for k, v in sorted(value.items()))
            lines.append(f" {compact(key)}: {{\n{inner}\n }}")
        elif isinstance(value, list) and value:
            inner = ",\n".join(f"  {compact(v)}" for v in value)
            lines.append(f" {compact(key)}: [\n{inner}\n ]")
        else:
            lines.append(f" {compact(key)}: {compact(value)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")

