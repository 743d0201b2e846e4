"""Site search for jiangtang hubs (讲堂站内搜索).

Public interface used by the compiler:

* :func:`cached_search_dir` — a folder holding ``search/idx/…`` for the documents,
  reused from the hub's cache folder while documents and code are unchanged;
* :func:`write_search` — write ``search/idx/…`` into a folder, streaming (bounded memory);
* :func:`search_assets` — the script and style sheet (``assets/search/…``);
* :func:`build_search` — every output file of search (index shards, documents,
  JavaScript and CSS) as site-relative path → bytes (small hubs, tests, dev site);
* :func:`search_page_markdown` — Markdown (with raw HTML) of the page ``search/``;
* :data:`EXTRA_JAVASCRIPT`, :data:`EXTRA_CSS` — site-relative asset paths for
  MkDocs ``extra_javascript`` / ``extra_css``.

Design and measurements: ``design/search.md``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

from .doc import SearchDoc
from .index import IndexStats, MapItems, build_index, write_index
from .normalize import normalize, t2s_table_json
from .pinyin import syllables

__all__ = [
    "EXTRA_CSS",
    "EXTRA_JAVASCRIPT",
    "IndexStats",
    "SearchDoc",
    "build_search",
    "build_search_with_stats",
    "cached_search_dir",
    "normalize",
    "search_assets",
    "search_page_markdown",
    "write_search",
]

log = logging.getLogger(__name__)

#: Site-relative path of the search script (loaded on every page).
EXTRA_JAVASCRIPT: list[str] = ["assets/search/search.js"]
#: Site-relative path of the search style sheet.
EXTRA_CSS: list[str] = ["assets/search/search.css"]


def _asset(name: str) -> str:
    return resources.files("jiangtang").joinpath("assets", "search", name).read_text(encoding="utf-8")


def search_js() -> bytes:
    """Return ``assets/search/search.js`` with the syllable list and T→S table filled in.

    Returns:
        UTF-8 bytes of the script.

    Raises:
        RuntimeError: the packaged script lacks its placeholders.
    """
    src = _asset("search.js")
    if '/*@@T2S@@*/""' not in src or "/*@@SYL@@*/[]" not in src:
        raise RuntimeError("assets/search/search.js lacks its build placeholders")
    src = src.replace('/*@@T2S@@*/""', t2s_table_json())
    src = src.replace("/*@@SYL@@*/[]", json.dumps(syllables(), separators=(",", ":")))
    return src.encode("utf-8")


def build_search_with_stats(docs: list[SearchDoc], *, shard_bytes: int = 16000) -> tuple[dict[str, bytes], IndexStats]:
    """Like :func:`build_search`, also returning index statistics.

    Args:
        docs: every searchable document of the hub.
        shard_bytes: target raw size of one index shard in bytes.

    Returns:
        ``(files, stats)`` — see :func:`build_search` and :class:`IndexStats`.

    Raises:
        ValueError: a document has an unknown ``kind``.
    """
    files, stats = build_index(docs, shard_bytes=shard_bytes)
    files.update(search_assets())
    return files, stats


def search_assets() -> dict[str, bytes]:
    """The two static files of search, for :data:`EXTRA_JAVASCRIPT` and :data:`EXTRA_CSS`.

    Returns:
        ``{"assets/search/search.js": …, "assets/search/search.css": …}`` (site path → bytes).

    Raises:
        RuntimeError: the packaged script lacks its placeholders.
    """
    return {
        "assets/search/search.js": search_js(),
        "assets/search/search.css": _asset("search.css").encode("utf-8"),
    }


def write_search(docs: list[SearchDoc], out_dir: Path, *, shard_bytes: int = 16000,
                 map_items: MapItems | None = None) -> IndexStats:
    """Write the search index files for ``docs`` under ``out_dir``, never holding them all in memory.

    Writes ``out_dir/search/idx/m.js``, ``s/<n>.js``, ``d/<id>.js`` and ``b/<id>.js``
    (the same bytes as the ``search/idx/…`` entries of :func:`build_search`); an
    existing ``out_dir/search/idx`` is replaced. The assets come from :func:`search_assets`.

    Args:
        docs: every searchable document of the hub (any order).
        out_dir: an existing folder (e.g. the built site, or a cache entry).
        shard_bytes: target raw size of one index shard in bytes.
        map_items: runs the build's independent items, e.g. on several cores:
            ``map_items(count, fn)`` calls ``fn(i)`` for every ``i`` in ``range(count)``,
            in any order, here or in forked processes (see
            :func:`jiangtang.search.index.write_index`); default: in order, here.

    Returns:
        Counts and byte totals of the index.

    Raises:
        ValueError: a document has an unknown ``kind``.
        OSError: the files cannot be written.
    """
    return write_index(docs, Path(out_dir), shard_bytes=shard_bytes, map_items=map_items)


#: Cache entries (index folders) kept per hub; older ones are deleted.
KEEP_CACHED = 3
#: Age in seconds after which an unfinished cache entry (an interrupted build) is deleted.
STALE_TMP_S = 3600


def docs_digest(docs: list[SearchDoc], *, shard_bytes: int = 16000) -> str:
    """SHA-256 of everything the index depends on: the documents (hashed one by one),
    the shard size, jiangtang's version and code (:func:`jiangtang.cache.code_digest`).

    Args:
        docs: the documents, in the order given (the order of a build is deterministic).
        shard_bytes: see :func:`write_search`.

    Returns:
        A hex digest.
    """
    from .. import __version__, cache

    h = hashlib.sha256(f"search {cache.LAYOUT} {__version__} {cache.code_digest()} {shard_bytes}\0".encode())
    for d in docs:
        h.update(pickle.dumps((d.url, d.kind, d.title, d.date, d.speakers, d.headings, d.body, d.keywords,
                               d.summary), protocol=4))
    return h.hexdigest()


def cached_search_dir(config_file: Path, docs: list[SearchDoc], *, shard_bytes: int = 16000,
                      map_items: MapItems | None = None) -> Path:
    """A folder holding ``search/idx/…`` for ``docs``, reused while documents and code are unchanged.

    With the cache on (:func:`jiangtang.cache.enabled`), the folder is
    ``<folder of mkdocs.yml>/.cache/jiangtang/search/<digest>/`` (digest from
    :func:`docs_digest`). A missing entry is written into a hidden temporary folder
    beside it and renamed when complete, so an interrupted build never leaves an
    entry that looks complete; only the :data:`KEEP_CACHED` most recently used
    entries are kept. The folder belongs to the cache: copy (or hard-link) its
    files, never change them.

    With the cache off (``JIANGTANG_CACHE=0``) the index is written into a new
    temporary folder (prefix ``jiangtang-search-``) that **the caller owns and
    must delete** (``shutil.rmtree``) after copying; test with
    ``jiangtang.cache.enabled()`` which case applies.

    Args:
        config_file: the hub's ``mkdocs.yml`` (locates the cache folder).
        docs: every searchable document of the hub.
        shard_bytes: see :func:`write_search`.
        map_items: see :func:`write_search` (used only when the index is written).

    Returns:
        The folder (its ``search/idx/m.js`` exists).

    Raises:
        ValueError: a document has an unknown ``kind``.
        OSError: the folder cannot be written.
    """
    from .. import cache

    if not cache.enabled():
        tmp = Path(tempfile.mkdtemp(prefix="jiangtang-search-"))
        try:
            write_search(docs, tmp, shard_bytes=shard_bytes, map_items=map_items)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp
    root = Path(config_file).parent / cache.CACHE_DIR / "search"
    final = root / docs_digest(docs, shard_bytes=shard_bytes)
    if (final / "search" / "idx" / "m.js").is_file():
        os.utime(final)  # most recently used: kept by _prune
        log.debug("search index reused from %s", final)
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        write_search(docs, tmp, shard_bytes=shard_bytes, map_items=map_items)
        if final.exists():  # a damaged entry, or a concurrent build finished first
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root, keep=final)
    return final


def _prune(root: Path, keep: Path) -> None:
    """Delete all but the newest :data:`KEEP_CACHED` entries and stale unfinished ones."""
    now = time.time()
    entries = []
    for p in root.iterdir():
        try:
            mtime = p.stat().st_mtime
        except OSError:
            continue
        if p.name.startswith(".tmp-"):
            if now - mtime > STALE_TMP_S:
                shutil.rmtree(p, ignore_errors=True)
        elif p.is_dir() and p != keep:
            entries.append((mtime, p))
    entries.sort(reverse=True)
    for _, p in entries[KEEP_CACHED - 1:]:
        shutil.rmtree(p, ignore_errors=True)


def build_search(docs: list[SearchDoc]) -> dict[str, bytes]:
    """Build every output file of site search.

    Args:
        docs: every lecture, speaker, session record and docs page as
            :class:`SearchDoc` (any order; newer dates rank first on ties).

    Returns:
        Site-relative path → file bytes, to be written verbatim into the site:
        ``search/idx/m.js`` (manifest), ``search/idx/s/<n>.js`` (index shards),
        ``search/idx/d/<id>.js`` and ``search/idx/b/<id>.js`` (display data and
        body text, one each per document), ``assets/search/search.js``
        and ``assets/search/search.css``.  The page ``search/index.md`` itself
        comes from :func:`search_page_markdown`.

    Raises:
        ValueError: a document has an unknown ``kind``.
    """
    return build_search_with_stats(docs)[0]


def search_page_markdown() -> str:
    """Return the Markdown source of the search page (``search/index.md``).

    The page holds a GET form (``q`` and ``type``), a status line, the result
    list ``<div id="search-results">`` and a ``<noscript>`` note; the script
    reads ``?q=`` and ``?type=`` so a search can be shared as a link.

    Returns:
        Markdown with raw HTML, zh-CN text, title ``搜索``.
    """
    return """---
