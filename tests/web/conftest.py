"""A real server on 127.0.0.1 (random free port, background thread) over the hand-made scenario, and headless
Debian Chromium driven by Playwright. Browser tests are skipped, saying why, only where /usr/bin/chromium is
absent; Playwright never downloads a browser here."""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sitroom.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def _load_scenario() -> ModuleType:
    path = REPO / "tests" / "api" / "scenario.py"
    spec = importlib.util.spec_from_file_location("sitroom_web_scenario", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_vendor() -> None:
    """The page's map needs the vendor files; build them from node_modules when they are missing."""
    from sitroom.web import vendor_missing
    from sitroom.web.build import build, find_node_modules

    if not vendor_missing():
        return
    modules = find_node_modules(REPO)
    if modules is None:
        pytest.skip("web vendor assets are not built and node_modules is absent: run `npm ci` first")
    build(modules)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests skipped: {CHROMIUM} is absent (apt-get install -y chromium)")
    import uvicorn  # a dependency of sitroom itself

    _ensure_vendor()
    from sitroom.api import create_app

    store = Store.open(str(tmp_path_factory.mktemp("web") / "web.db"))
    _load_scenario().build(store)
    port = _free_port()
    config = uvicorn.Config(create_app(store=store, token=""), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Any]:
    from playwright import sync_api  # a dev dependency; only the browser itself may be missing

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class PageWatch:
    """A page with everything the browser logged and requested, so tests can assert on both."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(r.url))

    def open(self, query: str = "") -> Any:
        self.page.goto(self.base + "/" + query)
        self.page.wait_for_selector("body[data-ready]", timeout=20_000)
        self.settle()
        return self.page

    def settle(self) -> None:
        # A selector, not a JS predicate: the page's Content-Security-Policy forbids evaluating strings.
        self.page.wait_for_selector("body[data-ready]:not([data-busy])", state="attached", timeout=20_000)


@pytest.fixture
def watched(browser: Any, server: str) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        yield PageWatch(page, server)
    finally:
        context.close()


@pytest.fixture
def watched_without_csp(browser: Any, server: str) -> Iterator[PageWatch]:
    """The page with the server's Content-Security-Policy switched off: what the page's own code does with
    hostile text must be safe without that second lock."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        yield PageWatch(page, server)
    finally:
        context.close()
