"""A random secret of this user on this machine, kept outside every project, for caches a project cannot forge.

A cache inside a project (``.coursegen-cache/``) travels with it: a zip, a shared folder or a repository
can carry a planted cache file. Where a cached answer decides that content is safe (the rendered-HTML
check of lessons), its key must be something the content cannot compute: an HMAC with this secret. The
secret lives in the user's configuration folder (``$XDG_CONFIG_HOME/coursegen/cache-key``, by default
``~/.config/coursegen/``), created once with mode 0600. Without it (read-only home, a folder inside the
project), callers simply do not cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

KEY_BYTES = 32


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "coursegen" / "cache-key"


@cache
def _key(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
        return data if len(data) == KEY_BYTES else None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another coursegen created it meanwhile
        return _key.__wrapped__(path)
    except OSError:
        return None
    secret = os.urandom(KEY_BYTES)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


def machine_key(project: Path) -> bytes | None:
    """This machine's secret, or None when it cannot be kept, or when it would lie inside ``project``."""
    path = key_path()
    try:
        if path.resolve().is_relative_to(project.resolve()):
            return None
    except OSError:
        return None
    return _key(path)


def keyed_digest(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
