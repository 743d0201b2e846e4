"""The build progress bar (issue 6, item 6): shown only to a person at a terminal."""

from __future__ import annotations

import io

from conftest import ROOT, run_build

from jiangtang import progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert progress.wanted(False, _Tty())
    assert not progress.wanted(True, _Tty())  # --quiet
    assert not progress.wanted(False, io.StringIO())  # piped or redirected
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted(False, _Tty())


def test_stages_count_and_close():
    with progress.showing(True) as bar:
        assert progress.current() is bar
        progress.stage("渲染页面", 3)
        progress.advance(2)
        task = bar._progress.tasks[-1]
        assert (task.description, task.completed, task.total) == ("渲染页面", 2, 3)
    assert progress.current() is not bar and not progress.current().enabled
    progress.advance()  # no bar: a no-op


def test_piped_build_prints_only_the_summary(tmp_path):
    proc = run_build("build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("站点已生成：") and "个生成页面" in lines[-1] and "秒" in lines[-1] and "警告" in lines[-1]
    assert "\x1b[" not in proc.stderr and "渲染页面" not in proc.stderr  # no bar, no escape codes
