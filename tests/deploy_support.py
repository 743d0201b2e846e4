"""Helpers of the deployment tests: a link checker over built files, an HTTP crawler, a Pages-like server.

Used by tests/test_deploy_*.py, tests/test_validity.py and scripts/page_weight.py.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import re
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

#: (tag, attribute) pairs whose URL a browser loads or a reader follows.
URL_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
             ("source", "src"), ("video", "src"), ("audio", "src"), ("object", "data"), ("embed", "src"),
             ("form", "action"), ("video", "poster")}


class _Links(HTMLParser):
    """Collects URLs (see :data:`URL_ATTRS`, plus ``srcset``) and element ids of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for (t, attr) in URL_ATTRS:
            if t == tag and a.get(attr) is not None:
                self.urls.append((tag, a[attr]))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                if part.strip():
                    self.urls.append((tag, part.strip().split()[0]))


def parse_html(path: Path) -> _Links:
    """Parse one HTML file (UTF-8) and return its URLs and ids."""
    p = _Links()
    p.feed(path.read_text("utf-8", errors="replace"))
    return p


def html_files(site: Path) -> list[Path]:
    """Every ``.html`` file of a built site, sorted."""
    return sorted(site.rglob("*.html"))


def _target(site: Path, page: Path, url: str, directory_urls: bool) -> tuple[Path | None, str]:
    """The file a same-site relative URL points to, and its fragment (``None`` when it leaves the site)."""
    parts = urlsplit(url)
    rel = page.parent.relative_to(site).as_posix()
    joined = urljoin(f"http://site/{rel}/" if rel != "." else "http://site/", url)
    path = unquote(urlsplit(joined).path)
    target = site / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html" if directory_urls else None
        if target is None:
            return site / path.lstrip("/"), "DIR"
    return target, parts.fragment


def check_links(site: Path, directory_urls: bool = True) -> list[str]:
    """A link checker over built files: every internal URL and ``#anchor`` must exist.

    Args:
        site: the built site folder.
        directory_urls: ``False`` for offline builds, where a link to a folder
            (``lectures/``) is itself an error (file:// shows a listing, not the page).

    Returns:
        One ``"page: problem"`` line per broken link, empty when all resolve.
        Absolute ``http(s)://`` links, ``mailto:``, ``tel:``, ``javascript:`` and
        ``data:`` URLs are not followed; absolute ``/…`` paths are reported (they
        break at a sub-path).
    """
    problems: list[str] = []
    cache: dict[Path, _Links] = {}

    def parsed(p: Path) -> _Links:
        if p not in cache:
            cache[p] = parse_html(p)
        return cache[p]

    for page in html_files(site):
        doc = parsed(page)
        shown = page.relative_to(site).as_posix()
        if shown == "404.html" and not directory_urls:
            continue  # an offline copy has no server to show its 404 page
        for tag, url in doc.urls:
            scheme = urlsplit(url).scheme
            if scheme in ("http", "https", "mailto", "tel", "javascript", "data", "sms", "webcal") or url.startswith("//"):
                continue
            if url == "" and tag == "form":
                continue
            if url.startswith("/"):
                problems.append(f"{shown}: 绝对路径 {url}（放在子路径下会失效）")
                continue
            if url.startswith("#"):
                frag = unquote(url[1:])
                if frag and frag not in doc.ids:
                    problems.append(f"{shown}: 页内锚点 {url} 不存在")
                continue
            target, frag = _target(site, page, url, directory_urls)
            if frag == "DIR":
                if tag == "form":
                    continue  # search forms: search.js builds the file:// URL itself
                problems.append(f"{shown}: 离线版链接指向目录 {url}（应指向 index.html）")
                continue
            if not target.is_file():
                problems.append(f"{shown}: {tag} {url} → 不存在的 {target.relative_to(site).as_posix() if target.is_relative_to(site) else target}")
                continue
            frag = unquote(frag)
            if frag and target.suffix == ".html" and frag not in parsed(target).ids:
                problems.append(f"{shown}: 锚点 {url} 在目标页面中不存在")
    return problems


