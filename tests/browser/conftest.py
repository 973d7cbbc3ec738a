"""Browser fixtures: one Chromium for the session, a fresh zh-CN context per test, a login helper.

Playwright cannot download its own browsers here, so the tests drive Debian's Chromium. Where
Chromium or Playwright is missing the tests skip; JINWEI_REQUIRE_BROWSER=1 (CI) makes that fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from jinwei.accounts.models import User


REQUIRED = os.environ.get("JINWEI_REQUIRE_BROWSER") == "1"

try:
    from playwright.sync_api import Browser, Error, Page, sync_playwright
except ImportError:
    if REQUIRED:
        raise
    PLAYWRIGHT_MISSING = True
else:
    PLAYWRIGHT_MISSING = False


def _unavailable(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"JINWEI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


class _SkippedModule(pytest.Module):
    def collect(self) -> NoReturn:
        _unavailable("Playwright is not installed")


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    """Without Playwright, skip each browser test module instead of failing on its import."""
    if PLAYWRIGHT_MISSING:
        return _SkippedModule.from_parent(parent, path=module_path)
    return None


CHROMIUM = Path(os.environ.get("JINWEI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last: they are slow, and once Playwright's event loop runs in the main
    thread every later test needs DJANGO_ALLOW_ASYNC_UNSAFE, so keep that window at the end."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
    # refuse database access from the test itself (cast, assertions on rows).
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()


@dataclass
class BrowserLog:
    """What the page did behind the scenes: every request URL and every console or script error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def requests_off(self, origin: str) -> list[str]:
        """Requests to anywhere but `origin` (the live server): the platform loads nothing else."""
        return [
            url
            for url in self.requests
            if not (url == origin or url.startswith(origin + "/") or url.startswith(LOCAL_SCHEMES))
        ]


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, browser_log: BrowserLog) -> Iterator[Page]:
    """A fresh context per test (no cookies carried over), in Chinese like the staff's browsers."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.on("request", lambda request: browser_log.requests.append(request.url))
    context.on(
        "console",
        lambda message: (
            browser_log.errors.append(f"console: {message.text} ({message.location['url']})")
            if message.type == "error"
            else None
        ),
    )
    context.on("weberror", lambda error: browser_log.errors.append(f"page: {error.error}"))
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in(page: Page) -> Callable[..., None]:
    """Log a user in through the login form, as a person would, and wait for the home page."""

    def log_in(user: User, password: str = PASSWORD) -> None:
        login_path = reverse("accounts:login")
        page.goto(login_path)
        form = page.locator(f"form[action='{login_path}']")
        form.locator("input[name=username]").fill(user.get_username())
        form.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        if page.url.endswith(login_path):
            raise AssertionError(f"login as {user.get_username()} failed")

    return log_in


@pytest.fixture(autouse=True)
def _seeded_rows(live_server: LiveServer) -> None:
    """Rows that migrations seed: a browser test before this one flushed them with its data."""
    from importlib import import_module

    from django.apps import apps

    seed = import_module("jinwei.indicators.migrations.0002_default_categories")
    seed.add_defaults(apps, None)
