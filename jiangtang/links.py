"""Relative links and images in Markdown bodies: find them, resolve them, rewrite them.

A contributor links lecture files the way they lie on disk (``[另见](../2022/a.md)``);
the site serves them at permalinks (``lectures/<slug>/``). We find inline links,
images and reference definitions outside code (CommonMark §6.3, §6.4, §4.7),
resolve each relative target against the file's folder, and rewrite it to the
target page's generated source path so the renderer turns it into a URL.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

log = logging.getLogger(__name__)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE = re.compile(r"(!?)\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)(\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFDEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<[^>\n]*>|\S+)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    """A link or image target found in a Markdown body.

    Attributes:
        target: the target as written (without ``<>``).
        image: True for ``![…](…)``.
        line: 1-based line within the body.
        col: 1-based column of the target.
        start, end: character offsets of the target in the body.
    """

    target: str
    image: bool
    line: int
    col: int
    start: int
    end: int

    @property
    def is_relative(self) -> bool:
        """True for a relative path (not a URL with a scheme, not ``/abs``, not ``#anchor`` only)."""
        t = self.target
        return bool(t) and not _SCHEME.match(t) and not t.startswith(("/", "#", "//"))

    def split(self) -> tuple[str, str]:
        """``(path, fragment)`` with the path percent-decoded; fragment without ``#``."""
        path, _, frag = self.target.partition("#")
        path = path.split("?", 1)[0]
        return unquote(path), frag


def find_links(body: str) -> list[Link]:
    """Every inline link, image and reference definition in ``body``, outside code.

    Returns links in document order. Fenced code blocks and code spans are skipped.
    """
    out: list[Link] = []
    fence = ""
    offset = 0
    for lineno, line in enumerate(body.split("\n"), 1):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
        elif m:
            fence = m.group(1)
        else:
            masked = _CODE_SPAN.sub(lambda c: " " * len(c.group(0)), line)
            for lm in _INLINE.finditer(masked):
                raw = lm.group(2)
                s = lm.start(2) + (1 if raw.startswith("<") else 0)
                target = raw[1:-1] if raw.startswith("<") else raw
                out.append(Link(target, lm.group(1) == "!", lineno, s + 1, offset + s, offset + s + len(target)))
            rm = _REFDEF.match(masked)
            if rm:
                raw = rm.group(2)
                s = rm.start(2) + (1 if raw.startswith("<") else 0)
                target = raw[1:-1] if raw.startswith("<") else raw
                out.append(Link(target, False, lineno, s + 1, offset + s, offset + s + len(target)))
        offset += len(line) + 1
    return out


def rewrite(body: str, replacements: dict[tuple[int, int], str]) -> str:
    """Replace the spans ``(start, end)`` of ``body`` with new targets.

    Targets containing spaces or parentheses are wrapped in ``<>`` so the
    Markdown stays valid.
    """
    parts, last = [], 0
    for (start, end), new in sorted(replacements.items()):
        bracketed = start > 0 and body[start - 1] == "<"  # target already written as <…>
        if any(c in new for c in " ()") and not new.startswith("<") and not bracketed:
            new = f"<{new}>"
        parts.append(body[last:start])
        parts.append(new)
        last = end
    parts.append(body[last:])
    return "".join(parts)


def relative(from_page: str, to_path: str) -> str:
    """Relative POSIX path from a page's source file to another site path.

    ``relative("lectures/a/index.md", "speakers/b/index.md")`` → ``"../../speakers/b/index.md"``.
    """
    # Pure string work on site paths: posixpath.relpath would ask the OS for the
    # working folder on every call, which dominated builds of large hubs.
    src = [p for p in from_page.split("/")[:-1] if p]
    dst = to_path.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    parts = [".."] * (len(src) - common) + dst[common:]
    return "/".join(parts) or "."
