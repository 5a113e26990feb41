"""What both importers share: rejected rows, the summary, learner ids by code, the import log.

An import validates each row in Python (formats, names, geography; each distinct combination of the
repeated cells once), resolves learner codes with in-memory dictionaries and writes the good rows in
batches, all in one transaction: a bad row is reported and skipped, a bad file stops everything, a
killed process leaves the database as it was. New and changed rows are counted from what the
database reports it inserted or updated, so a re-import says what it changed.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..diagnostics import CoursegenError
from .formats import safe_text
from .storage import Database
from .tables import Table, file_sha256

MAX_KEPT_REJECTIONS = 100_000  # beyond this only the count is kept (a wholly wrong file), and the user told
MAX_KEPT_CELLS = 4_000_000  # nor more raw cells than this in all (100,000 rows of 40 columns)
RAW_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported, with the reason the user has to fix."""

    location: str  # file name, with the sheet for workbooks
    line: int
    reason: str
    raw: tuple[str, ...] = ()
    table: int = 0  # index of the table the row came from (for the rejected-rows file)

    def format(self) -> str:
        return f"{self.location}, dòng {self.line}: {self.reason}"


@dataclass
class ImportSummary:
    """Everything an import did (or, in a dry run, would do), for the user and the tests."""

    kind: str  # "roster" or "records"
    dry_run: bool
    files: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    rows_read: int = 0
    rows_imported: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejected_count: int = 0
    kept_cells: int = 0  # raw cells held by ``rejections``
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)  # Vietnamese label → count of rows added/changed
    unchanged: dict[str, int] = field(default_factory=dict)  # Vietnamese label → count already as imported
    seen_before: list[str] = field(default_factory=list)  # files whose exact content was imported earlier
    notes: list[str] = field(default_factory=list)  # what was skipped, filled, restored or merged, and where
    marks: dict[tuple[str, str], int] = field(default_factory=dict)  # (attendance mark as written, meaning) → rows

    def merge(self, part: ImportSummary) -> None:
        """Add what a reading pass found (files, tables, rows read and imported, rejections, warnings)."""
        offset = len(self.tables)
        self.files += part.files
        self.tables += part.tables
        self.rows_read += part.rows_read
        self.rows_imported += part.rows_imported
        self.warnings += part.warnings
        self.notes += part.notes
        for key, count in part.marks.items():
            self.marks[key] = self.marks.get(key, 0) + count
        for rejection in part.rejections:
            self.reject(replace(rejection, table=rejection.table + offset))
        self.rejected_count += part.rejected_count - len(part.rejections)

    def reject(self, rejection: Rejection) -> None:
        self.rejected_count += 1
        if len(self.rejections) < MAX_KEPT_REJECTIONS and self.kept_cells < MAX_KEPT_CELLS:
            self.rejections.append(rejection)
            self.kept_cells += len(rejection.raw)

    def sorted_rejections(self) -> list[Rejection]:
        return sorted(self.rejections, key=lambda r: (r.table, r.line))

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


