"""Erasing a learner on request: every row about them goes; SQLite overwrites the freed space,
PostgreSQL vacuums the tables.

Reports and publication outputs never hold learner data (they are built from aggregate facts), so
erasing the learner from the database is erasing them from everything coursegen produces next.
"""

from __future__ import annotations

from ..diagnostics import CoursegenError
from ..model import Audience
from .storage import Database, placeholders

TABLES = ("enrollments", "attendance", "quiz_results")


def erase_learners(db: Database, audience: Audience, codes: list[str], *, dry_run: bool = False) -> dict[str, int]:
    """Delete the learners and all their rows in one transaction; unknown codes stop everything."""
    if db.dialect == "sqlite":
        db.execute("PRAGMA secure_delete = ON")  # overwrite deleted content instead of leaving it in free pages
    counts = {"learners": 0, **{table: 0 for table in TABLES}}
    with db.transaction(rollback=dry_run):
        found = db.query(
            f"SELECT id, code FROM learners WHERE audience = ? AND code IN ({placeholders(len(codes))})",
            (audience.value, *codes),
        )
        missing = sorted(set(codes) - {code for _, code in found})
        if missing:
            raise CoursegenError(
                f"không có {audience.label.lower()} nào mang mã {', '.join(missing)}; chưa xóa gì"
            )
        ids = [learner_id for learner_id, _ in found]
        marks = placeholders(len(ids))
        for table in TABLES:
            counts[table] = db.execute(f"DELETE FROM {table} WHERE learner_id IN ({marks})", ids).rowcount
        db.execute(f"DELETE FROM completions WHERE learner_id IN ({marks})", ids)  # derived from their records
        counts["learners"] = db.execute(f"DELETE FROM learners WHERE id IN ({marks})", ids).rowcount
    if db.dialect == "postgresql" and not dry_run:
        # Prune the dead row versions now rather than at the next autovacuum (the WAL and backups
        # still hold them until they are rotated: see docs/bao-cao-do-phu.md).
        for table in ("learners", *TABLES, "completions"):
            db.execute(f"VACUUM {table}")
    return counts
