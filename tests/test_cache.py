"""Incremental rebuilds (issue 6, item 4): the page cache gives byte-identical sites and is invalidated correctly.

Builds a small synthetic hub (benchmarks/generate.py) with ``python build.py build``
as a user would, warm and cold, and compares every output file byte for byte.
No timing assertions: speed is measured by ``make bench``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

from jiangtang import cache as cache_mod  # noqa: E402

REUSED = re.compile(r"复用缓存 (\d+) 页")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _build(cfg: Path, out: Path, **env) -> int:
    proc = run_build("build", "-q", "-f", str(cfg), "-d", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    m = REUSED.search(proc.stderr)
    return int(m.group(1)) if m else 0


@pytest.fixture()
def hub(tmp_path) -> Path:
    """A 12-lecture hub with a theme override folder (so a template can change)."""
    cfg = generate(12, tmp_path / "hub")
    (cfg.parent / "overrides").mkdir()
    (cfg.parent / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', "utf-8")
    cfg.write_text(cfg.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"), "utf-8")
    return cfg


def _lecture_html(site: Path, slug: str) -> str:
    return (site / "lectures" / slug / "index.html").read_text("utf-8")


def test_cached_build_is_byte_identical_to_cold(hub, tmp_path):
    assert _build(hub, tmp_path / "cold", JIANGTANG_CACHE="0") == 0
    assert not (hub.parent / ".cache").exists()
    assert _build(hub, tmp_path / "first") == 0  # fills the cache
    reused = _build(hub, tmp_path / "warm")
    assert reused >= 12  # at least every lecture page came from the cache
    cold, warm = _tree(tmp_path / "cold"), _tree(tmp_path / "warm")
    assert sorted(cold) == sorted(warm)
    assert [p for p in cold if cold[p] != warm[p]] == []


def test_cache_invalidation(hub, tmp_path):
    _build(hub, tmp_path / "s0")
    total = _build(hub, tmp_path / "s1")
    assert total > 0
    lec = sorted((hub.parent / "lectures").rglob("lec-*.md"))[0]
    slug = lec.stem

    # one lecture edited: only the pages showing it are rendered again
    lec.write_text(lec.read_text("utf-8") + "\n新增的一段文字。\n", "utf-8")
    reused = _build(hub, tmp_path / "s2")
    assert 0 < reused < total
    assert "新增的一段文字。" in _lecture_html(tmp_path / "s2", slug)

    # a speaker referenced by the lecture: renamed → the lecture page shows the new name
    sid = re.search(r"speakers: \[([^,\]]+)", lec.read_text("utf-8")).group(1)
    sp = hub.parent / "speakers" / f"{sid}.yaml"
    sp.write_text(re.sub(r"^name: .*$", "name: 缓存测试员", sp.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    reused = _build(hub, tmp_path / "s3")
    assert 0 < reused < total
    assert "缓存测试员" in _lecture_html(tmp_path / "s3", slug)

    # a template: every page is rendered again and shows the change
    (hub.parent / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block footer %}<p id="cache-probe">模板已修改</p>{% endblock %}\n', "utf-8")
    assert _build(hub, tmp_path / "s4") == 0
    assert 'id="cache-probe"' in _lecture_html(tmp_path / "s4", slug)

    # the config: every page is rendered again and shows the new site name
    hub.write_text(hub.read_text("utf-8").replace("合成县理论学习内容中心", "改名后的学习中心"), "utf-8")
    assert _build(hub, tmp_path / "s5") == 0
    assert "改名后的学习中心" in _lecture_html(tmp_path / "s5", slug)


def test_fingerprint_follows_version_templates_and_config(tmp_path, monkeypatch):
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: 甲\n", "utf-8")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "main.html").write_text("a", "utf-8")

    def fp():
        return cache_mod.fingerprint(config_file=cfg, template_dirs=[theme], versions={"mkdocs": "1.6.1"})

    base = fp()
    assert fp() == base
    monkeypatch.setattr(cache_mod, "__version__", "999.0")
    assert fp() != base
    monkeypatch.undo()
    assert fp() == base
    (theme / "main.html").write_text("b", "utf-8")
    changed = fp()
    assert changed != base
    cfg.write_text("site_name: 乙\n", "utf-8")
    assert fp() != changed


def test_page_cache_store_place_prune(tmp_path):
    c = cache_mod.PageCache(tmp_path / "c", "fp")
    k1, k2 = c.key("a/index.md", "# 甲"), c.key("a/index.md", "# 乙")
    assert k1 != k2 and c.key("b/index.md", "# 甲") != k1
    assert c.lookup(k1) is None
    c.put(k1, "<p>甲</p>".encode())
    assert c.lookup(k1) is not None
    c.place(k1, tmp_path / "site" / "a" / "index.html")
    assert (tmp_path / "site" / "a" / "index.html").read_text("utf-8") == "<p>甲</p>"
    fresh = cache_mod.PageCache(tmp_path / "c", "fp")
    fresh.put(k2, b"x")
    assert fresh.prune() == 1  # k1 was not used by this "build"
    assert fresh.lookup(k2) is not None and fresh.lookup(k1) is None