class WarningCollector:
    """Groups a repeated warning ("old province name") per file and value, listing the first rows."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, location: str, message: str, line: int) -> None:
        self.groups[(location, message)].append(line)

    def messages(self) -> list[str]:
        out = []
        for (location, message), lines in self.groups.items():
            shown = ", ".join(str(n) for n in lines[:10]) + (", …" if len(lines) > 10 else "")
            out.append(f"{location}: {message} ({len(lines)} dòng: {shown})")
        return out


class LearnerIds:
    """Learner ids by code, one dictionary per audience, read once per import. Imports read them
    inside their write transaction, so no other writer changes them meanwhile."""

    def __init__(self, db: Database):
        self.db = db
        self._by_audience: dict[str, dict[str, int]] = {}
        self._zero_lengths: dict[str, set[int]] = {}

    def of(self, audience: str) -> dict[str, int]:
        """Learner ids by ``values.code_key`` (the code without leading zeros): a code that lost its
        zeros in a spreadsheet still finds its learner."""
        found = self._by_audience.get(audience)
        if found is None:
            cursor = self.db.execute(
                "SELECT CASE WHEN code >= '0' AND code < '1' THEN COALESCE(NULLIF(ltrim(code, '0'), ''), code)"
                " ELSE code END, id FROM learners WHERE audience = ?", (audience,))
            found = self._by_audience[audience] = dict(cursor)
            self._zero_lengths[audience] = {int(n) for (n,) in self.db.execute(
                "SELECT DISTINCT length(code) FROM learners WHERE audience = ? AND code >= '0' AND code < '1'",
                (audience,))}
        return found

    def zero_lengths(self, audience: str) -> set[int]:
        """The lengths of the stored codes that start with a zero (what a lost zero is restored to)."""
        self.of(audience)
        return self._zero_lengths[audience]


def log_files(db: Database, kind: str, paths: list[Path], summary: ImportSummary) -> None:
    """Record each file's content hash; a file seen before is reported, and the log row is left alone."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for path in paths:
        digest = file_sha256(path)
        earlier = db.scalar("SELECT imported_at FROM imports WHERE kind = ? AND sha256 = ?", (kind, digest))
        if earlier:
            summary.seen_before.append(f"{path.name} (lần đầu nhập lúc {earlier} UTC)")
            continue
        db.execute(
            "INSERT INTO imports (kind, sha256, file_name, imported_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, sha256) DO NOTHING",
            (kind, digest, path.name, now),
        )


def split_raw(raw: str | None) -> tuple[str, ...]:
    return tuple(raw.split(RAW_SEPARATOR)) if raw else ()


def rejection_paths(path: Path, summary: ImportSummary) -> dict[int, Path]:
    """Where each table's rejected rows go: ``path`` when they come from one table; else one file per
    table (``tu-choi-1.csv``, ``tu-choi-2.csv``…), so each keeps its own header and what its import needs."""
    tables = sorted({r.table for r in summary.rejections})
    if len(tables) <= 1:
        return {table: path for table in tables}
    return {table: path.with_name(f"{path.stem}-{n}{path.suffix or '.csv'}") for n, table in enumerate(tables, 1)}


def write_rejections(path: Path, summary: ImportSummary) -> list[Path]:
    """Write rejected rows as CSV (UTF-8 with BOM, for Excel), one file per table that has some (see
    ``rejection_paths``): a title with what the import took from options or the original title
    (audience, school year), then the reason and the original cells under the original header, plus
    columns for what the options gave (class, course…). The file can be corrected and imported again
    as it is, with no option. All files are written, or none."""
    by_table: dict[int, list[Rejection]] = defaultdict(list)
    for rejection in summary.sorted_rejections():
        by_table[rejection.table].append(rejection)
    targets = rejection_paths(path.absolute(), summary)
    written: list[tuple[Path, Path]] = []
    try:
        for table_index, rows in by_table.items():
            target = targets[table_index]
            temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            written.append((temp, target))
            table = summary.tables[table_index] if table_index < len(summary.tables) else None
            header = table.header if table is not None else ()
            carried = table.carried if table is not None else {}
            with temp.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                title = table.carried_title if table is not None else ()
                if title:
                    writer.writerow([safe_text(f"CÁC DÒNG BỊ TỪ CHỐI CỦA {table.location}")])
                    for line in title:
                        writer.writerow([safe_text(line)])
                    writer.writerow([])
                width = len(header)
                writer.writerow(["Tệp", "Dòng gốc", "Lý do từ chối", *map(safe_text, header), *carried])
                for rejection in rows:
                    # Cells come from other people's files: "=HYPERLINK(…)" must stay text when Excel opens this.
                    raw = list(rejection.raw[:width]) + [""] * (width - len(rejection.raw[:width])) if carried else rejection.raw
                    writer.writerow([safe_text(rejection.location), rejection.line, rejection.reason,
                                     *map(safe_text, raw), *map(safe_text, carried.values())])
        for temp, target in written:
            os.replace(temp, target)
    except OSError as exc:
        for temp, _ in written:
            temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được tệp các dòng bị từ chối {path}: {exc}") from exc
    return [target for _, target in written]
