"""Browser tests: Playwright drives Debian's Chromium against a live test server.

`make test` installs Chromium from Debian when it is missing (Playwright's own browser
download is never used). Screenshots of every page type land in docs/screenshots/.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# in the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core-4.11.4" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 812},
}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Run `make test` (it installs Debian's chromium) "
            "or set CHROMIUM_PATH.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, settings, tmp_path):
    """The live server with the demo data loaded (media in a throwaway folder)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.console_errors = errors
    yield page
    context.close()


def screenshot(page: Page, name: str, viewport: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport}.png"
    page.screenshot(path=str(path), full_page=viewport == "desktop")
    return path


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical WCAG 2.x A/AA violations reported by axe-core on the page."""
    # Evaluated through the browser's devtools protocol: the page's Content-Security-Policy
    # (rightly) refuses an injected inline script.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {
                type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
            },
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)
