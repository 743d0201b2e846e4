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
import pickle
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
        """Cache key of the page at source path ``path`` with Markdown ``text`` (or a digest of it,
        :meth:`jiangtang.pagestore.PageStore.digest`: either identifies the content)."""
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


class Memo:
    """Results of deterministic functions of their inputs, pickled by content hash.

    Stored in ``folder/memo/<2 hex>/<key>.pkl``. Used for the parts of a build
    that do not change when their input does not: a file's parsed and validated
    content (with its diagnostics). The key always includes
    a digest of this package's code, so a code change recomputes everything.
    The cache folder is local and written only by jiangtang (pickle loads what
    it stored, like Python's own ``__pycache__``).

    Args:
        folder: the cache folder.
        salt: further inputs every key depends on (e.g. the config file's bytes).
    """

    def __init__(self, folder: Path, salt: str = "") -> None:
        self.folder = Path(folder) / "memo"
        self.salt = hashlib.sha256(f"{LAYOUT}\0{__version__}\0{code_digest()}\0{salt}".encode()).hexdigest()
        self.hits = 0
        self.misses = 0

    def key(self, kind: str, *parts: bytes | str) -> str:
        """Key of a result of kind ``kind`` computed from ``parts``."""
        h = hashlib.sha256(f"{self.salt}\0{kind}\0".encode())
        for part in parts:
            h.update(part if isinstance(part, bytes) else part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> tuple[bool, object]:
        """``(True, value)`` when ``key`` is stored, else ``(False, None)`` (a damaged entry counts as missing)."""
        try:
            with open(self._file(key), "rb") as f:
                value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            self.misses += 1
            return False, None
        self.hits += 1
        return True, value

    def put(self, key: str, value: object) -> None:
        """Store ``value`` (pickled now: later changes to the object do not reach the cache)."""
        path = self._file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def call(self, kind: str, parts: tuple, fn, *args):
        """``fn(*args)``, or its stored result for the same ``kind`` and ``parts``."""
        key = self.key(kind, *parts)
        hit, value = self.get(key)
        if not hit:
            value = fn(*args)
            self.put(key, value)
        return value

    def file_call(self, kind: str, path: Path, report, fn):
        """``fn(sub_report)`` for a function of the file ``path`` alone; its diagnostics go to ``report``.

        Args:
            kind: what ``fn`` computes (part of the key).
            path: the only file ``fn`` reads; its bytes and location are part of the key.
            report: a :class:`~jiangtang.diagnostics.Report`; the diagnostics ``fn``
                reported (or the stored ones, on a hit) are added to it.
            fn: called with a fresh report on a miss.

        Returns:
            ``fn``'s result.
        """
        from .diagnostics import Report

        try:
            data = Path(path).read_bytes()
        except OSError:
            return fn(report)
        key = self.key(kind, str(Path(path).absolute()), os.getcwd(), data)
        hit, stored = self.get(key)
        if hit:
            value, items = stored
        else:
            sub = Report()
            value = fn(sub)
            items = sub.items
            self.put(key, (value, items))
        report.extend(items)
        return value


_code_digest: str | None = None


def code_digest() -> str:
    """SHA-256 of this package's Python code and packaged files (computed once per process)."""
    global _code_digest
    if _code_digest is None:
        _code_digest = tree_digest(Path(__file__).parent)
    return _code_digest


def memo_for(config_file: Path) -> Memo | None:
    """The :class:`Memo` of the hub whose config is ``config_file`` (``None`` when the cache is off)."""
    if not enabled():
        return None
    config_file = Path(config_file)
    try:
        salt = hashlib.sha256(config_file.read_bytes()).hexdigest()
    except OSError:
        return None
    return Memo(config_file.parent / CACHE_DIR, salt)


__all__ = ["CACHE_DIR", "Memo", "PageCache", "code_digest", "memo_for", "enabled", "fingerprint", "tree_digest"]
