#!/usr/bin/env python3
"""Measure what a reader downloads on a first visit to a lecture page of the demo hub.

Builds the demo (or takes ``--site``), serves it on 127.0.0.1, opens the page in
headless Debian Chromium with an empty cache and records every response: HTML,
CSS, JS, fonts, images and the rest. Sizes are given as served (identity) and as
sent with gzip level 6 (what ``deploy/nginx.conf`` does for text types). It also
opens the page with JavaScript disabled and checks the lecture is readable.

Writes a Markdown report (default ``benchmarks/page-weight.md``; not under ``docs/``,
which would publish it as a page of the demo site)::

    .venv/bin/python scripts/page_weight.py [--site DIR] [--page lectures/yun-dangke/] [-o FILE]
"""

from __future__ import annotations

import argparse
import gzip
import logging
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from deploy_support import serve_pages  # noqa: E402

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
#: Playwright resource types → report rows.
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "字体", "image": "图片"}
COMPRESSIBLE = ("text/", "javascript", "json", "xml", "svg")


def measure(site: Path, page: str) -> dict:
    """Load ``page`` of ``site`` once with an empty cache; returns sizes and the no-JS check.

    Returns:
        ``{"files": [(kind, path, raw bytes, gzip bytes)], "totals": {kind: (raw, gzip)},
        "nojs": {"title": str, "chars": int, "headings": int}}``.

    Raises:
        RuntimeError: the page did not load, or is not readable without JavaScript.
    """
    from playwright.sync_api import sync_playwright

    origin, httpd = serve_pages(site)
    url = f"{origin}/{page}"
    files = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            ctx = browser.new_context()
            responses = []
            ctx.on("response", lambda r: responses.append(r))
            pg = ctx.new_page()
            first = pg.goto(url, wait_until="networkidle")
            if first is None or first.status != 200:
                raise RuntimeError(f"页面打不开：{url}")
            for r in responses:
                if urlsplit(r.url).netloc != urlsplit(origin).netloc:
                    raise RuntimeError(f"请求了其他主机：{r.url}")
                body = r.body()
                ctype = r.headers.get("content-type", "")
                packed = len(gzip.compress(body, 6)) if any(t in ctype for t in COMPRESSIBLE) else len(body)
                kind = KINDS.get(r.request.resource_type, "其他")
                files.append((kind, urlsplit(r.url).path, len(body), packed))
            ctx.close()
            ctx = browser.new_context(java_script_enabled=False)
            pg = ctx.new_page()
            pg.goto(url)
            nojs = {"title": pg.locator("article h1").first.inner_text().rstrip("¶").strip(),
                    "chars": len(pg.locator("article").first.inner_text()),
                    "headings": pg.locator("article h2").count()}
            browser.close()
    finally:
        httpd.shutdown()
    if nojs["chars"] < 200:
        raise RuntimeError("关闭 JavaScript 后讲稿正文不可读")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, _path, raw, packed in files:
        totals[kind][0] += raw
        totals[kind][1] += packed
    return {"files": sorted(files), "totals": {k: tuple(v) for k, v in totals.items()}, "nojs": nojs}


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def report(result: dict, page: str) -> str:
    """The Markdown report (Chinese) for a :func:`measure` result."""
    order = ["HTML", "CSS", "JS", "字体", "图片", "其他"]
    rows = [f"| {k} | {_kb(result['totals'][k][0])} | {_kb(result['totals'][k][1])} |" for k in order if k in result["totals"]]
    raw = sum(v[0] for v in result["totals"].values())
    packed = sum(v[1] for v in result["totals"].values())
    lines = [
        "# 页面体积（讲稿页首次打开）", "",
        f"由 `scripts/page_weight.py` 生成：在无缓存的 Chromium 中打开演示站点的 `{page}`，记录首次加载下载的全部文件。"
        "“gzip 后”按 `deploy/nginx.conf` 的设置（文本类型 gzip 6 级）计算，即读者实际传输的大小。", "",
        "| 类别 | 原始大小（KB） | gzip 后（KB） |", "|---|---:|---:|", *rows,
        f"| **合计** | **{_kb(raw)}** | **{_kb(packed)}** |", "",
        f"共 {len(result['files'])} 个请求，全部来自本站；"
        + ("没有下载字体文件（使用系统字体）。" if "字体" not in result["totals"] else "其中含字体文件。"), "",
        "## 不依赖脚本的可读性", "",
        f"关闭 JavaScript 打开同一页面：标题“{result['nojs']['title']}”，正文区 {result['nojs']['chars']} 个字符，"
        f"{result['nojs']['headings']} 个二级标题，全部在 HTML 中，脚本加载前即可阅读。", "",
        "## 明细", "", "| 类别 | 文件 | 原始（字节） | gzip 后（字节） |", "|---|---|---:|---:|",
        *[f"| {k} | `{p}` | {r} | {g} |" for k, p, r, g in result["files"]], "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    ap = argparse.ArgumentParser(description="测量演示站点讲稿页首次打开的下载体积")
    ap.add_argument("--site", type=Path, help="已生成的站点目录（默认临时生成演示站点）")
    ap.add_argument("--page", default="lectures/yun-dangke/", help="要测量的页面（相对站点根目录）")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "benchmarks" / "page-weight.md", help="报告文件")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1795953600")}
            subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                            "-d", str(site)], check=True, env=env)
        result = measure(site, args.page)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report(result, args.page), encoding="utf-8")
    raw = sum(v[0] for v in result["totals"].values())
    packed = sum(v[1] for v in result["totals"].values())
    print(f"{args.page}：{len(result['files'])} 个请求，原始 {_kb(raw)} KB，gzip 后 {_kb(packed)} KB；报告：{args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
