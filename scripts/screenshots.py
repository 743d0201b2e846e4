"""Phone-width screenshots of the demo hub for the README: home, stats and one lecture page.

Builds the demo hub (``mkdocs.yml`` at the repository root) into a temporary
folder as of a fixed date (``SOURCE_DATE_EPOCH``, so the pictures only change
when the content or the look does), serves it on 127.0.0.1, and photographs it
with Debian's Chromium through Playwright at 375 × 812 CSS pixels (device scale
2) into ``docs/assets/screenshots/``. Requests to any other host are blocked.

Usage::

    .venv/bin/python scripts/screenshots.py [--out docs/assets/screenshots] [--lecture lectures/<slug>/]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: The date the demo is built as of (same as the tests).
BUILD_DATE = dt.datetime(2026, 11, 29, 12, tzinfo=dt.timezone.utc)
VIEWPORT = {"width": 375, "height": 812}
#: (file name, page URL, full page?)
SHOTS = [("home.png", "", False), ("stats.png", "stats/", False), ("lecture.png", None, False)]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_demo(out: Path) -> None:
    """Build the demo hub into ``out`` with ``build.py``; raises ``SystemExit`` when it fails."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILD_DATE.timestamp()))}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("演示站点生成失败，未更新截图")


def first_lecture(site: Path) -> str:
    """URL of the first lecture page (alphabetical by slug)."""
    page = sorted(p for p in site.glob("lectures/*/index.html") if p.parent.name != "page")[0]
    return page.parent.relative_to(site).as_posix() + "/"


def shoot(site: Path, out_dir: Path, lecture: str | None) -> list[Path]:
    """Serve ``site`` and save the screenshots into ``out_dir``; returns the files written."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    own = urlsplit(base).netloc
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2, locale="zh-CN")
            context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc in (own, "")
                          else route.abort())
            page = context.new_page()
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, url, full in SHOTS:
                url = url if url is not None else (lecture or first_lecture(site))
                page.goto(base + url, wait_until="networkidle")
                target = out_dir / name
                page.screenshot(path=str(target), full_page=full)
                written.append(target)
            browser.close()
    finally:
        httpd.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description="生成演示站点在手机宽度下的截图（首页、数据统计、讲稿页）")
    parser.add_argument("--out", default=str(ROOT / "docs" / "assets" / "screenshots"), help="截图保存目录")
    parser.add_argument("--lecture", default=None, help="讲稿页地址，如 lectures/shi-jian-lun/（默认第一篇）")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"需要 Debian 的 chromium（{CHROMIUM}）", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_demo(site)
        for path in shoot(site, Path(args.out), args.lecture):
            print(f"已保存 {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
