"""The corpus of hostile and broken inputs (tests/hostile/cases/): reading cases and preparing their inputs.

A case is a folder with a ``case.yml`` and, for source cases, the files that differ from the valid mini
project (tests/data/mini), laid over a copy of it. ``kind`` says what the case feeds and what it expects:

- ``check``: sources. ``coursegen check`` must print exactly ``diagnostics`` ("path:line: field: phrase";
  the message must contain the phrase) and exit with ``exit``. ``remove``, ``symlinks`` (link → target,
  ``{outside}`` = a folder outside the project), ``special`` (``fifo:PATH``, ``dir:PATH``) and ``generate``
  (PATH → generator name, for inputs too big or too binary to keep in git) prepare the project.
- ``build``: sources or ``args`` (``{project}``, ``{outside}``) for ``coursegen build``: the exit code and phrases
  of the output are checked, and that neither the project nor the folder outside it changed.
- ``inject``: a payload put into one source field (``file``, ``at``) or appended to a lesson body
  (``append_body``). All inject cases go into ONE project that is built once; the payload must show as
  text in every output listed in ``lands_in`` and never become live markup.
- ``roster`` / ``records``: a file (``input``, or ``generate``) imported with ``coursegen coverage``; the exit
  code, phrases of the output (``stderr``), the rejected-row count and the database state are checked, and
  for ``report`` the CSV and XLSX reports and the rejected-rows file must hold formula text as text.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import MINI

CASES = Path(__file__).resolve().parent / "cases"


@dataclass
class Case:
    name: str
    directory: Path
    kind: str
    spec: dict[str, Any] = field(default_factory=dict)

    def files(self) -> list[Path]:
        return sorted(p for p in self.directory.rglob("*") if p.is_file() and p.name != "case.yml")


def read_case(directory: Path) -> Case:
    spec = yaml.safe_load((directory / "case.yml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict) and spec.get("kind") in ("check", "build", "inject", "roster", "records"), directory.name
    assert spec.get("about"), f"{directory.name}: case.yml needs 'about' (why the input is hostile)"
    return Case(directory.name, directory, spec["kind"], spec)


def all_cases(kind: str | None = None) -> list[Case]:
    cases = [read_case(p) for p in sorted(CASES.iterdir()) if p.is_dir()]
    return [c for c in cases if kind is None or c.kind == kind]


# -- generated inputs ---------------------------------------------------------------------------------
def _huge_yaml(path: Path) -> None:
    line = "# " + "x" * 1000 + "\n"
    path.write_text("id: mini-dvc\n" + line * 2200, encoding="utf-8")  # 2.2 MB > 2 MB


def _long_line(path: Path) -> None:
    text = (MINI / "quizzes/mini-dvc.yml").read_text(encoding="utf-8")
    path.write_text(text.replace('prompt: "Dịch vụ công trực tuyến là gì?"',
                                 'prompt: "' + "Rất dài " * 2600 + '"'), encoding="utf-8")


def _many_nodes(path: Path) -> None:
    path.write_text("course: mini-dvc\nquestions: []\npadding:\n" + "- 0\n" * 200_001, encoding="utf-8")


def _image_bomb(path: Path) -> None:
    from PIL import Image

    Image.new("1", (30_000, 30_000)).save(path, optimize=True)  # 900 megapixels in ~100 KB


def _wide_image(path: Path) -> None:
    from PIL import Image

    Image.new("1", (12_000, 100)).save(path)  # small in pixels, but wider than any reader needs


def _bracket_flood(path: Path) -> None:
    text = (MINI / "courses/mini-dvc/lessons/02-dang-nhap.md").read_text(encoding="utf-8")
    path.write_text(text + "\nMở ngoặc " + "[" * 5000 + "\n", encoding="utf-8")


def _many_lines(path: Path) -> None:
    text = (MINI / "courses/mini-dvc/lessons/02-dang-nhap.md").read_text(encoding="utf-8")
    path.write_text(text + "\n" + "Dòng.\n" * 5100, encoding="utf-8")


def _huge_cell(path: Path) -> None:
    path.write_text("Mã học sinh,Họ và tên,Lớp,Trường,Xã/Phường,Tỉnh/Thành phố,Năm học\n"
                    '3301000009,"' + "A" * 2_000_000 + '",10A2,Trường,Phường Phố Hiến,Hưng Yên,2025-2026\n',
                    encoding="utf-8")


GENERATORS = {
    "huge-yaml": _huge_yaml, "long-line": _long_line, "many-nodes": _many_nodes, "image-bomb": _image_bomb,
    "wide-image": _wide_image, "bracket-flood": _bracket_flood, "many-lines": _many_lines, "huge-cell": _huge_cell,
}


def import_input(case: Case, tmp_path: Path) -> Path:
    """The file a roster or records case imports (kept in the case folder, or generated)."""
    if "generate" in case.spec:
        path = tmp_path / case.spec["input"]
        GENERATORS[case.spec["generate"]](path)
        return path
    return case.directory / case.spec["input"]


def make_outside(tmp_path: Path) -> Path:
    """A folder outside the project with a valid image, lesson and text file a link can point at."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    shutil.copy2(MINI / "courses/mini-dvc/media/so-do.png", outside / "ngoai.png")
    (outside / "bi-mat.txt").write_text("mật khẩu: 123456\n", encoding="utf-8")
    return outside


def prepare_project(case: Case, tmp_path: Path) -> Path:
    """The mini project with the case's files laid over it and its removals, links and special files."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    spec = case.spec
    for rel in spec.get("remove", []):
        (project / rel).unlink()
    for source in case.files():
        target = project / source.relative_to(case.directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for rel, generator in spec.get("generate", {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        GENERATORS[generator](project / rel)
    outside = make_outside(tmp_path)
    for link, target in spec.get("symlinks", {}).items():
        (project / link).parent.mkdir(parents=True, exist_ok=True)
        (project / link).symlink_to(target.replace("{outside}", str(outside)))
    for special in spec.get("special", []):
        kind, _, rel = special.partition(":")
        if kind == "fifo":
            os.mkfifo(project / rel)
        elif kind == "dir":
            (project / rel).mkdir(parents=True)
        else:
            raise AssertionError(f"{case.name}: unknown special {special!r}")
    return project


# -- injection project ----------------------------------------------------------------------------------
def _set(data: Any, at: list, value: str) -> None:
    for key in at[:-1]:
        data = data[key]
    data[at[-1]] = value


def inject(project: Path, case: Case) -> None:
    """Put the case's payload where it says (YAML field, lesson front matter field, or lesson body)."""
    spec = case.spec
    path = project / spec["file"]
    text = path.read_text(encoding="utf-8")
    if spec.get("append_body"):
        path.write_text(text.rstrip("\n") + "\n\n" + spec["payload"] + "\n", encoding="utf-8")
        return
    if path.suffix == ".md":
        _, meta, body = text.split("---\n", 2)
        data = yaml.safe_load(meta)
        _set(data, spec["at"], spec["payload"])
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")
        return
    data = yaml.safe_load(text)
    _set(data, spec["at"], spec["payload"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
