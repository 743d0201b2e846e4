"""Raw HTML and URLs in Markdown: only a safe subset may reach the site.

Contributors may write a little HTML in Markdown (``<sup>``, ``<details>``,
tables). Whatever the sanitiser would remove is reported as an error with its
location, so the contributor sees it instead of a silent strip. The sanitiser is
nh3 (Python binding of the Rust crate ammonia, https://nh3.readthedocs.io/),
with its default allow-lists plus a few harmless generic attributes. Tags are
located with the standard library's HTML tokenizer
(:class:`html.parser.HTMLParser`); code blocks and code spans are masked first,
since HTML written there is shown, not run.

Codes: JT060 ``<script>``, JT061 event-handler attributes (``onclick`` …),
JT062 ``javascript:``/``data:``/``vbscript:`` URLs (in HTML attributes and in
Markdown links and images), JT063 embedded frames (``<iframe>``, ``<object>``,
``<embed>`` …), JT064 any other tag or attribute outside the safe subset, JT067
a resource loaded from another host (``<img src="https://…">``, ``srcset``,
``poster``, ``<video>``/``<audio>``/``<source>``/``<link>``): the built site must
make no request to another host, so a reader is not tracked by it.
"""

from __future__ import annotations

import html
import logging
import re
from html.parser import HTMLParser

import nh3

from .diagnostics import Report
from .links import _CODE_SPAN, _FENCE, find_links

log = logging.getLogger(__name__)

#: Tags allowed in raw HTML: nh3's defaults.
ALLOWED_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)
#: Attributes allowed on every tag, beyond nh3's per-tag defaults.
GENERIC_ATTRIBUTES: frozenset[str] = frozenset({"class", "id", "title", "lang", "dir", "markdown"})
#: Tag → attributes allowed on it ("*" is every tag), as passed to :func:`nh3.clean`.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{t: set(a) for t, a in nh3.ALLOWED_ATTRIBUTES.items()}, "*": set(GENERIC_ATTRIBUTES)}
#: URL schemes allowed in attributes: nh3's defaults (http, https, mailto, tel …).
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset(nh3.ALLOWED_URL_SCHEMES)

_FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "portal"})
_SCRIPTS = frozenset({"script", "noscript"})
_DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
_CONTROL = re.compile(r"[\x00-\x20]")
#: Attributes whose URL the browser fetches by itself when the page loads.
RESOURCE_ATTRIBUTES: frozenset[str] = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc"})
#: Tags whose ``href`` is fetched too (a stylesheet or icon), unlike ``<a href>``.
_HREF_LOADS = frozenset({"link"})


def url_scheme(url: str) -> str:
    """The lower-cased scheme of ``url`` as a browser reads it (``"javascript"``), or ``""``.

    Entities are decoded and ASCII control characters and spaces removed first,
    because browsers ignore them (``java&#09;script:`` is ``javascript:``).
    """
    cleaned = _CONTROL.sub("", html.unescape(url))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else ""


def is_external(url: str) -> bool:
    """True when the browser would fetch ``url`` from another host.

    Absolute ``http:``/``https:`` (or any other scheme with ``//``) URLs and
    protocol-relative ``//host/…`` ones are external; relative paths,
    ``#fragments`` and ``mailto:``/``tel:`` are not. Entities and control
    characters are removed first, as a browser does (see :func:`url_scheme`).
    """
    cleaned = _CONTROL.sub("", html.unescape(url)).replace("\\", "/")
    if cleaned.startswith("//"):
        return True
    scheme = url_scheme(cleaned)
    return scheme in ("http", "https", "ftp", "ws", "wss") or (bool(scheme) and cleaned[len(scheme) + 1:].startswith("//"))


def external_urls(name: str, value: str) -> list[str]:
    """The external URLs in one attribute value (every candidate of a ``srcset``)."""
    candidates = [c.strip().split(" ")[0] for c in value.split(",")] if name in ("srcset", "imagesrcset") else [value]
    return [c for c in candidates if c and is_external(c)]


def mask_code(body: str) -> str:
    """``body`` with fenced code blocks and code spans blanked out (same length, same lines).

    Only spaces replace the masked characters, so every line and column stays where it was.
    """
    out, fence = [], ""
    for line in body.split("\n"):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            out.append(" " * len(line))
        elif m:
            fence = m.group(1)
            out.append(" " * len(line))
        else:
            out.append(_CODE_SPAN.sub(lambda c: " " * len(c.group(0)), line))
    return "\n".join(out)


def _clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(ALLOWED_URL_SCHEMES), link_rel=None, strip_comments=False)


