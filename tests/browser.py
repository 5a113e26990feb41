"""The one real headless Chromium (Debian's) of the test session, driven by Playwright.

Playwright allows one sync instance per process, so every test that needs a browser uses these fixtures
(registered for the whole suite by tests/conftest.py) instead of starting its own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--allow-file-access-from-files",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome-error:")

# Anki's reviewer keeps one page and swaps each card's HTML in, running its scripts: the same here.
REVIEWER = "<!doctype html><html><head><meta charset='utf-8'></head><body class='card'><div id='qa'></div></body></html>"
SHOW = """html => {
  const qa = document.getElementById('qa');
  qa.innerHTML = html;
  for (const old of Array.from(qa.querySelectorAll('script'))) {
    const fresh = document.createElement('script');
    fresh.textContent = old.textContent;
    old.replaceWith(fresh);
  }
}"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RecordingPage:
    """A page in a fresh browser context that records every request it makes."""

    def __init__(self, page: Page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


@pytest.fixture
def recording_page(browser: Browser) -> Iterator[RecordingPage]:
    context = browser.new_context()
    page = context.new_page()
    yield RecordingPage(page)
    context.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
