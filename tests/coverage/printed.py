"""What a report looks like on paper: LibreOffice prints the workbook, poppler and pypdf measure pages."""

from __future__ import annotations

import math
import subprocess
from collections import Counter
from pathlib import Path

from pypdf import PdfReader

A4 = (595.3, 841.9)  # points, portrait


def print_workbook(xlsx: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice Calc prints from the workbook (its own profile, so runs never share one)."""
    profile = out_dir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(xlsx)], check=True, capture_output=True, timeout=240)
    return out_dir / f"{xlsx.stem}.pdf"


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height of every page in points, from ``pdfinfo``."""
    pages = int(next(line.split()[1] for line in _pdfinfo(pdf) if line.startswith("Pages:")))
    sizes = []
    for line in _pdfinfo(pdf, "-f", "1", "-l", str(pages)):
        if line.startswith("Page") and " size:" in line:
            parts = line.split("size:")[1].split()
            sizes.append((float(parts[0]), float(parts[2])))
    return sizes


def is_a4(size: tuple[float, float]) -> bool:
    return sorted(round(v, 0) for v in size) == [round(A4[0]), round(A4[1])]


def _pdfinfo(pdf: Path, *args: str) -> list[str]:
    return subprocess.run(["pdfinfo", *args, str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (``pdftotext -layout``) with runs of spaces collapsed."""
    texts = []
    for number in range(1, len(PdfReader(pdf).pages) + 1):
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(pdf),
                               "-"], check=True, capture_output=True, text=True).stdout
        texts.append("\n".join(" ".join(line.split()) for line in text.splitlines()))
    return texts


def font_sizes(pdf: Path) -> list[Counter]:
    """Per page: the printed size in points of the shown text (font size × text and page matrices), weighted
    by characters. Scaling a sheet to fit shows up here, as it does on paper."""
    pages = []
    for page in PdfReader(pdf).pages:
        counts: Counter = Counter()

        def visit(text, cm, tm, font, size, counts=counts):
            if not text.strip():
                return
            a, b, c, d = cm[0], cm[1], cm[2], cm[3]
            vertical = (tm[2] * a + tm[3] * c, tm[2] * b + tm[3] * d)
            counts[round(size * math.hypot(*vertical), 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append(counts)
    return pages
