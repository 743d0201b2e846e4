"""Unit tests of the sanitiser, the personal-number checks and the bounded YAML loader."""

from __future__ import annotations

import pytest

from jiangtang.diagnostics import CODES, Report
from jiangtang.privacy import id_check_char, is_resident_id, scan
from jiangtang.sanitize import check_body, url_scheme
from jiangtang.source import MAX_DEPTH, parse_yaml, split_front_matter


def codes(report: Report) -> list[str]:
    return [d.code for d in report.sorted()]


# --- resident ID numbers (GB 11643-1999) and mobile numbers -----------------

def test_id_check_char_matches_the_standard_example():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert id_check_char("11010519491231002") == "X"
    assert is_resident_id("11010519491231002X")
    assert is_resident_id("11010519491231002x")


@pytest.mark.parametrize("text", ["110105194912310021", "110105194913310020", "11010519491231002", "1101051949123100212"])
def test_not_resident_ids(text):
    assert not is_resident_id(text)


@pytest.mark.parametrize("line,found", [
    ("电话 13812345678", ["JT065"]),
    ("电话：+86 138 1234 5678。", ["JT065"]),
    ("电话 86-139-1234-5678", ["JT065"]),
    ("办公电话 0513-84512345", []),
    ("编号 213812345678", []),
    ("订单 138123456789", []),
    ("身份证 11010519491231002X", ["JT066"]),
    ("编号 110105194912310021", []),
    ("2022 年 12 月 31 日，45 人", []),
])
def test_scan(line, found):
    report = Report()
    scan("第一行\n" + line, "a.md", report)
    assert codes(report) == found
    for d in report.items:
        assert d.line == 2
        assert line[d.col - 1] in "+812"
        assert "13812345678" not in d.message  # the number is masked in logs


# --- raw HTML and URLs -----------------------------------------------------

SAFE = [
    "上标<sup>2</sup>和<sub>2</sub>",
    "<details><summary>展开</summary>内容</details>",
    '<table><tr><td colspan="2">单元格</td></tr></table>',
    '<a href="https://example.org/">链接</a>',
    '<img src="tu.png" alt="图" width="200">',
    '<span class="note" title="说明">注</span>',
    "```html\n<script>alert(1)</script>\n```",
    "行内代码 `<iframe src=x>` 不执行",
    "<!-- 注释 -->",
    "[邮件](mailto:a@example.org) 与 [电话](tel:051284512345)",
]


@pytest.mark.parametrize("body", SAFE)
def test_safe_subset_passes(body):
    report = Report()
    check_body(body, "a.md", report)
    assert not report.items, report.render()


@pytest.mark.parametrize("body,code,line,col", [
    ("正文\n<script>alert(1)</script>", "JT060", 2, 1),
    ("正文 <SCRIPT src=x.js></SCRIPT>", "JT060", 1, 4),
    ('<img src="a.png" onerror="alert(1)">', "JT061", 1, 1),
    ('<p onclick="x()">段落</p>', "JT061", 1, 1),
    ('<a href="javascript:alert(1)">x</a>', "JT062", 1, 1),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "JT062", 1, 1),
    ('<a href="java&#x09;script:alert(1)">x</a>', "JT062", 1, 1),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "JT062", 1, 1),
    ("[点](javascript:alert(1))", "JT062", 1, 5),
    ("![图](data:image/png;base64,AAAA)", "JT062", 1, 6),
    ("<javascript:alert(1)>", "JT062", 1, 1),
    ('<iframe src="https://example.org"></iframe>', "JT063", 1, 1),
    ('<object data="x.swf"></object>', "JT063", 1, 1),
    ('<embed src="x.swf">', "JT063", 1, 1),
    ("<style>body{display:none}</style>", "JT064", 1, 1),
    ('<span style="position:fixed">x</span>', "JT064", 1, 1),
    ('<form action="https://evil.example/"><input></form>', "JT064", 1, 1),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "JT064", 1, 1),
])
def test_hostile_html_is_an_error_with_location(body, code, line, col):
    report = Report()
    check_body(body, "a.md", report, line_offset=10)
    found = report.sorted()
    assert found, body
    assert found[0].code == code
    assert (found[0].line, found[0].col) == (line + 10, col)
    assert CODES[code].severity == "error"


def test_url_scheme_reads_like_a_browser():
    assert url_scheme("JAVASCRIPT:x") == "javascript"
    assert url_scheme("java\tscript:x") == "javascript"
    assert url_scheme("&#106;avascript:x") == "javascript"
    assert url_scheme("../a.md") == ""
    assert url_scheme("https://a") == "https"


# --- bounded YAML ---------------------------------------------------------------

def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    report = Report()
    assert parse_yaml(bomb, "b.yaml", report) is None
    assert codes(report) == ["JT017"]
    assert report.items[0].line == 2


def test_deep_nesting_is_refused():
    report = Report()
    assert parse_yaml("a: " + "[" * 100_000 + "]" * 100_000, "d.yaml", report) is None
    assert codes(report) == ["JT018"]
    report = Report()
    assert parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "d.yaml", report) is not None


def test_front_matter_lines_count_from_top_of_file():
    report = Report()
    doc = split_front_matter("---\ntitle: a\ndate: 2022-01-01\nduplicate: 1\nduplicate: 2\n---\n正文", "x.md", report)
    assert doc.body_line == 7
    assert [(d.code, d.line) for d in report.items] == [("JT016", 5)]
    assert "第 4 行" in report.items[0].message
