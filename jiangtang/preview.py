"""Live preview for editors (``build.py serve``): a saved lecture shows at once, the rest of the site follows.

How it works:

1. A full build (``python -m jiangtang build -q``, a child process) writes the preview
   site into ``.cache/jiangtang/preview/`` beside ``mkdocs.yml`` (a temporary folder
   when the cache is off). A build whose inputs did not change is skipped
   (:mod:`jiangtang.stamp`), so restarting the preview on an unchanged hub is quick.
2. Meanwhile this process keeps the compiled hub and MkDocs' state for it
   (:class:`jiangtang.plugin.PageRenderer`).
3. MkDocs' live-reload server (``mkdocs.livereload.LiveReloadServer``) serves the
   folder, injects its reload script into pages and watches the content folders,
   ``docs/``, the hub folder's own files (``mkdocs.yml``, ``permalinks.lock``) and
   ``theme.custom_dir``. After each change it calls :meth:`Preview.on_change`, then
   tells open browsers to reload.
4. :meth:`Preview.on_change` finds which files changed, stops a full build still running
   (it was building old content), and when every change is an edit of an existing
   lecture, takes them into the hub (:func:`jiangtang.compiler.update_lectures`) and
   re-renders its page in place: the edited page is served at once, in well under a
   second however large the hub. A file with errors is reported (file:line, fix
   hint) and the preview keeps its last good state. Then a full build starts in the
   background; when it succeeds, browsers reload again, with listings, speaker pages,
   search and feeds up to date.
5. Any other change (a speaker, a session file, a new or renamed lecture, the
   config, a template) goes to the full build alone; the kept state is rebuilt
   after that build, and edits are fast again from then on.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import cache
from .compiler import Site, compile_hub, update_lectures
from .config import config_files, referenced_folders
from .stamp import file_stats
from .diagnostics import HubError, Report

log = logging.getLogger(__name__)

#: Folders of the hub watched recursively, besides ``docs_dir`` and ``theme.custom_dir``.
CONTENT_DIRS = ("lectures", "speakers", "sessions")
#: Preview site folder, relative to ``mkdocs.yml``'s folder (inside the cache).
PREVIEW_DIR = cache.CACHE_DIR / "preview"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Preview:
    """The state of one ``build.py serve`` session.

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site: the hub compiled by the caller (already checked).
        site_dir: the folder served (written by full builds and by :meth:`on_change`).
        strict: passed on to the builds (warnings fail them).
        overrides: MkDocs ``load_config`` options for :class:`~jiangtang.plugin.PageRenderer` (``docs_dir``).
    """

    def __init__(self, config_file: Path, site: Site, site_dir: Path, strict: bool = False, overrides: dict | None = None):
        self.config_file = Path(config_file).resolve()
        self.root = self.config_file.parent
        self.site_dir = Path(site_dir)
        self.strict = strict
        self.overrides = overrides or {}
        self.site: Site | None = site
        self.renderer = None  # a PageRenderer for self.site; None while it is stale
        self.server = None
        self._lock = threading.Lock()  # guards site, renderer, _child and _generation
        self._child: subprocess.Popen | None = None
        self._generation = 0  # changes seen so far: a state rebuilt from older files is not kept
        self._reload_pending = False  # a background build finished: the next on_change reloads browsers
        #: ``(folder, recursive)`` pairs watched: the hub folder's own files, inherited config files' folders,
        #: the content folders, ``docs_dir`` and ``theme.custom_dir`` as they were at start (a restart picks up new ones).
        self.watched = self._folders()
        self._snapshot = self._scan()

    # -- what is watched ---------------------------------------------------

    def _folders(self) -> list[tuple[Path, bool]]:
        out = [(self.root, False)]
        out += [(f.parent, False) for f in config_files(self.config_file) if not f.is_relative_to(self.root)]  # INHERIT
        folders = [self.root / name for name in CONTENT_DIRS] + referenced_folders(self.config_file)
        seen = set()
        for folder in folders:
            folder = folder.resolve()
            if folder.is_dir() and folder not in seen:
                seen.add(folder)
                out.append((folder, True))
        return out

    def _scan(self) -> dict[Path, tuple[int, int]]:
        """``path → (size, mtime_ns)`` of every watched file (hidden entries left out)."""
        return {Path(path): (st.st_size, st.st_mtime_ns) for folder, recursive in self.watched
                for path, st in file_stats(folder, recursive, hidden=False).items()}

    def _changes(self) -> tuple[set[Path], set[Path]]:
        """``(edited, added or removed)`` files since the last call."""
        now = self._scan()
        before, self._snapshot = self._snapshot, now
        edited = {p for p in now.keys() & before.keys() if now[p] != before[p]}
        return edited, set(now.keys() ^ before.keys())

    # -- full builds -------------------------------------------------------

    def full_build_command(self, quiet: bool = True) -> list[str]:
        """The child process of a full build into :attr:`site_dir`."""
        cmd = [sys.executable, "-m", "jiangtang", "build", "-f", str(self.config_file), "-d", str(self.site_dir)]
        return cmd + (["-q"] if quiet else []) + (["--strict"] if self.strict else [])

    def _stop_child(self) -> None:
        """Stop the running full build (Ctrl+C to its process group: it removes its temporary folder)."""
        with self._lock:
            child, self._child = self._child, None
        if child is None or child.poll() is not None:
            return
        try:
            os.killpg(child.pid, signal.SIGINT)
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        except ProcessLookupError:
            pass

    def _start_child(self) -> None:
        """Start a full build in the background; :meth:`_after_child` reports its end."""
        started = time.monotonic()
        child = subprocess.Popen(self.full_build_command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True, encoding="utf-8", errors="replace", start_new_session=True)
        with self._lock:
            self._child = child
            generation = self._generation
        threading.Thread(target=self._after_child, args=(child, started, generation), daemon=True).start()

    def _after_child(self, child: subprocess.Popen, started: float, generation: int) -> None:
        _, err = child.communicate()
        with self._lock:
            current = self._child is child
            if current:
                self._child = None
        if not current:  # stopped for a newer change
            return
        if child.returncode != 0:
            _say(err.rstrip())
            _say("预览中其他页面未更新：请按上面的提示修改后保存。")
            return
        _say(f"预览已全部更新（讲稿列表、宣讲员、搜索等，用时 {time.monotonic() - started:.1f} 秒）。")
        self._reload()
        if self.renderer is None:
            self._refresh(generation)

    def _refresh(self, generation: int) -> None:
        """Rebuild the kept hub and renderer from the files as they are now (after a change that the fast
        path does not cover); discarded when files changed again meanwhile."""
        from .plugin import PageRenderer

        try:
            site = compile_hub(self.config_file, strict=self.strict, search_index=False)
            renderer = PageRenderer(self.config_file, site, self.site_dir, **self.overrides)
        except Exception as exc:  # noqa: BLE001 - the full build reported the real problem; stay on full builds
            log.debug("preview state not rebuilt: %s", exc, exc_info=True)
            return
        with self._lock:
            if self._generation == generation:
                self.site, self.renderer = site, renderer

    def _reload(self) -> None:
        """Make the server's build loop call :meth:`on_change` (which finds nothing new) and reload browsers."""
        server = self.server
        if server is None:
            return
        self._reload_pending = True
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    # -- changes -----------------------------------------------------------

    def on_change(self) -> None:
        """Handle what changed since the last call (the live-reload server's builder; see the module docstring)."""
        edited, moved = self._changes()
        if not edited and not moved:
            if self._reload_pending:  # a full build finished: the server reloads browsers
                self._reload_pending = False
            elif self.server is not None:  # an event that changed nothing (e.g. a touch): no reload
                with self.server._epoch_cond:
                    self.server._wanted_epoch = self.server._visible_epoch
                    self.server._epoch_cond.notify_all()
            return
        self._stop_child()
        with self._lock:
            self._generation += 1
        started = time.perf_counter()
        done = self._fast_path(edited) if not moved else None
        if done is False:
            return  # errors were reported: a full build would fail the same way
        if done:
            names = "、".join(done)
            _say(f"已更新 {names}（{time.perf_counter() - started:.2f} 秒）；其他页面正在后台更新……")
        else:
            with self._lock:
                self.renderer = None
            _say("检测到修改，正在重新生成预览……")
        self._start_child()

    def _fast_path(self, edited: set[Path]) -> list[str] | bool | None:
        """Re-render the pages of edited lecture files.

        Returns:
            The pages' URLs; ``None`` when some change is not an edit of a lecture's own page
            (the full build handles it); ``False`` when a file has errors (already reported).
        """
        lectures = (self.root / "lectures").resolve()
        if not edited or not all(p.suffix == ".md" and p.resolve().is_relative_to(lectures) for p in edited):
            return None
        with self._lock:
            if self.renderer is None or self.site is None:
                return None
            report = Report()
            try:
                pages = update_lectures(self.site, sorted(edited), report, self.strict)
            except HubError as exc:
                _say(exc.report.render("text"))
                names = "、".join(sorted(_shown(p, self.root) for p in edited))
                _say(f"预览未更新：{names} 有 {len(exc.report.errors)} 个错误，"
                     f"{len(exc.report.warnings)} 个警告。请按上面的提示修改后保存。")
                return False
            if pages is None:
                return None
            if report.items:
                _say(report.render("text"))
            try:
                for page in pages:
                    self.renderer.render(page)
            except Exception as exc:  # noqa: BLE001 - a template error: the full build reports it located
                log.debug("fast path failed: %s", exc, exc_info=True)
                self.renderer = None
                return None
            return ["/" + page[: -len("index.md")] for page in pages]

    # -- running -----------------------------------------------------------

    def serve(self, dev_addr: str) -> int:
        """Build the preview, serve it at ``dev_addr`` (``host:port``) until Ctrl+C.

        Returns:
            0, or the failed first build's exit code.
        """
        from mkdocs.livereload import LiveReloadServer

        from .plugin import PageRenderer

        first = self._child = subprocess.Popen(self.full_build_command(quiet=False), start_new_session=True)
        try:
            self.renderer = PageRenderer(self.config_file, self.site, self.site_dir, **self.overrides)
            code = first.wait()
        except BaseException:
            self._stop_child()
            raise
        self._child = None
        if code != 0:
            _say("预览站点生成失败。")
            return code
        host, _, port = dev_addr.rpartition(":")
        mount = urlsplit(self.site.hub.config.site_url or "/").path or "/"
        server = self.server = LiveReloadServer(builder=self.on_change, host=host or "127.0.0.1", port=int(port),
                                                root=str(self.site_dir), mount_path=mount)
        server.error_handler = self._error_page
        _watch(server, self.watched)
        logging.getLogger("mkdocs.livereload").setLevel(logging.WARNING)  # its messages are English; ours follow
        _say(f"预览地址：{server.url} （保存即刷新；按 Ctrl+C 停止）")
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill`: stop the background build too
        try:
            server.serve()
        except KeyboardInterrupt:  # Ctrl+C is how a preview ends: not a failure
            _say("预览已停止。")
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.shutdown()
            self._stop_child()
        return 0

    def _error_page(self, code: int) -> bytes | None:
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _watch(server, folders: list[tuple[Path, bool]]) -> None:
    """Watch ``folders`` with the system's file events (inotify on Linux: no delay, no CPU while idle)
    instead of MkDocs' default of scanning every file twice a second, which at 10,000 lectures keeps a
    third of a core busy. Falls back to scanning where events are unavailable (some network drives,
    the inotify watch limit) or when ``JIANGTANG_POLL=1``."""
    from watchdog.observers.polling import PollingObserver

    if os.environ.get("JIANGTANG_POLL", "").strip() not in ("", "0"):
        _watch_all(server, folders)
        return
    polling = server.observer
    server.observer = _changes_observer()
    try:
        _watch_all(server, folders)
    except OSError as exc:
        log.debug("file events unavailable (%s): scanning instead", exc)
        for path in list(server._watched_paths):
            server._watched_paths.pop(path)
            server._watch_refs.pop(path, None)
        server.observer = polling if isinstance(polling, PollingObserver) else PollingObserver()
        _watch_all(server, folders)


def _changes_observer():
    """watchdog's native observer (inotify on Linux) reporting only events that change files: it would also
    report files being opened and closed unwritten, and every build reads the hub's files."""
    from watchdog import events
    from watchdog.observers import Observer

    kinds = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent, events.FileMovedEvent,
             events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class ChangesObserver(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or kinds,
                                    follow_symlink=follow_symlink)

    return ChangesObserver()


def _watch_all(server, folders: list[tuple[Path, bool]]) -> None:
    """``server.watch`` each ``(folder, recursive)``."""
    for folder, recursive in folders:
        server.watch(str(folder), recursive=recursive)


def preview_dir(config_file: Path) -> tuple[Path, bool]:
    """``(folder, temporary)``: where the preview site lives (see :data:`PREVIEW_DIR`)."""
    if cache.enabled():
        return Path(config_file).resolve().parent / PREVIEW_DIR, False
    return Path(tempfile.mkdtemp(prefix="jiangtang-preview-")) / "site", True


def run(config_file: Path, site: Site, dev_addr: str, strict: bool = False, overrides: dict | None = None) -> int:
    """``build.py serve`` after the hub passed its check; returns the exit code."""
    site_dir, temporary = preview_dir(config_file)
    try:
        return Preview(config_file, site, site_dir, strict, overrides).serve(dev_addr)
    finally:
        if temporary:
            shutil.rmtree(site_dir.parent, ignore_errors=True)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


__all__ = ["Preview", "PREVIEW_DIR", "run", "preview_dir"]
