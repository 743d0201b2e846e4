"""``build`` checks first and swaps a complete site into place: a failed build leaves the previous site untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_build


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(FIXTURES / "good", hub)
    out = tmp_path / "out" / "site"
    proc = run_build("build", "-f", "mkdocs.yml", "-d", str(out), "--strict", cwd=hub)
    assert proc.returncode == 0, proc.stderr
    assert (out / "index.html").is_file()
    return hub, out


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def test_content_error_leaves_previous_site_untouched(built):
    hub, out = built
    before = snapshot(out)
    lec = hub / "lectures/2022/xiangcun.md"
    lec.write_text(lec.read_text("utf-8").replace("title: 乡村振兴大家谈", "title：乡村振兴大家谈"), "utf-8")
    proc = run_build("build", "-f", "mkdocs.yml", "-d", str(out), cwd=hub)
    assert proc.returncode == 1
    assert "lectures/2022/xiangcun.md:2:6: JT011" in proc.stderr
    assert "原有站点保持不变" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_renderer_failure_leaves_previous_site_untouched(built):
    hub, out = built
    before = snapshot(out)
    cfg = hub / "mkdocs.yml"
    cfg.write_text(cfg.read_text("utf-8").replace("name: material", "name: no-such-theme"), "utf-8")
    proc = run_build("build", "-f", "mkdocs.yml", "-d", str(out), cwd=hub)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_successful_rebuild_replaces_the_site(built):
    hub, out = built
    (out / "stale.html").write_text("old", "utf-8")
    proc = run_build("build", "-f", "mkdocs.yml", "-d", str(out), cwd=hub)
    assert proc.returncode == 0, proc.stderr
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert leftovers(out) == []
