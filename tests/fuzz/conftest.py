"""Shared settings of the property-based (fuzz) tests.

Runs are derandomized (the same examples every run, in CI and on a laptop), keep no example database,
and every test states its own example count; ``FUZZ_SCALE`` multiplies the counts for a longer local run
(``FUZZ_SCALE=20 pytest tests/fuzz``). A test fails on any exception that is not the documented user error.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings

SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))
# In CI a failure must be reported fast: no shrinking (it once ran five minutes on a loaded machine);
# the failing example is still printed (print_blob) to be replayed and shrunk locally.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate) if os.environ.get("CI") else tuple(Phase)


def fuzz(examples: int, deadline_ms: int = 30_000) -> settings:
    """Settings for one fuzz test: ``examples`` derandomized examples, each within ``deadline_ms`` (generous:
    the deadline catches a hang or a runaway input, not a slow shared machine)."""
    return settings(
        max_examples=examples * SCALE,
        deadline=timedelta(milliseconds=deadline_ms),
        derandomize=True,
        database=None,
        print_blob=True,
        phases=PHASES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
