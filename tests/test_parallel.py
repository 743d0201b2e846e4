"""Two cores, same site: pages rendered by forked helpers are byte-identical to a one-process build.

Also the building blocks: :func:`jiangtang.workers.share_work` (every item once,
helper errors and warnings reach the parent) and :class:`jiangtang.pagestore.PageStore`.
"""

from __future__ import annotations

import filecmp
import logging
import os
from pathlib import Path

import pytest

from jiangtang import workers
from jiangtang.pagestore import PageStore

from conftest import ROOT, run_build


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_parallel_build_is_byte_identical_to_one_process(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    env = {"JIANGTANG_CACHE": "0", "CI": "true"}
    p1 = run_build("build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(one), env={**env, "JIANGTANG_WORKERS": "1"})
    p2 = run_build("build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(two), env={**env, "JIANGTANG_WORKERS": "2"})
    assert p1.returncode == 0 and p2.returncode == 0, p1.stderr + p2.stderr
    assert "个进程并行渲染" not in p1.stderr
    assert "2 个进程并行渲染" in p2.stderr, p2.stderr  # the helpers really ran
    a, b = _tree(one), _tree(two)
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, differ[:5]
    assert any(k.startswith("search/idx/s/") for k in a)  # the search index, built beside the pages
    assert len([k for k in a if k.startswith("lectures/") and k.endswith("index.html")]) > 30


def test_parallel_build_with_cache_matches_cold(tmp_path):
    hub = tmp_path / "hub"
    import shutil

    shutil.copytree(ROOT, hub, ignore=shutil.ignore_patterns(".git", ".venv", "site", ".cache", "node_modules", "tests",
                                                             "benchmarks", "*.png"))
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    env = {"CI": "true", "JIANGTANG_WORKERS": "2"}
    assert run_build("build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(cold), env=env).returncode == 0
    proc = run_build("build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(warm), env=env)
    assert proc.returncode == 0 and "复用缓存" in proc.stderr, proc.stderr
    match, mismatch, errors = filecmp.cmpfiles(cold, warm, list(_tree(cold)), shallow=False)
    assert not mismatch and not errors and len(match) == len(_tree(warm))


def _write_item(folder: Path):
    def work(i: int) -> None:
        (folder / f"{i}.{os.getpid()}").write_text(str(i))
    return work


def test_share_work_does_every_item_once_on_two_processes(tmp_path):
    seen = []
    used = workers.share_work(100, _write_item(tmp_path), batch=4, processes=2, done=seen.append)
    names = [p.name for p in tmp_path.iterdir()]
    assert sorted(int(n.split(".")[0]) for n in names) == list(range(100))
    assert used == 2 and len({n.split(".")[1] for n in names}) == 2  # both processes took items
    assert seen[-1] == 100


def test_share_work_first_runs_once_in_the_parent(tmp_path):
    marks = []
    workers.share_work(40, _write_item(tmp_path), first=lambda: marks.append(os.getpid()), batch=2, processes=2)
    assert marks == [os.getpid()]
    assert len(list(tmp_path.iterdir())) == 40


def test_helper_failure_is_raised_with_its_message(tmp_path):
    parent = os.getpid()

    def work(i: int) -> None:
        if os.getpid() != parent and i >= 0:
            raise ValueError("页面 7 坏了")

    with pytest.raises(workers.WorkerError, match="ValueError: 页面 7 坏了") as info:
        workers.share_work(64, work, batch=1, processes=2, first=lambda: __import__("time").sleep(0.5))
    assert "Traceback" not in str(info.value)  # a reader sees the error, not the helper's stack


def test_helper_warnings_are_logged_once_in_the_parent(tmp_path, caplog):
    parent = os.getpid()
    logger = logging.getLogger("jiangtang.tests.helper")

    def work(i: int) -> None:
        if os.getpid() != parent:
            logger.warning("来自子进程的警告 %d", i)

    with caplog.at_level(logging.WARNING):
        workers.share_work(16, work, batch=1, processes=2, first=lambda: __import__("time").sleep(0.5))
    helper = [r for r in caplog.records if "来自子进程的警告" in r.getMessage()]
    assert helper and all(r.levelno == logging.WARNING for r in helper)
    assert len({r.getMessage() for r in helper}) == len(helper)


def test_one_process_when_asked(monkeypatch, tmp_path):
    monkeypatch.setenv(workers.ENV, "1")
    assert workers.process_count() == 1
    assert workers.share_work(50, _write_item(tmp_path)) == 1
    assert {p.name.split(".")[1] for p in tmp_path.iterdir()} == {str(os.getpid())}


def test_page_store_round_trip_and_cleanup():
    store = PageStore()
    text = "---\ntitle: 实践论\n---\n\r\n# 实践论\u3000导读\n"
    store["lectures/shi-jian-lun/index.md"] = text
    store["index.md"] = "首页"
    assert store["lectures/shi-jian-lun/index.md"] == text  # exact, no newline translation
    assert list(store) == ["lectures/shi-jian-lun/index.md", "index.md"] and len(store) == 2
    assert store.file("index.md").read_bytes() == "首页".encode()
    assert "missing.md" not in store and store.get("missing.md") is None
    for bad in ("../x.md", "/etc/passwd", "a/../../b.md", ""):
        with pytest.raises(ValueError):
            store[bad] = "x"
    folder = store.folder
    assert folder.is_dir()
    store.close()
    assert not folder.exists() and len(store) == 0
