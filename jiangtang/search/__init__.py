"""Site search for jiangtang hubs (讲堂站内搜索).

Public interface used by the compiler:

* :func:`build_search` — every output file of search (index shards, documents,
  JavaScript and CSS) as site-relative path → bytes;
* :func:`search_page_markdown` — Markdown (with raw HTML) of the page ``search/``;
* :data:`EXTRA_JAVASCRIPT`, :data:`EXTRA_CSS` — site-relative asset paths for
  MkDocs ``extra_javascript`` / ``extra_css``.

Design and measurements: ``design/search.md``.
"""

from __future__ import annotations

import json
from importlib import resources

from .doc import SearchDoc
from .index import IndexStats, build_index
from .normalize import normalize, t2s_table_json
from .pinyin import syllables

__all__ = [
    "EXTRA_CSS",
    "EXTRA_JAVASCRIPT",
    "IndexStats",
    "SearchDoc",
    "build_search",
    "build_search_with_stats",
    "normalize",
    "search_page_markdown",
]

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
    files["assets/search/search.js"] = search_js()
    files["assets/search/search.css"] = _asset("search.css").encode("utf-8")
    return files, stats


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
