"""Build progress: a rich progress bar with the stage and counts, silent when nobody watches.

The bar shows only on an interactive terminal (stderr is a TTY), not under
``--quiet`` and not in CI (``CI`` set, as GitHub Actions, GitLab CI and most
others do). Stages are reported by the core (loading, pages, search index) and
by the MkDocs plugin (rendering); with no bar active every call is a no-op, so
the core can report unconditionally. Library: rich (https://rich.readthedocs.io).
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager

log = logging.getLogger(__name__)


def wanted(quiet: bool = False, stream=None) -> bool:
    """Whether to show a bar: not ``quiet``, ``stream`` (default stderr) is a TTY, and not in CI."""
    stream = stream or sys.stderr
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not quiet and not ci and hasattr(stream, "isatty") and stream.isatty()


class Bar:
    """One progress bar over successive stages (only one stage shows at a time).

    Args:
        enabled: draw on stderr; when False every method does nothing.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress = None
        self._task = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn)

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True)
            self._progress.start()

    def stage(self, name: str, total: int | None = None) -> None:
        """Start stage ``name`` (Chinese, e.g. ``渲染页面``) with ``total`` steps (``None``: unknown)."""
        if not self._progress:
            return
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        """Count ``n`` steps of the current stage done."""
        if self._progress and self._task is not None:
            self._progress.advance(self._task, n)

    def set(self, completed: int) -> None:
        """Set the steps done of the current stage to ``completed`` (work counted elsewhere, e.g. helper processes)."""
        if self._progress and self._task is not None:
            self._progress.update(self._task, completed=completed)

    def close(self) -> None:
        """Remove the bar from the terminal (the caller then prints the one-line summary)."""
        if self._progress:
            self._progress.stop()
            self._progress = None


_current = Bar(False)


def current() -> Bar:
    """The active bar (a disabled one when no build is showing progress)."""
    return _current


@contextmanager
def showing(enabled: bool):
    """Make a :class:`Bar` current for the duration of a ``with`` block; closes it at the end."""
    global _current
    bar, previous = Bar(enabled), _current
    _current = bar
    try:
        yield bar
    finally:
        bar.close()
        _current = previous


def silence() -> None:
    """Replace the current bar by a disabled one without drawing (in a forked helper process: the bar
    belongs to the parent, whose refresh thread does not exist here)."""
    global _current
    _current = Bar(False)


def stage(name: str, total: int | None = None) -> None:
    """Shorthand for ``current().stage(name, total)``."""
    _current.stage(name, total)


def advance(n: int = 1) -> None:
    """Shorthand for ``current().advance(n)``."""
    _current.advance(n)


def set_completed(completed: int) -> None:
    """Shorthand for ``current().set(completed)``."""
    _current.set(completed)


__all__ = ["Bar", "advance", "current", "set_completed", "showing", "silence", "stage", "wanted"]
