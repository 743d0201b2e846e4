"""Hostile or careless input found by trying to break the tool: each case must get a
located error (or be made harmless), never a traceback, a lost folder or a script that runs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, run_build

from jiangtang.config import PLUGIN_OPTIONS
from jiangtang.plugin import JiangtangConfig

COUNTY = FIXTURES / "county"


@pytest.fixture
def hub(tmp_path) -> Path:
    dest = tmp_path / "hub"
    shutil.copytree(COUNTY, dest, ignore=shutil.ignore_patterns(".cache"))
    return dest


def build(hub: Path, out: Path, *extra):
    return run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out), *extra)


def check(hub: Path, *extra):
    return run_build("check", "-f", str(hub / "mkdocs.yml"), *extra)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


@pytest.mark.parametrize("target", ["hub", "parent", "lectures", "docs", "foreign"])
def test_build_never_replaces_the_hub_or_a_foreign_folder(hub, target):
    (hub.parent / "foreign").mkdir()
    (hub.parent / "foreign" / "notes.txt").write_text("keep me", "utf-8")
    out = {"hub": hub, "parent": hub.parent, "lectures": hub / "lectures", "docs": hub / "docs" / "x",
           "foreign": hub.parent / "foreign"}[target]
    def listing():  # everything but the page cache
        return sorted(p.relative_to(hub.parent) for p in hub.parent.rglob("*") if ".cache" not in p.parts)

    before = listing()
    proc = build(hub, out)
    assert proc.returncode == 2 and "输出目录不安全" in proc.stderr
    assert listing() == before


def test_build_replaces_a_previous_site(hub, tmp_path):
    out = tmp_path / "site"
    assert build(hub, out).returncode == 0
    assert build(hub, out).returncode == 0 and (out / "index.html").is_file()


def test_hub_without_docs_folder_builds(hub, tmp_path):
    shutil.rmtree(hub / "docs")
    proc = build(hub, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "lectures" / "tianjian" / "index.html").is_file()


@pytest.mark.browser
def test_markup_in_fields_is_shown_not_run(hub, tmp_path, serve_dir, visit):
    (hub / "lectures/2024/t1.md").write_text(
        "---\ntitle: '<img src=x onerror=alert(1)> & \"引号\"'\ndate: 2024-01-01\nspeakers: [单丽]\n"
        "summary: '\"><script>alert(3)</script>'\naudiences: ['<script>alert(2)</script>']\n---\n正文\n", "utf-8")
    out = tmp_path / "site"
    assert build(hub, out).returncode == 0
    base = serve_dir(out)
    v = visit(base)
    dialogs = []
    v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    facet = next(p.name for p in (out / "audiences").iterdir() if "script" in p.name)
    for path in ["lectures/t1/", f"audiences/{facet}/", "lectures/", "search/?q=alert", "speakers/shan-li/"]:
        v.goto(base + path)
        v.page.wait_for_timeout(300)
    assert dialogs == []
    v.goto(base + "lectures/t1/")
    assert "<img src=x onerror=alert(1)>" in v.page.locator("h1").inner_text()
    assert v.page.title().startswith("<img src=x onerror=alert(1)> & \"引号\"")
    # escaped exactly once: a link preview shows the summary as typed
    assert v.page.get_attribute('meta[name="description"]', "content") == '"><script>alert(3)</script>'
    assert v.page.get_attribute('meta[property="og:description"]', "content") == '"><script>alert(3)</script>'


def test_links_cannot_publish_hidden_or_data_files(hub):
    (hub / ".env").write_text("TOKEN=secret", "utf-8")
    append(hub / "lectures/2024/kuaidi.md", "\n[a](../../.env) [b](../../mkdocs.yml) [c](../../sessions/2024.yaml)\n"
           "![d](https://evil.example/t.png)\n")
    proc = check(hub)
    assert proc.returncode == 1
    lines = [l for l in proc.stderr.splitlines() if "kuaidi.md" in l]
    assert [l.split(": ")[1].split()[0] for l in lines] == ["JT057", "JT057", "JT057", "JT067"], proc.stderr
    assert ":10:" in lines[0] and ":11:" in lines[3]


def test_link_to_a_speaker_file_becomes_the_speaker_page(hub, tmp_path):
    append(hub / "lectures/2024/kuaidi.md", "\n[宣讲员](../../speakers/单丽.yaml)\n")
    out = tmp_path / "site"
    assert build(hub, out).returncode == 0
    assert 'href="../../speakers/shan-li/">宣讲员</a>' in (out / "lectures/kuai-di/index.html").read_text("utf-8")


def test_chinese_anchors_are_rewritten_and_checked(hub, tmp_path):
    append(hub / "lectures/2024/kuaidi.md", "\n[a](../2023/实践论.md#实践论_1) [b](../2023/实践论.md#宣讲记录)\n")
    out = tmp_path / "site"
    assert build(hub, out).returncode == 0
    text = (out / "lectures/kuai-di/index.html").read_text("utf-8")
    assert 'href="../shi-jian-lun/#shi-jian-lun_1"' in text and 'href="../shi-jian-lun/#xuan-jiang-ji-lu"' in text
    append(hub / "lectures/2024/kuaidi.md", "[c](../2023/实践论.md#不存在) [d](#没有这节)\n")
    proc = check(hub)
    assert proc.returncode == 1 and proc.stderr.count("JT054") == 2


@pytest.mark.parametrize("value, code", [("017", "JT034"), ("0x10", "JT034"), ("1:30", "JT034"), ("99999999999", "JT034")])
def test_counts_are_read_as_typed(hub, value, code):
    path = hub / "sessions/2024.yaml"
    path.write_text(path.read_text("utf-8").replace("audience: 60", f"audience: {value}"), "utf-8")
    proc = check(hub)
    assert proc.returncode == 1 and f"sessions/2024.yaml:9:13: {code}" in proc.stderr, proc.stderr


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_implausible_dates_are_errors(hub, date):
    path = hub / "sessions/2024.yaml"
    path.write_text(path.read_text("utf-8").replace("date: 2024-06-01", f"date: {date}"), "utf-8")
    proc = check(hub)
    assert proc.returncode == 1 and "sessions/2024.yaml:1:9: JT033" in proc.stderr


def test_very_long_file_names_are_refused_with_a_hint(hub):
    name = "讲" * 60
    (hub / f"lectures/2024/{name}.md").write_text("---\ntitle: 长\ndate: 2024-01-01\nspeakers: [单丽]\n---\n正文\n", "utf-8")
    proc = check(hub)
    assert proc.returncode == 1 and "JT036" in proc.stderr and "Traceback" not in proc.stderr


def test_near_miss_file_names_are_reported(hub):
    (hub / "sessions/2025.yaml.txt").write_text("- date: 2025-01-01\n", "utf-8")
    (hub / "lectures/x.markdown").write_text("---\ntitle: x\n---\n", "utf-8")
    proc = check(hub, "--strict")
    assert proc.returncode == 1
    assert proc.stderr.count("JT083") == 2


def test_a_speaker_with_errors_does_not_cascade(hub):
    (hub / "speakers/单丽.yaml").write_text("name: 单丽\nteam: 宣讲队\n", "utf-8")
    proc = check(hub)
    assert proc.returncode == 1
    assert "JT035" in proc.stderr and "JT050" not in proc.stderr


def test_plugin_block_mistakes_are_located(hub):
    (hub / "mkdocs.yml").write_text(
        "site_name: 测试\nplugins:\n  - jiangtang:\n      teams: [党员干部, 理论专家, 百姓名嘴]\n      tems: [a]\n"
        "      towns: [岔河镇, 洋口镇, 掘港街道, 岔河镇, 长沙镇]\n      teams: [党员干部, 理论专家, 百姓名嘴]\n", "utf-8")
    proc = check(hub)
    assert proc.returncode == 1
    for needle in ("mkdocs.yml:5:7: JT030", "mkdocs.yml:6:31: JT070", "mkdocs.yml:7:7: JT016"):
        assert needle in proc.stderr, proc.stderr


def test_env_tags_in_config_are_honoured(hub, tmp_path):
    (hub / "mkdocs.yml").write_text("site_name: !ENV [HUB_NAME, 默认名]\nplugins:\n  - jiangtang:\n"
                                    "      towns: !ENV [HUB_TOWNS, [岔河镇, 长沙镇]]\n", "utf-8")
    proc = run_build("check", "-f", str(hub / "mkdocs.yml"))
    assert proc.returncode == 1 and "JT035" in proc.stderr  # the default list applies: 洋口镇 is not in it
    (hub / "mkdocs.yml").write_text("site_name: !ENV [HUB_NAME, 默认名]\nplugins:\n  - jiangtang\n", "utf-8")
    out = tmp_path / "site"
    assert run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out), env={"HUB_NAME": "环境变量里的站名"}).returncode == 0
    assert "环境变量里的站名" in (out / "feed.xml").read_text("utf-8")


def test_plugin_options_match_the_core():
    assert {name for name, _ in JiangtangConfig._schema} == set(PLUGIN_OPTIONS)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_broken_template_override_is_a_located_error_not_a_traceback(good_hub, tmp_path, workers):
    (good_hub / "overrides").mkdir()
    (good_hub / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ page.x.y }}{% endblock %}\n', "utf-8")
    cfg = good_hub / "mkdocs.yml"
    cfg.write_text(cfg.read_text("utf-8").replace("  language: zh\n", "  language: zh\n  custom_dir: overrides\n", 1), "utf-8")
    out = tmp_path / "site"
    proc = run_build("build", "-q", "-f", str(cfg), "-d", str(out), env={"JIANGTANG_WORKERS": workers, "CI": "true"})
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "模板错误" in proc.stderr and "overrides/main.html:1" in proc.stderr, proc.stderr
    assert not out.exists()  # nothing half-written
