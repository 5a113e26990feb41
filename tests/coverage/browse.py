"""Open a dashboard page in headless Chromium and print what was drawn, as JSON.

Run in its own process (``python -m tests.coverage.browse URL``): Playwright's sync API allows one
instance per process, and the site tests keep a session-wide one open in the same pytest worker.
"""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

from tests.site.conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL_SCHEMES


def measure(page) -> dict:
    charts = page.locator("article svg.cg-chart")
    bars = page.locator("article svg.cg-chart rect.cg-bar")
    return {
        "url": page.url,
        "h1": page.locator("h1").inner_text(),
        "charts": charts.count(),
        "roles": [charts.nth(i).get_attribute("role") for i in range(charts.count())],
        "titles": [charts.nth(i).locator("title").first.text_content() for i in range(charts.count())],
        "bar_widths": [bars.nth(i).bounding_box()["width"] for i in range(bars.count())],
        "target_lines": page.locator("article svg.cg-chart line.cg-target").count(),
        "progress_lines": page.locator("article svg.cg-chart polyline.cg-progress").count(),
        "text": page.locator("article").inner_text(),
    }


def main(url: str) -> None:
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        overview = measure(page)
        page.locator("article table").first.get_by_role("link").first.click()
        page.wait_for_load_state()
        province = measure(page)
        browser.close()
    external = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    print(json.dumps({"overview": overview, "province": province, "external": external}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
