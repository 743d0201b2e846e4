"""Stand-in for ``zensical-ui`` 0.0.43 (Zensical's theme package), which the PyPI mirror of this machine lacks.

Zensical 0.1.3 imports exactly one name from it, ``get_theme_dir`` (in
``zensical/config.py``: the folder of the built-in ``material`` theme, and in
``zensical/extensions/emoji.py``: its ``.icons`` subfolder, used only with the
emoji extension, which the benchmark does not enable). This package returns a
minimal theme: ``theme/main.html`` with a sections-only navigation, the same
work as the Hugo layout of ``benchmarks/run.py``. The benchmark harness copies
this package into a separate virtual environment under its work folder; it is
never installed in the project's environment.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def get_theme_dir() -> str:
    """Folder of the stand-in theme (holds ``main.html``).

    Returns:
        Absolute path, as a string (Zensical joins paths onto it).
    """
    return str(Path(__file__).resolve().parent / "theme")
