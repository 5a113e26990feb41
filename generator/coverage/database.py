"""Opening the coverage database: connect (``storage.py``), then bring its schema up to date (``migrations.py``).

Kept apart from both so that neither imports the other's user: storage knows nothing of the
migrations, the migrations know only the storage.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import CoursegenError
from .migrations import migrate
from .storage import Database, _open_postgresql, _open_sqlite, database_url


def open_database(target: str | Path, *, create: bool = True) -> Database:
    """Open (and create or upgrade) the coverage database at a path or ``postgresql://`` URL."""
    text = str(target)
    url = database_url(text)
    if url is not None:
        db = _open_postgresql(url)
        if not create and not db.table_exists("schema_version"):
            db.close()
            raise CoursegenError(f"chưa có dữ liệu độ phủ trong {db.location}; hãy nhập danh sách người học trước")
    else:
        path = Path(text)
        if not create and not path.exists():
            raise CoursegenError(f"chưa có cơ sở dữ liệu {path}; hãy nhập danh sách người học trước")
        db = _open_sqlite(path)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db
