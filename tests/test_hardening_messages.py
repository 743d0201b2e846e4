"""Messages for mistakes a tester found badly reported: right line, named character, Chinese only.

Each case drops one mistake into a copy of the good fixture hub and runs the
real ``build.py check``: it must fail, print ``path:line:col: CODE`` at the
line really at fault, name the character, and print no English parser text.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_build
from jiangtang.diagnostics import Report
from jiangtang.source import parse_yaml

GOOD = FIXTURES / "good"
LEC = "lectures/2022/shijian-lun.md"
SP2 = "speakers/zhou-ming.yaml"
SES = "sessions/2022.yaml"
ENGLISH = re.compile(r"expected|found|while |could not|No such file|Permission denied|Is a directory")


def edit(path: str, old: str, new: str):
    def apply(hub: Path) -> None:
        p = hub / path
        text = p.read_text("utf-8")
        assert old in text, (path, old)
        p.write_text(text.replace(old, new, 1), "utf-8")
    return apply


# (id, mutation, expected "path:line:col: CODE", text that must appear in that line)
CASES = [
    ("indent-one-space-first-line", edit(LEC, "---\ntitle:", "---\n title:"), f"{LEC}:2:1: JT010", "多了 1 个空格"),
    ("indent-one-space-later", edit(SP2, "team: 理论专家", " team: 理论专家"), f"{SP2}:2:1: JT010", "缩进不一致"),
    ("nbsp-after-colon", edit(LEC, "date: 2022-05-01", "date:\u00a02022-05-01"), f"{LEC}:3:6: JT012", "U+00A0"),
    ("nbsp-indent", edit(SES, "  speakers: [单丽]\n  lecture: shijian", "\u00a0 speakers: [单丽]\n  lecture: shijian"), f"{SES}:4:1: JT012", "U+00A0"),
    ("fullwidth-dash-bullet", edit(LEC, "  - {title: 讲稿提纲", "  － {title: 讲稿提纲"), f"{LEC}:11:3: JT015", "－"),
    ("em-dash-bullet", edit(LEC, "  - {title: 讲稿提纲", "  — {title: 讲稿提纲"), f"{LEC}:11:3: JT015", "—"),
    ("zero-width-in-list", edit(LEC, "speakers: [单丽, zhou-ming]", "speakers: [单丽\u200b, zhou-ming]"), f"{LEC}:4:14: JT019", "U+200B"),
    ("rlm-after-date", edit(LEC, "date: 2022-05-01", "date: 2022-05-01\u200f"), f"{LEC}:3:17: JT019", "U+200F"),
    ("bidi-override", edit(SP2, "team: 理论专家", "team: 理论\u202e专家"), f"{SP2}:2:9: JT019", "U+202E"),
    ("bom-inside", edit(SP2, "team: 理论专家", "team: \ufeff理论专家"), f"{SP2}:2:7: JT019", "U+FEFF"),
    ("control-character", edit(SP2, "team: 理论专家", "team: 理论\x01专家"), f"{SP2}:2:9: JT019", "U+0001"),
    ("unclosed-flow-list", edit(LEC, "topics: [理论学习]", "topics: [理论学习"), f"{LEC}:6:", "“[”缺少逗号或右括号"),
    ("second-document", edit(SES, "\n- date: 2022-06-20", "\n---\n- date: 2022-06-20"), f"{SES}:13:1: JT010", "---"),
]


@pytest.fixture
def hub(tmp_path) -> Path:
    dest = tmp_path / "hub"
    shutil.copytree(GOOD, dest)
    return dest


def check(hub: Path):
    proc = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_mistake_is_located_and_named(hub, case):
    _, mutate, where, needle = case
    mutate(hub)
    rc, out = check(hub)
    assert rc == 1, out
    assert "Traceback" not in out
    located = [ln for ln in out.splitlines() if ln.startswith(where)]
    assert located, f"expected {where}, got:\n{out}"
    assert any(needle in ln for ln in located), located
    assert not any(ENGLISH.search(ln) for ln in out.splitlines()), out


def test_file_level_problem_prints_line_one_column_one(hub):
    (hub / "speakers" / "新人.yaml").write_text("", "utf-8")
    rc, out = check(hub)
    assert rc == 1
    assert "speakers/新人.yaml:1:1: JT003" in out
    assert ":0:" not in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_in_chinese(hub):
    p = hub / SP2
    p.chmod(0)
    rc, out = check(hub)
    assert rc == 1 and f"{SP2}:1:1: JT004" in out and "没有读取权限" in out, out


def test_dangling_symlink_named(hub):
    (hub / "speakers" / "王五.yaml").symlink_to(hub / "speakers" / "nowhere.yaml")
    rc, out = check(hub)
    assert rc == 1, out
    assert "speakers/王五.yaml:1:1: JT004" in out and "失效的符号链接" in out, out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("text,line,needle", [
    ("name: a\n  team: b\n", 2, "多缩进了 2 个空格"),
    ("speakers:\n    - a\n  - b\n", 3, "缩进不一致"),
    ("- a: 1\nb: 2\n", 2, "混在了同一层"),
    ('a: "abc\nb: 3\n', 1, "引号没有闭合"),
    ("a: %x\n", 1, "“%”开头"),
    ('a: "\\q"\n', 1, "转义"),
    ("a: {b: 1\n", 2, "右括号“}”"),
    ("a: |\nb\n", 2, "缺少冒号"),
])
def test_parser_errors_translated(text, line, needle):
    report = Report()
    assert parse_yaml(text, "x.yaml", report) is None
    (d,) = report.sorted()
    assert d.line == line and needle in d.message, d
    assert not ENGLISH.search(d.message), d


def test_visible_text_with_nbsp_inside_a_value_is_accepted():
    report = Report()
    node = parse_yaml("title: 第一\u00a0讲\n", "x.yaml", report)
    assert not report.items and node.value["title"].value == "第一\u00a0讲"
