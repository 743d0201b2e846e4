"""The permalink lock: every published address, recorded so none breaks silently.

A hub commits ``permalinks.lock`` beside its ``mkdocs.yml``. Each line is
tab-separated text (UTF-8, sorted, so diffs stay readable)::

    lecture   <id>        lectures/<slug>/
    speaker   <id>        speakers/<slug>/
    redirect  <old url>   <new url>

``check`` compares the hub with the lock: a page whose address changed
(``JT090``: retitled speaker, new ``slug:``, a pinyin library upgrade) or a
page that disappeared (``JT091``) is an error until the lock is updated with
``python build.py permalinks --update``. The update records a ``redirect`` line
from each old address to the new one (a removed page redirects to its listing),
and every build then writes a small redirect page at the old address
(:func:`redirect_files`). New pages are not reported; the next update adds
them to the lock.

A hub without ``permalinks.lock`` has no permalink checks at all.
"""

from __future__ import annotations

import html
import logging
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .diagnostics import Report
from .slugs import id_key

if TYPE_CHECKING:
    from .hub import Hub

log = logging.getLogger(__name__)

#: File name of the lock, beside the hub's ``mkdocs.yml``.
LOCK_NAME = "permalinks.lock"
KINDS = ("lecture", "speaker")
#: Where a removed page of each kind sends its readers.
LISTING = {"lecture": "lectures/", "speaker": "speakers/"}
HEADER = ("# jiangtang 永久链接锁定文件：记录每个已发布页面的地址，防止链接悄悄失效。\n"
          "# 由 python build.py permalinks --update 生成；请随内容一起提交，不要手工修改。\n"
          "# 格式（制表符分隔）：lecture|speaker <编号> <地址>；redirect <旧地址> <新地址>\n")


@dataclass
class Lock:
    """The parsed lock file.

    Attributes:
        pages: ``(kind, id)`` → site-relative URL (``lectures/slug/``).
        lines: ``(kind, id)`` → 1-based line in the lock file.
        redirects: old URL → new URL (both site-relative, ending in ``/``).
    """

    pages: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)


def lock_path(hub: Hub) -> Path:
    """Path of the hub's ``permalinks.lock`` (it may not exist)."""
    return hub.config.root / LOCK_NAME


def current(hub: Hub) -> dict[tuple[str, str], str]:
    """Every permalink the hub publishes now: ``(kind, id)`` → URL."""
    out = {("lecture", lec.id): lec.url for lec in hub.lectures.values()}
    out.update({("speaker", sp.id): sp.url for sp in hub.speakers.values()})
    return out


def read_lock(path: Path) -> Lock:
    """Parse a lock file; blank lines and ``#`` comments are skipped.

    Raises:
        ValueError: a line is not three tab-separated fields of a known kind
            (the message names the line).
    """
    lock = Lock()
    for n, raw in enumerate(path.read_text("utf-8-sig").splitlines(), 1):
        line = raw.strip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in (*KINDS, "redirect"):
            raise ValueError(f"{path.name}:{n}: 无法识别的行：{line!r}")
        kind, key, url = parts
        if kind == "redirect":
            lock.redirects[key] = url
        else:
            lock.pages[(kind, key)] = url
            lock.lines[(kind, key)] = n
    return lock


def render_lock(pages: dict[tuple[str, str], str], redirects: dict[str, str]) -> str:
    """The lock file text for ``pages`` and ``redirects``, sorted (stable diffs)."""
    rows = [f"{kind}\t{key}\t{url}" for (kind, key), url in
            sorted(pages.items(), key=lambda kv: (KINDS.index(kv[0][0]), id_key(kv[0][1]), kv[0][1]))]
    rows += [f"redirect\t{old}\t{new}" for old, new in sorted(redirects.items())]
    return HEADER + "\n".join(rows) + "\n"


def _source(hub: Hub, kind: str, key: str):
    return (hub.lectures if kind == "lecture" else hub.speakers).get(key)


