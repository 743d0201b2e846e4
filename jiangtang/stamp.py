"""Up-to-date check of a built site: a build whose inputs and output are both unchanged is not redone.

``build.py build`` records, after each successful build, a *stamp* for its output
folder: the SHA-256 of everything the build read (its inputs) and of the output it
left (its manifest), with the diagnostics it printed and its page count. The next
build into the same folder first recomputes both digests; when they match, the site
on disk is exactly what a new build would write, so the build is skipped and the
stored diagnostics are printed again (``make`` decides the same way, by content
here rather than by time).

Inputs (:func:`inputs_digest`):

* every file under the hub folder (the folder of ``mkdocs.yml``: config, content,
  ``docs/``, overrides, attachments, ``permalinks.lock``, …), by relative path and
  bytes. Left out: the output folder; hidden entries and ``__pycache__``; at the top
  of the hub folder also ``node_modules`` and folders holding a built site (an
  ``index.html`` beside a ``404.html``). Nothing is left out inside ``docs_dir`` and
  ``theme.custom_dir``, since MkDocs may publish any file there;
* the config files ``mkdocs.yml`` inherits from (``INHERIT``) and every existing file
  or folder outside the hub that a string in the config files names (``docs_dir``,
  ``theme.custom_dir``, ``hooks``, ``pymdownx.snippets``' ``base_path`` …); a folder
  too large to hash (:data:`MAX_OUTSIDE_FILES`) or an unreadable file means the build
  always runs;
* this package's code (:func:`jiangtang.cache.code_digest`) and the name and version
  of every installed distribution (MkDocs, Material, Markdown extensions, …);
* the build options (``--strict``, ``--offline``), the build dates (jiangtang's
  :func:`jiangtang.hub.build_date` for "upcoming" sessions; MkDocs' UTC date for the
  sitemap, or ``SOURCE_DATE_EPOCH`` itself), and the environment variables the build
  reads: ``SOURCE_DATE_EPOCH``, ``JIANGTANG_*`` and those named by ``!ENV`` tags in the
  config files.

Output (:func:`output_digest`): relative path, size, inode, modification and status-change
times (ns) of every file in the output folder, so a deleted, added or edited output file
forces a build (the status-change time cannot be set back by hand, as the modification time can).

Not covered: Python code of other packages installed in editable mode, changed without a new
version number (delete the stamp: ``.cache/jiangtang/builds/``). Without
``SOURCE_DATE_EPOCH``, MkDocs writes the current time into ``sitemap.xml.gz``'s header, so no two
builds are byte-identical there; the skipped site keeps the earlier time of the same day.

Stamps live in ``.cache/jiangtang/builds/`` beside ``mkdocs.yml``; deleting them, or
``JIANGTANG_CACHE=0``, makes every build a full one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from . import cache
from .config import config_files, raw_config, referenced_folders
from .diagnostics import Diagnostic, Report

log = logging.getLogger(__name__)

#: Folder names left out at the top of the hub folder (with hidden ones and built sites), never inside
#: ``docs_dir`` or ``theme.custom_dir``, whose every file MkDocs may publish.
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})
#: A folder holding both files is a built site (MkDocs writes both), not an input.
SITE_MARKERS = ("index.html", "404.html")
#: Files hashed at most per folder outside the hub that the config names; beyond, the build is never skipped.
MAX_OUTSIDE_FILES = 20000
#: ``!ENV NAME`` or ``!ENV [NAME, OTHER, default]`` in a config file (MkDocs' environment variable tag).
_ENV_TAG = re.compile(r"!ENV\s+(\[[^\]]*\]|\S+)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Unverifiable(Exception):
    """An input cannot be hashed (too large or unreadable): the build must run."""


def _is_site(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SITE_MARKERS)


def _walk_inputs(folder: Path, h, skip: set[Path], published: tuple[Path, ...] = (), limit: int | None = None) -> None:
    """Feed ``h`` every input file under ``folder`` (sorted; relative path, then SHA-256 of the bytes).

    Args:
        folder: the folder to walk (a missing one hashes as missing).
        skip: resolved folders never read (the output folder).
        published: resolved folders from which nothing is left out (``docs_dir``, ``theme.custom_dir``);
            elsewhere hidden entries and ``__pycache__`` are left out, and at the top of ``folder``
            also ``node_modules`` and built sites.
        limit: most files to read.

    Raises:
        _Unverifiable: more than ``limit`` files, or a file that cannot be read.
    """
    if not folder.is_dir():
        h.update(b"-missing-\0" if not folder.is_file() else hashlib.sha256(folder.read_bytes()).digest())
        return
    count = 0
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):  # MkDocs publishes linked folders' files
        here = Path(dirpath)
        real = os.path.realpath(dirpath)
        if real in seen:  # a link back up the tree
            dirnames[:] = []
            continue
        seen.add(real)
        free = any(here.resolve().is_relative_to(p) for p in published)

        def left_out(d: str) -> bool:
            sub = (here / d).resolve()
            if sub in skip:
                return True
            if free or any(sub.is_relative_to(p) or p.is_relative_to(sub) for p in published):
                return False
            if d.startswith(".") or d == "__pycache__":
                return True
            return here == folder and (d in SKIPPED_DIRS or _is_site(here / d))

        dirnames[:] = sorted(d for d in dirnames if not left_out(d))
        for name in sorted(filenames):
            if name.startswith(".") and not free:
                continue
            count += 1
            if limit is not None and count > limit:
                raise _Unverifiable(f"{folder}: more than {limit} files")
            path = here / name
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _Unverifiable(str(exc)) from None
            h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            h.update(hashlib.sha256(data).digest())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _named_paths(files: list[Path], root: Path) -> list[Path]:
    """Existing files and folders named by any string of the config files, resolved against ``root``, the
    naming file's folder and the current folder (where ``pymdownx.snippets`` resolves ``base_path``):
    ``docs_dir``, ``theme.custom_dir``, ``hooks``, extension options, …, inside the hub folder too (the
    walk of the hub leaves some folders out); the config files themselves. Left out: the hub folder
    itself and built sites (``site_dir``)."""
    found: dict[Path, None] = {}
    for path in files:
        found[path] = None
        for text in _strings(raw_config(path)):
            if not text or len(text) > 4096 or "\n" in text or "://" in text:
                continue
            for base in dict.fromkeys((root, path.parent, Path.cwd())):
                try:
                    candidate = (base / text).resolve()
                    exists = candidate.exists()
                except (OSError, ValueError):
                    continue
                if exists and candidate != root and not (candidate.is_dir() and _is_site(candidate)):
                    found[candidate] = None
    return sorted(found)


def config_digest(config_file: Path, files: list[Path] | None = None) -> str:
    """SHA-256 (hex) of the configuration as MkDocs reads it: the bytes of ``mkdocs.yml`` and of the files it
    inherits from (``INHERIT``; ``files`` when the caller has them, :func:`jiangtang.config.config_files`),
    and the values of the environment variables its ``!ENV`` tags name. Also a part of the page cache's
    fingerprint (:mod:`jiangtang.plugin`)."""
    h = hashlib.sha256()
    names: set[str] = set()
    for path in files or config_files(Path(config_file).resolve()):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"-missing-"
        h.update(str(path).encode() + b"\0" + hashlib.sha256(data).digest())
        names.update(n for m in _ENV_TAG.finditer(data.decode("utf-8", "replace")) for n in _NAME.findall(m.group(1)))
    for key in sorted(names):
        h.update(f"{key}={os.environ.get(key)!r}\0".encode())
    return h.hexdigest()


def inputs_digest(config_file: Path, site_dir: Path, options: dict[str, object]) -> str:
    """SHA-256 (hex) of everything a build of ``config_file`` into ``site_dir`` reads (see the module docstring).

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site_dir: the output folder (left out of the inputs).
        options: build options that change the output (``strict``, ``offline`` …); values are ``repr``-ed.

    Returns:
        The digest, or a random value (the build is never skipped) when an input cannot be hashed:
        an unreadable file, or a folder outside the hub with more than :data:`MAX_OUTSIDE_FILES` files.
    """
    from .hub import build_date

    config_file = Path(config_file).resolve()
    root = config_file.parent
    h = hashlib.sha256()
    h.update(f"jiangtang {cache.code_digest()}\0python {sys.version}\0".encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        h.update(dist.encode() + b"\0")
    for key, value in sorted(options.items()):
        h.update(f"{key}={value!r}\0".encode())
    # the build date (Asia/Shanghai, jiangtang.hub.build_date) and MkDocs' own (UTC, the sitemap's <lastmod>)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    utc = epoch if epoch else dt.datetime.now(dt.timezone.utc).date().isoformat()
    h.update(f"date {build_date().isoformat()} {utc}\0".encode())
    files = config_files(config_file)
    h.update(f"config {config_digest(config_file, files)}\0".encode())
    for key in sorted({"SOURCE_DATE_EPOCH"} | {k for k in os.environ if k.startswith("JIANGTANG_")}):
        h.update(f"{key}={os.environ.get(key)!r}\0".encode())
    skip = {Path(site_dir).resolve()}
    published = tuple(f for f in referenced_folders(config_file) if f.is_dir())
    try:
        _walk_inputs(root, h, skip, published)
        for path in _named_paths(files, root):
            if path in skip or any(path.is_relative_to(s) for s in skip):
                continue
            h.update(str(path).encode() + b"\0")
            _walk_inputs(path, h, skip | {root}, published, MAX_OUTSIDE_FILES)
    except _Unverifiable as exc:
        log.debug("inputs cannot be hashed, the build will run: %s", exc)
        h.update(os.urandom(16))
    return h.hexdigest()


def file_stats(folder: Path, recursive: bool = True, hidden: bool = True) -> dict[str, os.stat_result]:
    """``path → stat`` of every file under ``folder`` (a linked file's target's stat; linked folders are not
    entered; unreadable entries skipped).

    Args:
        folder: the folder; a missing one has no files.
        recursive: include subfolders.
        hidden: include entries whose name starts with ``.``.
    """
    found: dict[str, os.stat_result] = {}
    stack = [str(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if recursive:
                        stack.append(entry.path)
                else:
                    found[entry.path] = entry.stat()
            except OSError:
                continue
    return found


def output_digest(site_dir: Path) -> str:
    """SHA-256 (hex) of the listing of ``site_dir``: relative path, size, inode, mtime and ctime (ns) of every file;
    ``""`` when the folder does not exist."""
    if not Path(site_dir).is_dir():
        return ""
    h = hashlib.sha256()
    for path, st in sorted(file_stats(site_dir).items()):
        facts = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
        h.update(f"{os.path.relpath(path, site_dir)}\0{facts}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _stamp_file(config_file: Path, site_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(site_dir).resolve()).encode()).hexdigest()[:24]
    return Path(config_file).resolve().parent / cache.CACHE_DIR / "builds" / f"{key}.json"


def fresh(config_file: Path, site_dir: Path, inputs: str) -> dict | None:
    """The stamp of the last build into ``site_dir`` when that site is up to date, else ``None``.

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site_dir: the output folder.
        inputs: :func:`inputs_digest` of the build about to run.

    Returns:
        ``{"pages": int, "report": Report}`` (the diagnostics the skipped build would print),
        or ``None``: no stamp, the cache is off, the inputs changed, or the output was touched.
    """
    if not cache.enabled():
        return None
    try:
        stamp = json.loads(_stamp_file(config_file, site_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("inputs") != inputs or stamp.get("output") != output_digest(site_dir):
        return None
    report = Report()
    try:
        report.extend(Diagnostic(**item) for item in stamp["report"])
        return {"pages": int(stamp["pages"]), "report": report}
    except (KeyError, TypeError, ValueError):
        return None


def record(config_file: Path, site_dir: Path, inputs: str, pages: int, report: Report) -> None:
    """Write the stamp of a successful build into ``site_dir`` (atomically; a failure to write is only logged).

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site_dir: the output folder, already in place.
        inputs: :func:`inputs_digest` computed *before* the build read anything (an edit made
            during the build then makes the next build run).
        pages: generated page count (for the summary line).
        report: the build's diagnostics.
    """
    if not cache.enabled():
        return
    path = _stamp_file(config_file, site_dir)
    data = {"inputs": inputs, "output": output_digest(site_dir), "pages": pages,
            "report": [asdict(d) for d in report.items]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("stamp not written: %s", exc)


def forget(config_file: Path, site_dir: Path) -> None:
    """Drop the stamp of ``site_dir`` (before a build changes it)."""
    _stamp_file(config_file, site_dir).unlink(missing_ok=True)


__all__ = ["inputs_digest", "output_digest", "file_stats", "config_digest", "fresh", "record", "forget", "SITE_MARKERS"]