class _Tags(HTMLParser):
    """Collects every start tag with its position and raw text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, list[tuple[str, str | None]], str]] = []

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        self.found.append((line, col + 1, tag, attrs, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


#: Parents a tag needs to survive HTML5 fragment parsing (a lone ``<tr>`` is dropped).
_CONTEXT = {
    "tr": ("table", "tbody"), "td": ("table", "tbody", "tr"), "th": ("table", "tbody", "tr"),
    "tbody": ("table",), "thead": ("table",), "tfoot": ("table",), "caption": ("table",),
    "colgroup": ("table",), "col": ("table", "colgroup"), "rt": ("ruby",), "rp": ("ruby",), "rtc": ("ruby",),
}


def _kept_attributes(raw_tag: str, tag: str) -> set[str] | None:
    """Attribute names nh3 keeps on ``raw_tag``; ``None`` when it drops the tag itself.

    The tag is cleaned inside the parents it needs (:data:`_CONTEXT`), so table
    rows and cells are judged the way they appear in a real table.
    """
    parser = _Tags()
    void = raw_tag.rstrip().endswith("/>")
    parents = _CONTEXT.get(tag, ())
    fragment = raw_tag if void else raw_tag + f"</{tag}>"
    fragment = "".join(f"<{t}>" for t in parents) + fragment + "".join(f"</{t}>" for t in reversed(parents))
    parser.feed(_clean(fragment))
    parser.close()
    for _, _, t, attrs, _ in parser.found:
        if t == tag:
            return {name for name, _ in attrs}
    return None


def check_html(body: str, shown: str, report: Report, line_offset: int = 0, col_offset: int = 0) -> None:
    """Report raw HTML in a Markdown ``body`` that the sanitiser would not let through.

    Args:
        body: Markdown text.
        shown: path printed in messages.
        report: receives JT060–JT064 and JT067.
        line_offset: lines before ``body`` in the file.
        col_offset: columns before each line of ``body`` (an indented YAML block).
    """
    parser = _Tags()
    parser.feed(mask_code(body))
    parser.close()
    for line, col, tag, attrs, raw in parser.found:
        at = (shown, line + line_offset, col + col_offset)
        if ":" in tag:  # a Markdown autolink <scheme:…>
            scheme = url_scheme(raw[1:-1])
            if scheme in _DANGEROUS_SCHEMES:
                report.add(*at, "JT062", f"链接使用了 {scheme}: 地址")
            continue
        if tag in _SCRIPTS:
            report.add(*at, "JT060", f"正文里不能有 <{tag}> 脚本")
            continue
        if tag in _FRAMES:
            report.add(*at, "JT063", f"正文里不能嵌入 <{tag}>", "视频或网页请写成普通链接，例如 [观看视频](https://…)")
            continue
        for name, value in attrs:
            loads = name in RESOURCE_ATTRIBUTES or name == "imagesrcset" or (name == "href" and tag in _HREF_LOADS)
            for url in external_urls(name, value or "") if loads else ():
                report.add(*at, "JT067", f"<{tag}> 的 {name} 指向其他网站（{url[:80]}），打开页面时会向该网站发请求",
                           "把文件保存到站点目录里（例如讲稿旁边），再用相对路径引用；只想给出出处时写成普通链接")
        kept = _kept_attributes(raw, tag)
        if kept is None:
            report.add(*at, "JT064", f"正文里不能使用 HTML 标签 <{tag}>",
                       "改用 Markdown 写法；可用的标签有 " + "、".join(sorted({"b", "i", "sup", "sub", "details", "summary", "table", "img", "a"})) + " 等")
            continue
        for name, value in attrs:
            if name in kept:
                continue
            if name.startswith("on"):
                report.add(*at, "JT061", f"<{tag}> 标签带有事件属性 {name}", "删除这个属性")
            elif value is not None and url_scheme(value) in _DANGEROUS_SCHEMES:
                report.add(*at, "JT062", f"<{tag}> 的 {name} 使用了 {url_scheme(value)}: 地址",
                           "只能链接 http(s) 网址或站内相对路径")
            else:
                report.add(*at, "JT064", f"<{tag}> 标签不能带 {name} 属性", "删除这个属性")


def check_markdown_urls(body: str, shown: str, report: Report, line_offset: int = 0) -> None:
    """Report Markdown links and images whose target uses a dangerous scheme (JT062)."""
    for link in find_links(body):
        scheme = url_scheme(link.target)
        if scheme in _DANGEROUS_SCHEMES:
            what = "图片" if link.image else "链接"
            report.add(shown, line_offset + link.line, link.col, "JT062", f"{what}地址使用了 {scheme}: 协议",
                       "只能链接 http(s) 网址或站内相对路径；图片请放在讲稿旁边再引用")


def check_body(body: str, shown: str, report: Report, line_offset: int = 0, col_offset: int = 0) -> None:
    """All sanitiser checks on a Markdown body: raw HTML and link schemes."""
    check_html(body, shown, report, line_offset, col_offset)
    check_markdown_urls(body, shown, report, line_offset)
