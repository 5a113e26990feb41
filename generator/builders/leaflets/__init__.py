"""Print-ready leaflets: the A5 flyer (tờ rơi), its large-print variant and the A4 tri-fold (tờ gấp).

``coursegen build`` runs ``LeafletBuilder``; ``preflight.py`` (``coursegen preflight``) checks any PDF against the same
print rules.
"""

from .builder import LeafletBuilder, build_leaflets

__all__ = ["LeafletBuilder", "build_leaflets"]
