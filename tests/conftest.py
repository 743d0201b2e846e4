"""Shared fixtures: building hubs in temporary folders, serving them, a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: The demo hub is built as of this date, so "upcoming" sessions stay upcoming in tests.
BUILD_DATE = dt.date(2026, 11, 29)
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 11, 29, 12, tzinfo=dt.timezone.utc).timestamp()))


def run_build(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` as a user would; returns the completed process (text output)."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def good_hub(tmp_path) -> Path:
    """A fresh copy of the valid fixture hub ``tests/fixtures/good`` in a temporary folder."""
    import shutil

    dest = tmp_path / "hub"
    shutil.copytree(FIXTURES / "good", dest)
    return dest


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo hub at the repository root, built into a temporary folder."""
    out = tmp_path_factory.mktemp("demo") / "site"
    proc = run_build("build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """Serve folders over HTTP on 127.0.0.1; call with a folder, get its base URL (ends with ``/``)."""
    servers = []

    def start(folder: Path, mount: str = "") -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/{mount}"

    yield start
    for httpd in servers:
        httpd.shutdown()


def _browser_missing() -> None:
    msg = f"需要 Debian 的 chromium（{CHROMIUM}）：以 root 运行 make test 会自动安装"
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        _browser_missing()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """A browser page that records requests to other hosts and console errors.

    Attributes:
        page: the Playwright page.
        foreign: URLs requested from any host but the site's own.
        errors: console error messages and uncaught page errors.
    """

    def __init__(self, browser, base_url: str, viewport: dict | None = None) -> None:
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.foreign: list[str] = []
        self.errors: list[str] = []
        own = urlsplit(base_url).netloc
        self.context.route("**/*", self._route(own))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, own: str):
        def handle(route):
            parts = urlsplit(route.request.url)
            if parts.scheme in ("data", "blob", "about", "file") or parts.netloc == own:
                return route.continue_()
            self.foreign.append(route.request.url)
            return route.abort()
        return handle

    def goto(self, url: str):
        self.page.goto(url, wait_until="networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    """Factory: ``visit(base_url)`` → :class:`Visit`; closed after the test."""
    opened = []

    def make(base_url: str, **kw) -> Visit:
        v = Visit(browser, base_url, **kw)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
