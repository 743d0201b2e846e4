"""Personal numbers written the ways the tester found, and resources from other hosts in raw HTML.

Both directions are tested: every disguise of a mobile or ID number is caught
(JT065/JT066), and ordinary numbers (dates, counts, times, office landlines,
article numbers in web addresses) are not. Raw HTML that would load a file
from another host is JT067, end to end through ``build.py check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_build
from jiangtang.config import load_config
from jiangtang.diagnostics import Report
from jiangtang.privacy import find_numbers, id_check_char, scan, scan_config
from jiangtang.sanitize import check_body

GOOD = FIXTURES / "good"
FIRST17 = "32062319800101001"
RID = FIRST17 + id_check_char(FIRST17)


@pytest.mark.parametrize("text,code", [
    ("电话１３９１２３４５６７８", "JT065"),
    ("电话 139.1234.5678", "JT065"),
    ("电话 139 1234 5678", "JT065"),
    ("电话 139-1234-5678", "JT065"),
    ("+86 139 1234 5678", "JT065"),
    ("[拨打](tel:13912345678)", "JT065"),
    (f"身份证 {RID[:4]} {RID[4:8]} {RID[8:12]} {RID[12:16]} {RID[16:]}", "JT066"),
    (f"身份证 {RID[:6]}-{RID[6:14]}-{RID[14:]}", "JT066"),
    ("身份证 " + "".join(chr(ord(c) + 0xFEE0) for c in RID), "JT066"),
])
def test_disguised_numbers_found(text, code):
    assert [c for _, c, _ in find_numbers(text)] == [code], text


@pytest.mark.parametrize("text", [
    "2023-01-01 19:30 开讲，听众 1200 人，时长 90 分钟",
    "办公电话 0513-81234567",
    "原文见 https://mp.weixin.qq.com/s?__biz=MzA&mid=13912345678&idx=1",
    "编号 13912345678901",
    "版本 1.3912345678",
    f"{RID[:6]} {RID[6:14]} {RID[14:17]}{'0' if RID[17] != '0' else '1'}",  # wrong check character
    "3206 2319 8001 0100",
])
def test_ordinary_numbers_pass(text):
    assert find_numbers(text) == [], text


def test_column_kept_after_full_width_digits():
    (found,) = find_numbers("联系：１３９１２３４５６７８")
    assert found[0] == 4


def test_file_name_scanned():
    report = Report()
    scan("name: 某某\n", f"speakers/{RID}.yaml", report)
    report2 = Report()
    scan("---\ntitle: a\n---\n", "lectures/2022/13912345678.md", report2)
    assert [d.code for d in report.items] == ["JT066"] and report.items[0].line == 1
    assert [d.code for d in report2.items] == ["JT065"] and "文件名" in report2.items[0].message
    assert RID not in report.items[0].message and "13912345678" not in report2.items[0].message


def _hub(tmp_path: Path) -> Path:
    dest = tmp_path / "hub"
    shutil.copytree(GOOD, dest)
    return dest


def _set_contact(hub: Path, contact: str) -> None:
    cfg = hub / "mkdocs.yml"
    text = cfg.read_text("utf-8")
    assert "  - jiangtang:\n" in text
    cfg.write_text(text.replace("  - jiangtang:\n", f"  - jiangtang:\n      contact: {contact}\n", 1), "utf-8")


def test_contact_mobile_reported_landline_accepted(tmp_path):
    hub = _hub(tmp_path)
    _set_contact(hub, "张三 13912345678")
    report = Report()
    scan_config(load_config(hub / "mkdocs.yml", report), report)
    (d,) = report.items
    assert d.code == "JT065" and d.path.endswith("mkdocs.yml") and d.line > 1 and "contact" in d.message
    hub2 = _hub(tmp_path / "2")
    _set_contact(hub2, "县委宣传部 0513-81234567")
    report = Report()
    scan_config(load_config(hub2 / "mkdocs.yml", report), report)
    assert report.items == []


def test_number_file_names_fail_check(tmp_path):
    hub = _hub(tmp_path)
    shutil.copy(hub / "speakers" / "zhou-ming.yaml", hub / "speakers" / f"{RID}.yaml")
    proc = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and f"speakers/{RID}.yaml:1:1: JT066" in out, out
    assert RID not in out.replace(f"speakers/{RID}.yaml", ""), out


# --- JT067: resources from other hosts --------------------------------------

@pytest.mark.parametrize("html", [
    '<img src="https://evil.example/track.png">',
    '<img src="//evil.example/track.png">',
    '<img src="tu.png" srcset="tu.png 1x, http://evil.example/2x.png 2x">',
    '<video poster="https://evil.example/p.jpg"></video>',
    '<audio><source src="https://evil.example/a.mp3"></audio>',
    '<link rel="stylesheet" href="https://evil.example/a.css">',
    '<img src="HTTPS&colon;//evil.example/e.png">',
])
def test_external_resource_reported(html):
    report = Report()
    check_body("正文\n\n" + html + "\n", "a.md", report)
    assert any(d.code == "JT067" and d.line == 3 for d in report.items), report.render()


@pytest.mark.parametrize("html", [
    '<img src="tu.png" alt="图">',
    '<a href="https://example.org/">原文链接</a>',
    '`<img src="https://evil.example/in-code.png">`',
    '```html\n<img src="https://evil.example/fenced.png">\n```',
])
def test_local_resources_and_links_pass(html):
    report = Report()
    check_body("正文\n\n" + html + "\n", "a.md", report)
    assert not any(d.code == "JT067" for d in report.items), report.render()


@pytest.mark.parametrize("path,old,new,line", [
    ("lectures/2022/xiangcun.md", "乡村振兴，关键在人。", '乡村振兴，关键在人。<img src="https://evil.example/t.png">', 7),
    ("speakers/单丽.yaml", "<sup>身边事</sup>", '<sup>身边事</sup><img src="https://evil.example/t.png">', 8),
])
def test_external_image_fails_check(tmp_path, path, old, new, line):
    hub = _hub(tmp_path)
    p = hub / path
    text = p.read_text("utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), "utf-8")
    proc = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and f"{path}:{line}:" in out and " JT067 " in out, out


def test_external_image_in_docs_page_fails_check(tmp_path):
    hub = _hub(tmp_path)
    (hub / "docs" / "about.md").write_text('# 关于\n\n<img src="https://evil.example/t.png">\n', "utf-8")
    proc = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "docs/about.md:3:1: JT067" in out, out
