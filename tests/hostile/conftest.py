"""Fixtures for the hostile-input tests: the real headless Chromium of tests/site, re-exported here."""

from __future__ import annotations

from tests.site.conftest import browser, recording_page  # noqa: F401  (pytest fixtures)
