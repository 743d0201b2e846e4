"""Peak memory of a whole process tree: ``python benchmarks/peakmem.py -o FILE -- CMD [ARG...]``.

GNU ``time``'s ``%M`` (``ru_maxrss``) is the largest resident set of a *single*
process; a build that forks workers (jiangtang renders half of the pages in a
child process) would be under-reported. This sampler runs ``CMD`` and, every
``--interval`` seconds (default 0.2), sums the proportional set size of every
live process in ``CMD``'s tree and keeps the maximum.

Method:

* **PSS** (``Pss:`` of ``/proc/<pid>/smaps_rollup``, Linux ≥ 4.14): each page
  is divided by the number of processes mapping it, so the pages a forked child
  still shares copy-on-write with its parent (and shared libraries) are counted
  once across the tree, not once per process as a sum of RSS would. The sum of
  PSS over the tree is the physical memory the build holds.
* **The tree** is found on every sample from the parent pid (field 4 of
  ``/proc/<pid>/stat``) of all processes, because ``/proc/<pid>/task/*/children``
  needs ``CONFIG_PROC_CHILDREN``, which this kernel lacks. The sampler itself
  is not counted; a wrapper between it and the build (``/usr/bin/time``) is,
  which adds well under 1 MiB.
* **Interval and overhead**: one sample costs about 1.3 ms to scan ``/proc``
  plus about 2.5 ms per 600 MiB of target to read its ``smaps_rollup`` (the
  kernel walks the target's page tables under its memory-map lock, which also
  stalls the target's own ``mmap``/``munmap``). Measured on this 2-core machine
  under load (an allocation-heavy 2.7 s Python job, two pairs each): every
  50 ms added 15–25% wall time, every 0.2 s added 2–5%; hence the 0.2 s
  default. The harness re-measures it on every run at N ≤ 1000
  (``material_prune`` against ``material_prune_bare``).
* **Limits**: a peak shorter than the interval, or a child that lives less than
  one interval, can be missed; GNU time's ``%M`` (exact, but per process) is
  kept beside it as a cross-check.

``FILE`` receives one JSON line per run (appended): ``{"pss_peak_kib": int,
"samples": int, "max_procs": int, "rc": int, "wall_s": float}``. The sampler
exits with ``CMD``'s exit code (128 + signal number when ``CMD`` was killed by a
signal) and forwards SIGINT/SIGTERM to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)


def _parents() -> dict[int, int]:
    """pid → parent pid of every live process (from ``/proc/<pid>/stat``)."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # exited between listdir and open
            continue
        # comm (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
        rest = stat[stat.rindex(b")") + 2:].split()
        out[int(name)] = int(rest[1])
    return out


def tree(root: int) -> list[int]:
    """Pids of ``root`` and all its live descendants.

    Args:
        root: pid of the tree's root.

    Returns:
        The pids, ``root`` first; empty when ``root`` has exited.
    """
    parents = _parents()
    if root not in parents:
        return []
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids


def pss_kib(pid: int) -> int:
    """Proportional set size of one process in KiB (0 when it has exited or is a zombie)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(cmd: list[str], interval: float = 0.2) -> dict:
    """Run ``cmd``, sampling the PSS of its process tree every ``interval`` seconds.

    Args:
        cmd: command and arguments (no shell).
        interval: seconds between samples.

    Returns:
        ``{"pss_peak_kib", "samples", "max_procs", "rc", "wall_s"}``; ``rc`` is the
        command's exit code, or 128 + signal number.

    Raises:
        OSError: ``cmd`` cannot be started.
    """
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    forward = lambda signum, _frame: proc.send_signal(signum)  # noqa: E731
    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    peak = samples = max_procs = 0
    try:
        while proc.poll() is None:
            t = time.monotonic()
            pids = tree(proc.pid)
            peak = max(peak, sum(pss_kib(p) for p in pids))
            max_procs = max(max_procs, len(pids))
            samples += 1
            time.sleep(max(0.0, interval - (time.monotonic() - t)))
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    rc = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return {"pss_peak_kib": peak, "samples": samples, "max_procs": max_procs, "rc": rc,
            "wall_s": round(time.monotonic() - t0, 3)}


def main(argv: list[str] | None = None) -> int:
    """CLI entry point (see the module docstring)."""
    p = argparse.ArgumentParser(description="运行命令并每隔一段时间统计其整个进程树的 PSS 之和，记录峰值")
    p.add_argument("-o", "--output", type=Path, required=True, help="追加一行 JSON 结果的文件")
    p.add_argument("--interval", type=float, default=0.2, help="采样间隔（秒，默认 0.2）")
    p.add_argument("cmd", nargs=argparse.REMAINDER, help="-- 之后的命令及其参数")
    a = p.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        p.error("缺少要运行的命令（写在 -- 之后）")
    res = run(cmd, a.interval)
    with a.output.open("a", encoding="utf-8") as f:
        f.write(json.dumps(res) + "\n")
    return res["rc"]


if __name__ == "__main__":
    sys.exit(main())
