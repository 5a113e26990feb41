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
from .export import safe_text
from .storage import Database
from .tables import Table, file_sha256

MAX_KEPT_REJECTIONS = 100_000  # beyond this only the count is kept (a wholly wrong file)
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
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)  # Vietnamese label → count of rows added/changed
    unchanged: dict[str, int] = field(default_factory=dict)  # Vietnamese label → count already as imported
    seen_before: list[str] = field(default_factory=list)  # files whose exact content was imported earlier

    def merge(self, part: ImportSummary) -> None:
        """Add what a reading pass found (files, tables, rows read and imported, rejections, warnings)."""
        offset = len(self.tables)
        self.files += part.files
        self.tables += part.tables
        self.rows_read += part.rows_read
        self.rows_imported += part.rows_imported
        self.warnings += part.warnings
        for rejection in part.rejections:
            self.reject(replace(rejection, table=rejection.table + offset))
        self.rejected_count += part.rejected_count - len(part.rejections)

    def reject(self, rejection: Rejection) -> None:
        self.rejected_count += 1
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(rejection)

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

    def of(self, audience: str) -> dict[str, int]:
        found = self._by_audience.get(audience)
        if found is None:
            cursor = self.db.execute("SELECT code, id FROM learners WHERE audience = ?", (audience,))
            found = self._by_audience[audience] = dict(cursor)
        return found


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


def write_rejections(path: Path, summary: ImportSummary) -> None:
    """Write rejected rows as CSV (UTF-8 with BOM, for Excel): the reason, then the original cells
    under the original header, so the file can be corrected and imported again as it is."""
    rows = summary.sorted_rejections()
    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            current = None
            for rejection in rows:
                if rejection.table != current:
                    current = rejection.table
                    header = summary.tables[current].header if current < len(summary.tables) else ()
                    writer.writerow(["Tệp", "Dòng gốc", "Lý do từ chối", *map(safe_text, header)])
                # Cells come from other people's files: "=HYPERLINK(…)" must stay text when Excel opens this.
                writer.writerow([safe_text(rejection.location), rejection.line, rejection.reason,
                                 *map(safe_text, rejection.raw)])
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được tệp các dòng bị từ chối {path}: {exc}") from exc
