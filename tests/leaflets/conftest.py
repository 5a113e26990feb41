"""Fixtures for leaflet tests: the mini project's leaflets built once, and poppler/zbar/ghostscript helpers.

Everything is read back from the PDFs with the tools a print shop or a reader would use.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.contract import BuildContext
from generator.model import Corpus
from generator.source.loader import load_corpus
from tests.conftest import MINI

MM = 72 / 25.4
DATA = Path(__file__).parent / "data"
# A real-looking public address on a domain of the test project's own (a province that does not exist),
# never a real third party's: what a province's coursegen.yml looks like once it is ready to print.
SITE_URL = "https://hoc-dvc.tinhmau.gov.vn/"
RELEASE_SETTINGS = f"""\
site_name: "Học thử dịch vụ công"
site_url: "{SITE_URL}"
province: "Tỉnh Mẫu"
publisher: "Sở Khoa học và Công nghệ tỉnh Mẫu"
issuer:
  name: "Ủy ban nhân dân tỉnh Mẫu – Sở Khoa học và Công nghệ"
  logo: "media/bieu-trung.svg"
  address: "Số 8 đường Lê Lợi, phường Trung Tâm, tỉnh Mẫu"
  hotline: "0221 3 123 456"
"""


def release_ready(project: Path) -> Path:
    """Give a copy of the mini project real-looking print settings (issuer block with an SVG emblem)."""
    (project / "media").mkdir(exist_ok=True)
    shutil.copy2(DATA / "bieu-trung.svg", project / "media" / "bieu-trung.svg")
    (project / "coursegen.yml").write_text(RELEASE_SETTINGS, encoding="utf-8")
    return project
KINDS = ("to-roi-a5", "to-roi-a4-chu-lon", "to-gap-a4")
PAGES = {"to-roi-a5": 2, "to-roi-a4-chu-lon": 1, "to-gap-a4": 2}  # the citizen's sheet is one-sided
QR_PAGE = {"to-roi-a5": 2, "to-roi-a4-chu-lon": 1, "to-gap-a4": 1}  # flyer: back; tri-fold: outside
# Finished (trim) sizes in mm, width × height.
TRIM_MM = {"to-roi-a5": (148, 210), "to-roi-a4-chu-lon": (210, 297), "to-gap-a4": (297, 210)}


@dataclass
class Built:
    project: Path
    corpus: Corpus
    ctx: BuildContext
    folder: Path  # site/downloads/leaflets

    def pdf(self, kind: str, mode: str = "ban-in", course: str = "mini-dvc") -> Path:
        return self.folder / f"{course}-{kind}-{mode}.pdf"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The leaflets of tests/data/mini with release-ready settings, built by the real build pipeline
    (leaflets step only, ``--release``: it would refuse placeholder settings)."""
    project = tmp_path_factory.mktemp("leaflets") / "mini"
    shutil.copytree(MINI, project)
    release_ready(project)
    out = project / "site"
    ctx = build_project(project, out, progress=Progress(quiet=True), only=["leaflets"], release=True)
    return Built(project, load_corpus(project), ctx, out / "downloads" / "leaflets")


def run(*args: str | Path, timeout: float = 120) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, timeout=timeout)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr.decode(errors='replace')}"
    return result.stdout.decode("utf-8")


def pdffonts(path: Path) -> list[dict[str, str]]:
    """Rows of ``pdffonts``: name, type, emb, sub, uni."""
    lines = run("pdffonts", path).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name, type (may be two words), encoding, emb, sub, uni, object, ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3], "line": line})
    return rows


def boxes(path: Path) -> list[dict[str, tuple[float, float, float, float]]]:
    """Per page: MediaBox, CropBox, BleedBox, TrimBox, ArtBox from ``pdfinfo -box``."""
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", path), re.M).group(1))
    result = []
    for page in range(1, pages + 1):
        out = run("pdfinfo", "-box", "-f", str(page), "-l", str(page), path)
        found = {}
        for name, values in re.findall(r"^Page\s+\d+\s+(\w+Box):\s+(.*)$", out, re.M):
            found[name] = tuple(float(v) for v in values.split())
        result.append(found)
    return result


def text(path: Path, page: int | None = None, crop: tuple[float, float, float, float] | None = None) -> str:
    """``pdftotext`` output (UTF-8), optionally one page and a crop (x, y, w, h in points from the top-left)."""
    args: list[str | Path] = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if crop is not None:
        x, y, w, h = crop
        args += ["-x", str(int(x)), "-y", str(int(y)), "-W", str(int(w)), "-H", str(int(h))]
    return run(*args, path, "-")


def words(extracted: str) -> str:
    """Whitespace-normalised text: line breaks a layout makes are not part of the source text."""
    return " ".join(extracted.split())


def render(path: Path, page: int, dpi: int, out: Path, *, antialias: bool = True) -> Path:
    """One page as PNG via ``pdftoppm``; without anti-aliasing hairlines come out as solid pixels."""
    stem = out.with_suffix("")
    aa = [] if antialias else ["-aa", "no", "-aaVector", "no"]
    run("pdftoppm", "-r", str(dpi), *aa, "-f", str(page), "-l", str(page), "-singlefile", "-png", path, stem)
    return stem.with_suffix(".png")


def zbar(image: Path) -> list[str]:
    """Codes ``zbarimg`` decodes in an image (empty when none)."""
    result = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, timeout=60)
    assert result.returncode in (0, 4), result.stderr.decode(errors="replace")  # 4: no symbol found
    return [line for line in result.stdout.decode().splitlines() if line]


def separations(path: Path, page: int, dpi: int, out: Path) -> dict[str, Path]:
    """Ghostscript ``tiffsep``: one 8-bit plate per process colour (255 = no ink)."""
    out.mkdir(parents=True, exist_ok=True)
    run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
        f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={out / 'plate.tif'}", path)
    return {ink: out / f"plate({ink}).tif" for ink in ("Cyan", "Magenta", "Yellow", "Black")}
