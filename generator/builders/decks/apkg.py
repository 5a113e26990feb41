"""Write an Anki package (.apkg) whose bytes depend only on its content and the release timestamp.

genanki's own ``write_to_file`` zips a temporary SQLite file with its mtime, so two builds of the same
sources differ. Here genanki fills the SQLite collection (with ``timestamp`` for every note, card and
note type, and note/card ids counted from it) and the zip is written with fixed entry metadata.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from pathlib import Path

import genanki

from ...render.archive import write_zip


def write_apkg(path: Path, decks: list[genanki.Deck], media: list[tuple[str, Path]], timestamp: int,
               when: tuple[int, int, int, int, int, int]) -> None:
    """Write ``decks`` and ``media`` (name inside the package, source file) to ``path``.

    ``timestamp`` (seconds) becomes every note's and card's modification time; ``when`` is the date on
    the zip entries.
    """
    package = genanki.Package(decks)
    with tempfile.TemporaryDirectory(prefix="coursegen-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            # A throw-away file: no journal on disk and no fsync (neither changes the database bytes).
            connection.execute("PRAGMA journal_mode=MEMORY")
            connection.execute("PRAGMA synchronous=OFF")
            cursor = connection.cursor()
            package.write_to_db(cursor, timestamp, itertools.count(timestamp * 1000))
            connection.commit()
        finally:
            connection.close()
        collection = db_path.read_bytes()
    media = sorted(media)
    index = {str(number): name for number, (name, _) in enumerate(media)}
    entries = [
        ("collection.anki2", collection),
        ("media", json.dumps(index, ensure_ascii=False, sort_keys=False).encode("utf-8")),
        *((str(number), source.read_bytes()) for number, (_, source) in enumerate(media)),
    ]
    write_zip(path, entries, when)
