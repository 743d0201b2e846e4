"""Helpers to try search without the full site build: a minimal site, a local
server and a headless Chromium (used by tests and ``benchmarks/search``).

Nothing here is used by the compiler.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

from . import EXTRA_CSS, EXTRA_JAVASCRIPT, build_search_with_stats, search_page_markdown
from .doc import SearchDoc

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _page(body: str, depth: int, title: str) -> str:
    up = "../" * depth
    css = "".join(f'<link rel="stylesheet" href="{up}{p}">' for p in EXTRA_CSS)
    js = "".join(f'<script src="{up}{p}"></script>' for p in EXTRA_JAVASCRIPT)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title>{css}</head><body>"
        '<header class="md-header"><nav class="md-header__inner"><span class="md-header__title">讲堂</span>'
        '<div class="md-header__source"></div></nav></header>'
        f'<main class="md-typeset">{body}</main>{js}</body></html>'
    )


def search_page_html(depth: int = 1) -> str:
    """Render :func:`search_page_markdown` to a bare HTML page (no MkDocs).

    Args:
        depth: directory depth of the page below the site root (``search/`` → 1).

    Returns:
        A complete HTML document including the search script and style sheet.
    """
    md = search_page_markdown()
    md = re.sub(r"\A---\n.*?\n---\n", "", md, flags=re.S)
    md = re.sub(r"^# (.+)$", r"<h1>\1</h1>", md, flags=re.M)
    return _page(md, depth, "搜索")


def write_site(docs: list[SearchDoc], out: Path, *, shard_bytes: int = 16000):
    """Write a minimal site: search files, the search page, a home page, one stub per doc.

    Args:
        docs: documents to index.
        out: target directory (created; existing content is kept).
        shard_bytes: target shard size passed to the index builder.

    Returns:
        The :class:`~jiangtang.search.index.IndexStats` of the build.
    """
    out = Path(out)
    files, stats = build_search_with_stats(docs, shard_bytes=shard_bytes)
    for rel, data in files.items():
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (out / "search").mkdir(parents=True, exist_ok=True)
    (out / "search" / "index.html").write_text(search_page_html(1), encoding="utf-8")
    (out / "index.html").write_text(_page("<h1>首页</h1>", 0, "首页"), encoding="utf-8")
    return stats


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - silence
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str = ""):
    """Serve ``directory`` on 127.0.0.1 (random port) in a thread.

    Args:
        directory: site root.
        prefix: optional sub-path such as ``"theory/"``; the site is then copied
            under it so it is reachable at ``/theory/``.

    Yields:
        The base URL of the site, ending in ``/``.
    """
    directory = Path(directory)
    root = directory
    tmp = None
    if prefix:
        tmp = directory.parent / (directory.name + "-served")
        if tmp.exists():
            shutil.rmtree(tmp)
        shutil.copytree(directory, tmp / prefix.strip("/"))
        root = tmp
    handler = functools.partial(_Quiet, directory=os.fspath(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{prefix.strip('/') + '/' if prefix else ''}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def chromium():
    """Launch Debian's headless Chromium through Playwright (never downloads one).

    Yields:
        A Playwright ``Browser``.

    Raises:
        FileNotFoundError: ``/usr/bin/chromium`` is missing.
    """
    if not os.path.exists(CHROMIUM):
        raise FileNotFoundError(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_query(page, base: str, query: str, *, kind: str = "", timeout: float = 15000) -> dict:
    """Open the search page with ``?q=`` and return what it shows.

    Args:
        page: a Playwright page.
        base: site base URL ending in ``/`` (``http://…/`` or ``file:///…/``).
        query: the query as a reader types it.
        kind: optional type filter value (``lecture``, ``speaker``, ``session``, ``page``).
        timeout: milliseconds to wait for the results.

    Returns:
        ``{"hrefs": [...], "titles": [...], "kinds": [...], "status": str, "state": str}``.
    """
    from urllib.parse import quote

    path = "search/index.html" if base.startswith("file:") else "search/"
    url = f"{base}{path}?q={quote(query)}" + (f"&type={kind}" if kind else "")
    page.goto(url)
    page.wait_for_function(
        "q => { const b = document.getElementById('search-results');"
        " return b && (b.dataset.state === 'done' || b.dataset.state === 'error') && b.dataset.q === q; }",
        arg=query.strip(),
        timeout=timeout,
    )
    return page.evaluate(
        """() => {
          const b = document.getElementById('search-results');
          const links = Array.from(b.querySelectorAll('a.jt-result__link'));
          return {
            hrefs: links.map(a => a.getAttribute('href')),
            titles: links.map(a => a.querySelector('.jt-result__title').textContent),
            kinds: links.map(a => a.querySelector('.jt-result__kind').textContent),
            snippets: Array.from(b.querySelectorAll('.jt-result__snippet')).map(p => p.innerHTML),
            status: document.getElementById('jt-search-status').textContent,
            state: b.dataset.state,
          };
        }"""
    )
