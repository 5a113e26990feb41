"""Byte-reproducible zip files: the same entries always give the same bytes.

``zipfile`` stamps each entry with the file's mtime (or the current time for ``writestr``), so two builds
of the same sources would differ. Here every entry gets one fixed date, fixed permissions and a fixed
compression, and entries are written in the order given.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def zip_date(day: date) -> tuple[int, int, int, int, int, int]:
    """The entry date for a release: its day at 00:00, never before the zip epoch."""
    if day.year < 1980:
        return ZIP_EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]], when: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
              *, compress: bool = True) -> None:
    """Write ``entries`` (name, bytes) to ``path`` with fixed metadata so the output is reproducible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    seen: set[str] = set()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            if name in seen:
                raise ValueError(f"duplicate zip entry {name!r}")
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = method
            info.create_system = 3  # Unix, so the permissions below are read the same everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compress_type=method, compresslevel=6 if compress else None)
