"""Print-ready leaflets: the A5 flyer (tờ rơi), its large-print variant and the A4 tri-fold (tờ gấp).

``coursegen build`` runs ``LeafletBuilder``; ``preflight.py`` (``coursegen preflight``) checks any PDF against the same
print rules.

The builder is imported on first use (PEP 562): every ``coursegen`` command imports ``preflight.py`` to
register its subcommand, and loading reportlab and Pillow with it would cost each command, a no-op
build included, about 8 MB and a few tenths of a second.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LeafletBuilder", "build_leaflets"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
