"""The one timestamp that stamps a course's deck: derived from the course's release, never from the clock.

Anki updates an existing note on import only when the incoming modification time is newer than the one
it has, so the stamp must grow from one release to the next, and must stay the same for the same sources
(so two builds are byte-identical). The rule, also in docs/bo-the-anki.md:

    stamp = 00:00 UTC on ``release_date``
          + min(major, 7) × 10000 + min(minor, 99) × 100 + min(patch, 99)   seconds

where major.minor.patch are the leading numbers of the dot-separated parts of ``version`` ("1.2.3",
"v2.1", "2026.1" → 7, 1, 0; a part without digits ends the list; missing parts count 0). The version part
is below 80000 s, less than a day, so a later release date always wins; on the same day a higher
version wins (within the caps above).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_LEADING_NUMBER = re.compile(r"^\d+")


def version_numbers(version: str) -> tuple[int, int, int]:
    """major, minor, patch of a free-form version string, as the rule above reads them."""
    numbers: list[int] = []
    for part in version.strip().lstrip("vV").split("."):
        match = _LEADING_NUMBER.match(part.strip())
        if not match:
            break
        numbers.append(int(match.group()))
        if len(numbers) == 3:
            break
    numbers += [0] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def version_offset(version: str) -> int:
    major, minor, patch = version_numbers(version)
    return min(major, 7) * 10_000 + min(minor, 99) * 100 + min(patch, 99)


def release_timestamp(release_date: date, version: str) -> int:
    """Seconds since the Unix epoch for a release (see the module docstring for the rule)."""
    midnight = calendar.timegm((release_date.year, release_date.month, release_date.day, 0, 0, 0))
    return midnight + version_offset(version)