def crawl(start: str, limit: int = 5000) -> tuple[dict[str, int], list[str]]:
    """Follow every same-origin URL from ``start`` over HTTP (pages and assets).

    Args:
        start: URL of the home page (``http://127.0.0.1:port/theory/``).
        limit: maximum number of URLs fetched.

    Returns:
        ``(status by URL, problems)``; a problem is a non-200 answer, named with
        the page that linked to it.
    """
    origin = urlsplit(start).netloc
    seen: dict[str, int] = {}
    queue = deque([(start, "(start)")])
    problems: list[str] = []
    while queue and len(seen) < limit:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                status, ctype, body = r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            status, ctype, body = e.code, "", b""
        seen[url] = status
        if status != 200:
            problems.append(f"{url} → {status}（来自 {referrer}）")
            continue
        if "html" not in ctype:
            continue
        p = _Links()
        p.feed(body.decode("utf-8", errors="replace"))
        for _tag, link in p.urls:
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            clean = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query if _tag != "form" else "", ""))
            if clean not in seen:
                queue.append((clean, url))
    return seen, problems


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder like GitHub Pages: a missing path gets the nearest site's ``404.html`` with status 404.

    Class attribute ``mounts`` lists the URL prefixes that hold a site (``"/"``,
    ``"/theory/"``); the longest matching prefix's ``404.html`` is served.
    """

    mounts: tuple[str, ...] = ("/",)

    def log_message(self, *args):  # keep test output clean
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        path = urlsplit(self.path).path
        mount = max((m for m in self.mounts if path.startswith(m)), key=len, default="/")
        page = Path(self.directory) / mount.lstrip("/") / "404.html"
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_pages(folder: Path, mounts: tuple[str, ...] = ("/",)) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Start a :class:`PagesHandler` server on 127.0.0.1 (free port) for ``folder``.

    Returns:
        ``(base URL without trailing slash, server)``; call ``server.shutdown()`` when done.
    """
    handler = type("Handler", (PagesHandler,), {"mounts": mounts})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def page_types(site: Path) -> list[Path]:
    """One HTML page per kind of page: per top-level folder and depth (home, lecture, speaker, listings, …) plus 404.

    Redirect pages (from ``permalinks.lock``) are skipped: they leave at once.
    """
    chosen: dict[tuple[str, int], Path] = {}
    for page in html_files(site):
        rel = page.relative_to(site)
        if b'http-equiv="refresh"' in page.read_bytes()[:2000]:
            continue
        key = (rel.parts[0] if len(rel.parts) > 1 else "", len(rel.parts))
        chosen.setdefault(key, page)
    return [chosen[k] for k in sorted(chosen)]


# -- demo builds shared by the deployment tests -------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
#: The demo's content, copied when a test needs another mkdocs.yml for it.
HUB_PARTS = ("mkdocs.yml", "permalinks.lock", "lectures", "speakers", "sessions", "docs")
_TMP = Path(tempfile.mkdtemp(prefix="jt-deploy-"))
atexit.register(shutil.rmtree, _TMP, True)
_BUILDS: dict[tuple[str, bool], Path] = {}


def copy_hub(source: Path, target: Path) -> Path:
    """Copy a hub's config and content folders (:data:`HUB_PARTS`) to ``target``; returns its ``mkdocs.yml``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in HUB_PARTS:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.is_file():
            shutil.copy2(src, target / name)
    return target / "mkdocs.yml"


def demo_build(site_url: str = "", offline: bool = False) -> Path:
    """Build the demo hub once per ``(site_url, offline)`` into ``…/www/theory/`` and return that folder.

    The folder's parent can be served to test the sub-path ``/theory/``.

    Raises:
        AssertionError: the build failed (with its output).
    """
    from conftest import run_build

    key = (site_url, offline)
    if key not in _BUILDS:
        work = _TMP / f"build{len(_BUILDS)}"
        # the demo's own site_url is replaced (or removed) in a copy, so each variant is what it says
        config = copy_hub(ROOT, work / "hub")
        text = re.sub(r"(?m)^site_url:.*\n", "", config.read_text("utf-8"))
        config.write_text(text + (f"\nsite_url: {site_url}\n" if site_url else ""), "utf-8")
        out = work / "www" / "theory"
        proc = run_build("build", "-f", str(config), "-d", str(out), *(["--offline"] if offline else []))
        assert proc.returncode == 0, proc.stderr
        _BUILDS[key] = out
    return _BUILDS[key]
