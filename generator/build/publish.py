"""Write outputs into a temporary sibling directory and swap it in only when everything succeeded.

A failed or killed build therefore never leaves a half-written output directory: the previous one
stays byte-for-byte as it was. On Linux the swap is one atomic ``renameat2(RENAME_EXCHANGE)``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def recover(target: Path) -> None:
    """Undo what a process killed mid-swap (non-atomic fallback) left, and drop stale temporaries."""
    parent = target.parent
    olds = sorted(parent.glob(f".{target.name}.old-*"))
    if not target.exists() and olds:
        os.rename(olds[-1], target)
        olds = olds[:-1]
    for stale in [*olds, *parent.glob(f".{target.name}.tmp-*"), *parent.glob(f".{target.name}.trash-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def discard(tree: Path, target: Path, background: bool = False) -> None:
    """Delete a replaced output tree; ``background``: in a detached process, for large trees.

    Deleting thousands of files already written to disk mostly waits for the disk (about 2 s for a
    province-scale site here); nothing reads the old tree any more, so the build need not wait. The
    tree is first renamed to ``.<name>.trash-*``, which the next build removes if it is still there.
    """
    trash = target.with_name(f".{target.name}.trash-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(tree, trash)
    except OSError:
        trash = tree
    if background and shutil.which("rm"):
        try:
            subprocess.Popen(["rm", "-rf", "--", str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return
        except OSError:
            pass
    shutil.rmtree(trash, ignore_errors=True)


def swap_in(staged: Path, target: Path, background: bool = False) -> None:
    """Make ``staged`` become ``target``; the previous ``target`` is removed afterwards."""
    if target.exists():
        if _exchange(staged, target):
            discard(staged, target, background)
            return
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(staged, target)
        discard(old, target, background)
    else:
        os.rename(staged, target)


@contextlib.contextmanager
def staged_directory(target: Path, background_cleanup: bool = False) -> Iterator[Path]:
    """Yield an empty directory next to ``target``; swap it in if the block succeeds, else delete it.

    ``background_cleanup``: delete the replaced tree in a detached process (see ``discard``).
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staged = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    try:
        yield staged
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    swap_in(staged, target, background_cleanup)