def check(hub: Hub, report: Report) -> None:
    """Compare the hub with its lock and record JT090/JT091/JT093 diagnostics.

    Args:
        hub: the loaded hub.
        report: receives one diagnostic per changed or removed page.
            Changed pages are located at their ``slug:`` line (or line 1);
            removed pages at their line in the lock.
    """
    path = lock_path(hub)
    if not path.is_file():
        return
    try:
        lock = read_lock(path)
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(LOCK_NAME, 0, 0, "JT093", f"permalinks.lock 无法解析：{exc}")
        return
    now = current(hub)
    for (kind, key), url in sorted(lock.pages.items()):
        what = "讲稿" if kind == "lecture" else "宣讲员"
        if (kind, key) not in now:
            if id_key(key) in hub.unloaded[kind]:
                continue  # its file is there but has errors of its own (reported there): not removed
            report.add(LOCK_NAME, lock.lines[(kind, key)], 1, "JT091",
                       f"已发布的{what}页面“{key}”（{url}）不存在了，旧链接将失效")
        elif now[(kind, key)] != url:
            item = _source(hub, kind, key)
            line = item.lines.get("slug", 1) if item.lines else 1
            report.add(item.shown, line, 1, "JT090",
                       f"{what}“{key}”的页面地址从 {url} 变成了 {now[(kind, key)]}，旧链接将失效")


def update(hub: Hub) -> tuple[Path, list[str]]:
    """Rewrite the lock for the hub as it is now, recording redirects for moved and removed pages.

    A moved page gets ``redirect old new`` (earlier redirects to ``old`` are
    forwarded to ``new`` as well); a removed page redirects to its listing;
    a redirect whose old address is again a live page is dropped.

    Returns:
        ``(lock path, Chinese lines describing each change)``.
    """
    path = lock_path(hub)
    lock = read_lock(path) if path.is_file() else Lock()
    now = current(hub)
    redirects = dict(lock.redirects)
    changes: list[str] = []
    for (kind, key), old in sorted(lock.pages.items()):
        new = now.get((kind, key))
        if new == old:
            continue
        target = new or LISTING[kind]
        redirects[old] = target
        changes.append(f"{old} → {target}" + ("" if new else "（页面已删除，转到列表页）"))
    live = set(now.values())
    for old in list(redirects):
        target, seen = redirects[old], {old}
        while target in redirects and target not in seen:  # follow chains: a → b → c becomes a → c
            seen.add(target)
            target = redirects[target]
        redirects[old] = target
        if old in live or old == target:
            del redirects[old]
    added = sorted(url for k, url in now.items() if k not in lock.pages)
    changes += [f"新增 {url}" for url in added]
    path.write_text(render_lock(now, redirects), encoding="utf-8", newline="\n")
    return path, changes


def redirect_page(old: str, new: str, directory_urls: bool = True, site_url: str = "") -> bytes:
    """A small HTML page sending readers from ``old`` to ``new``.

    It uses a meta refresh (works without JavaScript), a canonical link and a
    visible Chinese link, so search engines and people both follow it.

    Args:
        old, new: site-relative URLs ending in ``/`` (``lectures/a/``).
        directory_urls: ``False`` for file:// builds, where links name ``index.html``.
        site_url: absolute site URL (``https://…/``) for the canonical link, or ``""``.

    Returns:
        UTF-8 bytes of the page.
    """
    href = posixpath.relpath(new or ".", old or ".")
    href = "" if href == "." else href + "/"
    if not directory_urls:
        href += "index.html"
    href = href or "./"
    canonical = site_url + new if site_url else href
    h, c = html.escape(href), html.escape(canonical)
    return (f'<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>页面已迁移</title>\n'
            f'<link rel="canonical" href="{c}">\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={h}">\n</head>\n<body>\n'
            f'<p>本页已迁移到新地址：<a href="{h}">点击这里前往</a>。</p>\n</body>\n</html>\n').encode("utf-8")


def redirect_files(hub: Hub, directory_urls: bool = True) -> dict[str, bytes]:
    """Redirect pages for the lock's ``redirect`` lines: site path → HTML bytes.

    A redirect whose old address is a live page is skipped (the page wins).
    Returns an empty dict when the hub has no lock.
    """
    path = lock_path(hub)
    if not path.is_file():
        return {}
    try:
        lock = read_lock(path)
    except (ValueError, UnicodeDecodeError):
        return {}  # check() reports it
    live = set(current(hub).values())
    return {f"{old}index.html": redirect_page(old, new, directory_urls, hub.config.site_url)
            for old, new in sorted(lock.redirects.items()) if old not in live}
