"""No-change rebuilds (issue 6, item 4): a build whose inputs and output are unchanged is skipped, and every
change of an input, of the options, of the date or of the output makes the next build a real one.

Builds with ``python build.py build`` as a user would. No timing assertions (``make bench`` measures).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DATE_EPOCH, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

from jiangtang import stamp  # noqa: E402

SKIPPED = "站点已是最新"
BUILT = "站点已生成"


def _tree(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(site.rglob("*")) if p.is_file()}


def _build(cfg: Path, out: Path, *extra: str, **env) -> str:
    proc = run_build("build", "-q", "-f", str(cfg), "-d", str(out), *extra, env={"CI": "true", **env})
    assert proc.returncode == 0, proc.stderr
    assert (SKIPPED in proc.stderr) != (BUILT in proc.stderr), proc.stderr
    return proc.stderr


@pytest.fixture()
def hub(tmp_path) -> Path:
    return generate(8, tmp_path / "hub")


def test_unchanged_build_is_skipped_and_leaves_the_site_alone(hub, tmp_path):
    out = tmp_path / "site"
    assert BUILT in _build(hub, out)
    before = _tree(out)
    second = _build(hub, out)
    assert SKIPPED in second and "个生成页面" in second and "0 个错误" in second
    assert _tree(out) == before  # not one byte, not one modification time changed


@pytest.mark.parametrize("change", ["lecture", "new_file", "docs", "config", "site_deleted", "site_edited",
                                    "date", "strict", "offline", "cache_off", "other_dir"])
def test_any_change_makes_a_real_build(hub, tmp_path, change):
    out = tmp_path / "site"
    _build(hub, out)
    root = hub.parent
    extra, env, target = [], {}, out
    if change == "lecture":
        lec = sorted((root / "lectures").rglob("*.md"))[0]
        lec.write_text(lec.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    elif change == "new_file":
        (root / "lectures" / "附件说明.txt").write_text("新文件", "utf-8")
    elif change == "docs":
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / "about.md").write_text("# 关于\n\n说明。\n", "utf-8")
    elif change == "config":
        hub.write_text(hub.read_text("utf-8") + "\n# 注释也算输入\n", "utf-8")
    elif change == "site_deleted":
        next(out.rglob("*.html")).unlink()
    elif change == "site_edited":
        page = out / "index.html"
        page.write_text(page.read_text("utf-8") + "<!-- 手工修改 -->", "utf-8")
    elif change == "date":
        env["SOURCE_DATE_EPOCH"] = str(int(SOURCE_DATE_EPOCH) + 86400)
    elif change == "strict":
        extra = ["--strict"]
    elif change == "offline":
        extra = ["--offline"]
    elif change == "cache_off":
        env["JIANGTANG_CACHE"] = "0"
    elif change == "other_dir":
        target = tmp_path / "other"
    proc = run_build("build", "-q", "-f", str(hub), "-d", str(target), *extra, env={"CI": "true", **env})
    assert BUILT in proc.stderr and SKIPPED not in proc.stderr, proc.stderr
    if change == "site_deleted":
        assert SKIPPED in _build(hub, out)  # the rebuilt site is stamped again


def test_warnings_are_printed_again_when_skipped(hub, tmp_path):
    (hub.parent / "sessions" / "笔误.yaml.txt").write_text("- date: 2025-01-01\n", "utf-8")  # JT083, a warning
    out = tmp_path / "site"
    first = _build(hub, out)
    second = _build(hub, out)
    assert SKIPPED in second
    warned = [line for line in first.splitlines() if "JT083" in line]
    assert warned and warned == [line for line in second.splitlines() if "JT083" in line]
    assert "1 个警告" in second


def test_inputs_leave_out_hidden_folders_and_built_sites(hub, tmp_path):
    out = tmp_path / "site"
    base = stamp.inputs_digest(hub, out, {})
    (hub.parent / ".git").mkdir()
    (hub.parent / ".git" / "HEAD").write_text("ref", "utf-8")
    built = hub.parent / "site"
    built.mkdir()
    for name in stamp.SITE_MARKERS:
        (built / name).write_text("<html></html>", "utf-8")
    assert stamp.inputs_digest(hub, out, {}) == base
    (hub.parent / "notes.txt").write_text("其他文件", "utf-8")
    assert stamp.inputs_digest(hub, out, {}) != base
    assert stamp.inputs_digest(hub, out, {"strict": True}) != stamp.inputs_digest(hub, out, {"strict": False})
