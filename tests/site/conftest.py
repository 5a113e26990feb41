"""Browser helpers for the site tests; the fixtures themselves live in tests/browser.py (one per session)."""

from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_SCHEMES, RecordingPage, file_url

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LOCAL_SCHEMES", "RecordingPage", "file_url"]
