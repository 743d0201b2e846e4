"""Share independent work between this process and forked helper processes.

A build has two kinds of CPU work that do not depend on each other: rendering
the generated pages (Markdown + theme template, one page at a time) and
building the search index. :func:`share_work` runs a numbered list of items on
every core: it forks helper processes (``os.fork``: they inherit the loaded hub
and renderer state, nothing is pickled), and every process — this one included —
takes the next batch of item numbers from a counter in shared memory until none
are left, so a process that is busy with something else (``first``) simply takes
fewer batches. What an item produces must go to disk (a written page), because a
helper's memory is gone when it exits.

Helpers exit with :func:`os._exit`; their log records are captured and
re-logged here, in order, so warnings still count (``mkdocs build --strict``)
and appear once. An exception in a helper is re-raised here as
:class:`WorkerError` with the helper's exception text (its traceback is logged at debug level).

Only on POSIX systems with ``fork``; otherwise everything runs here, in order.
A forked helper holds only the thread that forked it, so the caller must not
use helpers while other threads may hold locks that ``work`` needs (the MkDocs
plugin uses them for ``build`` only, never under ``serve``'s server threads);
``in_helper`` runs first in each helper to drop such state (the progress bar). ``JIANGTANG_WORKERS``
sets the number of processes (``1`` turns helpers off; default: the number of
usable cores).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import traceback
from typing import Callable

log = logging.getLogger(__name__)

#: Environment variable: number of processes (``1``: no helpers).
ENV = "JIANGTANG_WORKERS"


class WorkerError(RuntimeError):
    """An item failed in a helper process; the message is the helper's exception (type and text; the
    whole traceback is logged at debug level)."""


def process_count() -> int:
    """How many processes :func:`share_work` uses: ``JIANGTANG_WORKERS``, else the usable cores (≥ 1)."""
    raw = os.environ.get(ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether this system has ``fork`` (POSIX)."""
    return hasattr(os, "fork")


def _malloc_trim() -> None:
    """Give freed heap memory back to the system before forking (glibc ``malloc_trim``; elsewhere nothing),
    so helpers do not start out sharing it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Capture(logging.Handler):
    """Collects a helper's log records as ``(logger name, level, message)``."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _capture_logging() -> _Capture:
    """In a helper: send every record to one capturing handler instead of the inherited ones."""
    cap = _Capture()
    seen = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    for lg in seen:
        for h in list(lg.handlers):
            lg.removeHandler(h)
    root = logging.getLogger()
    root.addHandler(cap)
    for lg in seen[1:]:
        if lg.handlers == [] and not lg.propagate:
            lg.propagate = True  # e.g. "mkdocs", whose handler was removed above
    return cap


def share_work(count: int, work: Callable[[int], None], *, first: Callable[[], None] | None = None,
               batch: int = 8, done: Callable[[int], None] | None = None, processes: int | None = None,
               in_helper: Callable[[], None] | None = None) -> int:
    """Run ``work(i)`` for every ``i`` in ``range(count)``, spread over this process and forked helpers.

    Args:
        count: number of items.
        work: does item ``i``; its result must be written somewhere outside the
            process (a file); return values are ignored.
        first: run in this process before it starts taking items (e.g. the
            search index), while the helpers already work through the items.
        batch: items taken at a time (fewer trips to the shared counter).
        done: called in this process with the number of items finished so far
            (by any process), for a progress bar.
        processes: total number of processes (default :func:`process_count`).
        in_helper: run first in each helper (e.g. silence the progress bar).

    Returns:
        The number of processes started (this one included).

    Raises:
        WorkerError: an item failed in a helper (its exception type and text are the message).
        Exception: whatever ``work`` or ``first`` raised in this process.
    """
    n = processes or process_count()
    n = min(n, max(1, count // batch))
    if n < 2 or not can_fork():
        if first:
            first()
        for i in range(count):
            work(i)
            if done:
                done(i + 1)
        return 1
    ctx = multiprocessing.get_context("fork")
    claimed = ctx.Value("q", 0)
    finished = ctx.Value("q", 0, lock=False)

    def take() -> range:
        with claimed.get_lock():
            start = claimed.value
            claimed.value = min(count, start + batch)
        return range(start, min(count, start + batch))

    def loop(report: bool) -> None:
        while True:
            items = take()
            if not items:
                return
            for i in items:
                work(i)
                with claimed.get_lock():  # the same lock guards both counters
                    finished.value += 1
                    now = finished.value
                if report and done:
                    done(now)

    helpers: list[tuple[int, int]] = []
    # Objects alive now are shared with the helpers page by page (copy-on-write); a collection
    # would write to every one of them and so copy the whole heap into each process. Freezing
    # moves them out of the collector's sight (https://docs.python.org/3/library/gc.html#gc.freeze).
    gc.collect()  # garbage would be frozen and shared too
    _malloc_trim()
    gc.freeze()
    for _ in range(n - 1):
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:  # e.g. no memory for another process: go on with fewer
            log.warning("无法启动辅助进程（%s），改用 %d 个进程", exc, len(helpers) + 1)
            os.close(r)
            os.close(w)
            break
        if pid == 0:  # helper
            os.close(r)
            status, payload = 0, {}
            try:
                cap = _capture_logging()
                if in_helper:
                    in_helper()
                loop(report=False)
                payload = {"logs": cap.records}
            except BaseException as exc:  # noqa: BLE001 — reported to the parent, which raises
                status = 1
                payload = {"logs": locals().get("cap", _Capture()).records, "traceback": traceback.format_exc(),
                           "error": "".join(traceback.format_exception_only(type(exc), exc)).strip()}
            try:
                with os.fdopen(w, "wb") as out:
                    pickle.dump(payload, out)
            finally:
                os._exit(status)
        os.close(w)
        helpers.append((pid, r))
    error: BaseException | None = None
    try:
        if first:
            first()
        loop(report=True)
    except BaseException as exc:  # stop the helpers, then re-raise
        error = exc
        with claimed.get_lock():
            claimed.value = count
    failures = []
    for pid, r in helpers:
        with os.fdopen(r, "rb") as inp:
            data = inp.read()
        os.waitpid(pid, 0)
        payload = pickle.loads(data) if data else {"error": "helper process ended without a report"}
        for name, level, message in payload.get("logs", ()):
            logging.getLogger(name).log(level, message)
        if payload.get("error"):
            log.debug("辅助进程 %d 出错：\n%s", pid, payload.get("traceback", ""))
            failures.append(payload["error"])
    gc.unfreeze()  # the helpers are gone: nothing is shared any more
    if error is not None:
        raise error
    if failures:
        raise WorkerError(failures[0])
    if done:
        done(count)
    return len(helpers) + 1


__all__ = ["ENV", "WorkerError", "can_fork", "process_count", "share_work"]
