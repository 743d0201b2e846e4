"""Plain text and headings of Markdown, for search, anchors and link checks.

Approximations of what the renderer produces: enough to index text and to
predict heading ids the way Python-Markdown's ``toc`` extension assigns them
(https://python-markdown.github.io/extensions/toc/: a repeated id gets ``_1``,
``_2`` … appended).
"""

from __future__ import annotations

import re

from .slugs import heading_slugify

_MD_STRIP = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"[*_`>|~]+"), " "),
    (re.compile(r"^\s*[-+]\s+", re.M), ""),
    (re.compile(r"^\s*:?-{3,}:?(\s*\|\s*:?-{3,}:?)*\s*$", re.M), ""),
    (re.compile(r"[ \t]+"), " "),
]
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def plain_text(markdown: str) -> str:
    """Markdown → plain text for indexing (links keep their text, markup dropped)."""
    text = markdown
    for pattern, repl in _MD_STRIP:
        text = pattern.sub(repl, text)
    return text.strip()


def headings(markdown: str) -> tuple[str, ...]:
    """ATX heading texts of a Markdown body, in order."""
    return tuple(plain_text(h) for h in _HEADING.findall(markdown))


def heading_ids(markdown: str, extra: tuple[str, ...] = ()) -> set[str]:
    """The ids the renderer gives the headings of ``markdown`` (plus ``extra`` heading texts first).

    Ids come from :func:`jiangtang.slugs.heading_slugify` and are made unique
    the way ``toc`` does it.
    """
    seen: set[str] = set()
    for text in (*extra, *headings(markdown)):
        slug = heading_slugify(text)
        candidate, n = slug, 0
        while candidate in seen:
            n += 1
            candidate = f"{slug}_{n}"
        seen.add(candidate)
    return seen
