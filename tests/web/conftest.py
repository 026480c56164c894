"""Browser fixtures: the real app under uvicorn with the demo loaded, and Debian's chromium driven by
Playwright (one browser per module; a fresh page, and its console, per test).

A missing chromium fails these tests with the command that installs it (`bash scripts/chromium.sh`):
the suite never skips a layer silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from app.api.main import create_app
from app.config import AuthMode, Settings, StoreBackend
from app.service import TraceService
from app.store.memory import MemoryStore
from app.web.harness import CHROMIUM_ARGS, ChromiumMissingError, LiveServer, chromium_executable

#: a second tenant with the demo, whose data the change-feed test changes (the default tenant's stays as
#: `expected_verdicts.json` says); pages pick it by `X-Tenant-ID` in key-less local mode
FEED_TENANT = "feed"


@dataclass
class Console:
    """What the page reported as broken: console errors and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture(scope="module")
def live_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service on the embedded store (a file in tmp) with the demo and its lots loaded, key-less."""
    path = tmp_path_factory.mktemp("web") / "graph.json"
    settings = Settings(store=StoreBackend.MEMORY, memory_path=path, auth=AuthMode.LOCAL, run_jobs=False)
    store = MemoryStore(path)
    service = TraceService(store)
    service.start()
    for tenant in (settings.default_tenant, FEED_TENANT):
        service.load_demo(tenant)
    with LiveServer(create_app(settings, store=store)) as server:
        yield server
    store.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        executable = chromium_executable()
    except ChromiumMissingError as e:
        pytest.fail(str(e), pytrace=False)
    browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
    yield browser
    browser.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console, tmp_path: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    page.set_default_timeout(10_000)
    yield page
    context.close()
