"""Debian's chromium driven by Playwright (never a downloaded browser), against a live server."""

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Page, sync_playwright

from tests import databases

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


class _Held:
    """A response body sent while the server's lock is held; the lock goes with `close()`,
    which the WSGI server calls however the response ends (sent, failed, client gone)."""

    def __init__(self, body: Iterable[bytes], lock: threading.Lock) -> None:
        self.body, self.lock, self.held = body, lock, True

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            getattr(self.body, "close", lambda: None)()
        finally:
            if self.held:
                self.held = False
                self.lock.release()


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server's request threads share the test's one in-memory SQLite connection
    (Django's `connections_override`). Two threads inside one sqlite3 connection deadlock
    when one holds the connection's mutex waiting for the GIL (a Python SQL function) and
    the other holds the GIL waiting for the mutex: seen as every request thread waiting in
    `execute` forever, which is how the accessibility walk used to hang. So Django's part of
    each request, body included, runs one at a time; only an event stream (the live map),
    which never ends by itself, is sent beside the others once its view has returned."""

    def set_app(self, application: Callable[..., Any]) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            kind: list[str] = []

            def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
                kind.extend(v for k, v in headers if k.lower() == "content-type")
                return start_response(status, headers, *exc)

            lock.acquire()
            try:
                body = application(environ, start)
            except BaseException:
                lock.release()
                raise
            if kind and kind[0].startswith("text/event-stream"):
                lock.release()
                return body
            return _Held(body, lock)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: run `make system-deps` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server: object, demo_template: databases.Template) -> str:
    """The live server with the factsheet and demo users. The live server empties the database
    after each test; the run's template (the state every other test starts in) is copied back
    before each, instead of loading the demo again (seconds each, minutes over the browser tests)."""
    databases.restore(demo_template)
    return str(live_server.url)  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
