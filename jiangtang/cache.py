"""Content-hash cache of rendered pages for incremental rebuilds.

A rendered page is stored under the SHA-256 of everything its HTML depends on:
a *fingerprint* of the whole build (jiangtang's version, theme and rendering code, the
renderer's versions, the config file, the templates, the hand-written pages, the
navigation and the build date) plus the page's own path and generated Markdown.
The generated Markdown already holds what the page shows of other things (a
lecture's speakers' names, its session table), so editing a speaker changes
the Markdown of exactly the pages that show that speaker.

Entries are written once and never changed (a new content → a new key). The cache lives in ``.cache/jiangtang/``
beside ``mkdocs.yml`` (git-ignored); deleting it is always safe. Set
``JIANGTANG_CACHE=0`` to turn it off.

This module does not import MkDocs: :mod:`jiangtang.plugin` feeds it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import __version__

log = logging.getLogger(__name__)

#: Folder of the cache, relative to the folder of ``mkdocs.yml``.
CACHE_DIR = Path(".cache") / "jiangtang"
#: Bump to drop every existing cache entry (layout change).
LAYOUT = "1"
#: Modules of this package that shape a page's HTML after its Markdown is generated (the
#: generated Markdown itself is part of each key, so the rest of the core needs no entry).
RENDER_SOURCES = ("plugin.py", "publish.py", "slugs.py", "cache.py", "offline.py")


def enabled() -> bool:
    """False when ``JIANGTANG_CACHE`` is ``0``/``false``/``no`` (the cache is on by default)."""
    return os.environ.get("JIANGTANG_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def tree_digest(folder: Path, h=None) -> str:
    """SHA-256 over every file under ``folder`` (relative path and bytes, sorted; hidden entries skipped).

    Args:
        folder: a folder; a missing folder digests as empty.
        h: an existing ``hashlib`` object to update instead of a new one.

    Returns:
        The hex digest.
    """
    h = h or hashlib.sha256()
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                h.update(path.relative_to(folder).as_posix().encode() + b"\0")
                h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _installed(folder: Path) -> bool:
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix)}
    folder = folder.resolve()
    return any(folder.is_relative_to(p) for p in prefixes) and "site-packages" in folder.parts


def fingerprint(*, config_file: Path, template_dirs: Iterable[str | Path], versions: dict[str, str],
                extra: Iterable[str] = ()) -> str:
    """The build-wide part of every cache key.

    Args:
        config_file: ``mkdocs.yml`` (its bytes count).
        template_dirs: theme folders; installed ones (under ``site-packages``) count
            by the ``versions`` given, others by their content.
        versions: name → version of every renderer package (e.g. mkdocs, mkdocs-material).
        extra: further strings the output depends on (navigation, extra CSS/JS,
            build date, digest of hand-written pages …).

    Returns:
        A hex digest; any change of the inputs changes it.
    """
    h = hashlib.sha256()
    h.update(f"layout {LAYOUT}\0jiangtang {__version__}\0".encode())
    pkg = Path(__file__).parent
    h.update(tree_digest(pkg / "theme").encode())
    for name in RENDER_SOURCES:  # code between the Markdown and the HTML: a dev edit invalidates too
        h.update((pkg / name).read_bytes() if (pkg / name).is_file() else b"-")
    for name, version in sorted(versions.items()):
        h.update(f"{name} {version}\0".encode())
    h.update(Path(config_file).read_bytes() + b"\0")
    for folder in template_dirs:
        folder = Path(folder)
        h.update(str(folder).encode() + b"\0")
        if not _installed(folder):
            h.update(tree_digest(folder).encode())
    for item in extra:
        h.update(item.encode() + b"\0")
    return h.hexdigest()


class PageCache:
    """Rendered pages by content hash, in ``folder/pages/<2 hex>/<key>.html``.

    Args:
        folder: the cache folder (created on first write).
        fingerprint: see :func:`fingerprint`.

    Attributes:
        hits / misses: counts of :meth:`lookup` results in this build.
    """

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()

    def key(self, path: str, text: str) -> str:
        """Cache key of the page at source path ``path`` with Markdown ``text``."""
        h = hashlib.sha256(self.fingerprint.encode())
        h.update(b"\0" + path.encode() + b"\0" + text.encode())
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / "pages" / key[:2] / f"{key}.html"

    def lookup(self, key: str) -> Path | None:
        """The stored file for ``key``, or ``None``; counts a hit or a miss."""
        self.used.add(key)
        path = self._file(key)
        if path.is_file():
            self.hits += 1
            return path
        self.misses += 1
        return None

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (atomically: a reader never sees half a file)."""
        self.used.add(key)
        path = self._file(key)
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def place(self, key: str, dest: Path) -> None:
        """Copy the stored page ``key`` to ``dest`` (a copy, not a link: later steps may edit the site in place).

        Raises:
            FileNotFoundError: ``key`` is not stored.
        """
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._file(key), dest)

    def prune(self) -> int:
        """Delete entries not used by this build; returns how many were deleted."""
        pages = self.folder / "pages"
        if not pages.is_dir():
            return 0
        removed = 0
        for sub in pages.iterdir():
            for f in sub.iterdir():
                if f.suffix == ".html" and f.stem not in self.used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed


__all__ = ["CACHE_DIR", "PageCache", "enabled", "fingerprint", "tree_digest"]
