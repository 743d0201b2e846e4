"""``build.py export`` (issue 6, item 7): the compiled hub as plain Markdown that another renderer can build."""

from __future__ import annotations

import subprocess
import sys

import yaml

from conftest import ROOT, SOURCE_DATE_EPOCH, run_build


def test_export_builds_with_plain_mkdocs(tmp_path):
    out = tmp_path / "export"
    proc = run_build("export", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    cfg = yaml.safe_load((out / "mkdocs.yml").read_text("utf-8"))
    assert cfg["plugins"] == [] and {"讲稿": "lectures/index.md"} in cfg["nav"]
    lectures = [p for p in (out / "docs" / "lectures").glob("*/index.md")]
    assert lectures and lectures[0].read_text("utf-8").startswith("---\ntitle: ")
    assert (out / "docs" / "assets" / "jiangtang" / "jiangtang.css").is_file()
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml"), "-d", str(site)],
                           capture_output=True, text=True, env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PATH": "/usr/bin:/bin"},
                           timeout=600)
    assert built.returncode == 0, built.stderr
    slug = lectures[0].parent.name
    html = (site / "lectures" / slug / "index.html").read_text("utf-8")
    title = yaml.safe_load(lectures[0].read_text("utf-8").split("---")[1])["title"]
    assert title in html


def test_export_refuses_a_broken_hub(tmp_path):
    (tmp_path / "lectures").mkdir()
    (tmp_path / "lectures" / "a.md").write_text("---\ntitle: 甲\n---\n正文\n", "utf-8")  # no date, no speakers
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\ntheme:\n  name: material\nplugins:\n  - jiangtang\n", "utf-8")
    proc = run_build("export", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "out"))
    assert proc.returncode == 1 and "没有导出" in proc.stderr
    assert not (tmp_path / "out").exists()
