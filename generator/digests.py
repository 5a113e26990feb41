"""Content hashes (SHA-256) and verified copies: how builds decide by content, never by modification time.

Used by the build machinery (``build/incremental.py``) and by builders that reuse their previous
outputs (the site): a basic module like ``text.py``, importing nothing of coursegen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def digest_json(value: object) -> str:
    """The hash of a JSON-serialisable value, independent of dict order."""
    return digest_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def copy_verified(source: Path, target: Path, sha256: str | None) -> bool:
    """Copy a previous output into the staged build if it still has the recorded hash.

    A real copy (never a hard link): writers such as mkdocs open files for writing in place, and the
    previous ``site/`` must stay byte-for-byte as it was until the new one is swapped in.
    """
    try:
        data = source.read_bytes()
    except OSError:
        return False
    if sha256 is None or digest_bytes(data) != sha256:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True
