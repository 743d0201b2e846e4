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
  bytes; hidden entries (``.git``, ``.cache``, ``.venv``), ``__pycache__``,
  ``node_modules`` and folders that hold a built site (an ``index.html`` beside a
  ``404.html``) are left out, the output folder always;
* ``docs_dir`` and ``theme.custom_dir`` when they lie outside the hub folder;
* this package's code (:func:`jiangtang.cache.code_digest`) and the name and version
  of every installed distribution (MkDocs, Material, Markdown extensions, …);
* the build options (``--strict``, ``--offline``), the build date
  (:func:`jiangtang.hub.build_date`: "upcoming" sessions depend on it) and the
  ``JIANGTANG_*`` environment variables.

Output (:func:`output_digest`): relative path, size and modification time (ns) of every
file in the output folder, so a deleted, added or edited output file forces a build.

Stamps live in ``.cache/jiangtang/builds/`` beside ``mkdocs.yml``; deleting them, or
``JIANGTANG_CACHE=0``, makes every build a full one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from . import cache
from .config import referenced_folders
from .diagnostics import Diagnostic, Report

log = logging.getLogger(__name__)

#: Folder names never read as inputs.
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})
#: A folder holding both files is a built site (MkDocs writes both), not an input.
SITE_MARKERS = ("index.html", "404.html")


def _is_site(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SITE_MARKERS)


def _walk_inputs(folder: Path, h, skip: set[Path]) -> None:
    """Feed ``h`` every input file under ``folder`` (sorted, relative path then bytes)."""
    if not folder.is_dir():
        h.update(b"-missing-\0")
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS
                             and (here / d).resolve() not in skip and not _is_site(here / d))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            try:
                data = path.read_bytes()
            except OSError:  # unreadable: the build reports it; make the stamp never match
                data = os.urandom(16)
            h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            h.update(hashlib.sha256(data).digest())


def _outside_folders(config_file: Path) -> list[Path]:
    """``docs_dir`` and ``theme.custom_dir`` when they lie outside the hub folder."""
    root = config_file.parent.resolve()
    return [f for f in referenced_folders(config_file) if not f.is_relative_to(root)]


def inputs_digest(config_file: Path, site_dir: Path, options: dict[str, object]) -> str:
    """SHA-256 (hex) of everything a build of ``config_file`` into ``site_dir`` reads (see the module docstring).

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site_dir: the output folder (left out of the inputs).
        options: build options that change the output (``strict``, ``offline`` …); values are ``repr``-ed.
    """
    from .hub import build_date

    config_file = Path(config_file).resolve()
    h = hashlib.sha256()
    h.update(f"jiangtang {cache.code_digest()}\0python {sys.version}\0".encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        h.update(dist.encode() + b"\0")
    for key, value in sorted(options.items()):
        h.update(f"{key}={value!r}\0".encode())
    h.update(f"date {build_date().isoformat()}\0".encode())
    for key, value in sorted(os.environ.items()):
        if key.startswith("JIANGTANG_"):
            h.update(f"{key}={value}\0".encode())
    skip = {Path(site_dir).resolve()}
    _walk_inputs(config_file.parent, h, skip)
    for folder in _outside_folders(config_file):
        h.update(str(folder).encode() + b"\0")
        _walk_inputs(folder, h, skip)
    return h.hexdigest()


def output_digest(site_dir: Path) -> str:
    """SHA-256 (hex) of the listing of ``site_dir``: relative path, size and mtime (ns) of every file;
    ``""`` when the folder does not exist."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        return ""
    h = hashlib.sha256()
    stack = [site_dir]
    entries = []
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    entries.append((entry.path, st.st_size, st.st_mtime_ns))
    for path, size, mtime in sorted(entries):
        h.update(f"{os.path.relpath(path, site_dir)}\0{size}\0{mtime}\0".encode("utf-8", "surrogateescape"))
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


__all__ = ["inputs_digest", "output_digest", "fresh", "record", "forget", "SITE_MARKERS"]