title: 搜索
hide:
  - toc
---

# 搜索

<form id="jt-search-form" class="jt-search-form" role="search" action="index.html" method="get">
<label class="jt-search-form__label" for="jt-search-input">关键词</label>
<input id="jt-search-input" class="jt-search-form__input" type="search" name="q" placeholder="例如：高标准农田、仇红梅、dongxun、bxmz" autocomplete="off" spellcheck="false">
<label class="jt-search-form__label" for="jt-search-type">类型</label>
<select id="jt-search-type" class="jt-search-form__type" name="type">
<option value="">全部</option>
<option value="lecture">讲稿</option>
<option value="speaker">宣讲员</option>
<option value="session">宣讲记录</option>
<option value="page">页面</option>
</select>
<button type="submit" class="md-button md-button--primary jt-search-form__submit">搜索</button>
</form>

<p id="jt-search-status" class="jt-search-status" role="status" aria-live="polite"></p>

<div id="search-results" class="jt-search-results" data-state="idle" data-q=""></div>

<p class="jt-search-more-wrap"><button type="button" id="jt-search-more" class="md-button jt-search-more" hidden>显示更多结果</button></p>

<noscript><p class="jt-search-noscript">站内搜索需要浏览器启用 JavaScript。没有 JavaScript 时，请通过导航栏按栏目浏览讲稿、宣讲员和宣讲记录。</p></noscript>

<p class="jt-search-help">支持：任意两个以上汉字的片段（如“农田”“冬训联盟”），标题和人名中的单字，全拼（shanli）、首字母（bxmz）、汉字加拼音（单li），繁体字和全角字母。多个词用空格隔开，表示同时包含。</p>
"""
