"""Bad files kept aside: each drops one contributor mistake into the good fixture hub.

Every case must make ``build.py check`` exit non-zero, print the file's name and
the right line with the right code, and never a traceback. Accepted inputs (BOM,
CRLF, Chinese file names, quoted dates) must pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_build
from jiangtang.privacy import id_check_char

GOOD = FIXTURES / "good"
LEC = "lectures/2022/shijian-lun.md"
LEC2 = "lectures/2022/xiangcun.md"
SP = "speakers/单丽.yaml"
SP2 = "speakers/zhou-ming.yaml"
SES = "sessions/2022.yaml"


def resident_id() -> str:
    """A made-up resident ID number with a valid birth date and check character."""
    first = "32062319800101001"
    return first + id_check_char(first)


def edit(path: str, old: str, new: str, count: int = 1):
    def apply(hub: Path) -> None:
        p = hub / path
        text = p.read_text("utf-8")
        assert text.count(old) >= 1, (path, old)
        p.write_text(text.replace(old, new, count), "utf-8")
    return apply


def write(path: str, content: str | bytes):
    def apply(hub: Path) -> None:
        p = hub / path
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, "utf-8")
    return apply


def both(*fns):
    def apply(hub: Path) -> None:
        for f in fns:
            f(hub)
    return apply


def gbk(hub: Path) -> None:
    p = hub / SP2
    p.write_bytes(p.read_text("utf-8").encode("gb18030"))


# (id, mutation, file, line, code, text that must appear in the message)
CASES = [
    ("fullwidth-colon", edit(SP2, "team: 理论专家", "team：理论专家"), SP2, 2, "JT011", "：”"),
    ("fullwidth-space-indent", edit(SES, "  speakers: [单丽]\n  lecture: shijian", "\u3000 speakers: [单丽]\n  lecture: shijian"), SES, 4, "JT012", "U+3000"),
    ("tab-indent", edit(SES, "  lecture: shijian-lun", "\tlecture: shijian-lun"), SES, 5, "JT013", "Tab"),
    ("fullwidth-comma-in-list", edit(LEC, "speakers: [单丽, zhou-ming]", "speakers: [单丽，zhou-ming]"), LEC, 4, "JT014", "第 14 列"),
    ("fullwidth-brackets", edit(SP, "topics: [乡村振兴, 基层治理]", "topics: 【乡村振兴, 基层治理】"), SP, 6, "JT015", "【"),
    ("fullwidth-quotes-date", edit(LEC2, 'date: "2022-06-10"', "date: “2022-06-10”"), LEC2, 3, "JT015", "“"),
    ("mixed-quotes", edit(LEC2, "title: 乡村振兴大家谈", 'title: "乡村振兴大家谈”'), LEC2, 2, "JT015", "引号不配对"),
    ("gbk-encoding", gbk, SP2, 1, "JT001", "fix-encoding"),
    ("empty-file", write("speakers/新人.yaml", ""), "speakers/新人.yaml", 1, "JT003", "空"),
    ("oversize", write("lectures/2022/huge.md", "---\ntitle: x\n---\n" + "很长的正文。\n" * 400_000), "lectures/2022/huge.md", 1, "JT002", "MB"),
    ("no-front-matter", edit(LEC2, "---\ntitle", "title"), LEC2, 1, "JT020", "---"),
    ("unclosed-front-matter", edit(LEC2, "---\n\n乡村振兴", "\n乡村振兴"), LEC2, 1, "JT021", "结束"),
    ("sessions-not-a-list", write("sessions/2023.yaml", "date: 2023-01-01\nspeakers: [单丽]\nclassroom: 田间课堂\ntitle: 冬训\n"), "sessions/2023.yaml", 1, "JT023", "列表"),
    ("speaker-not-a-mapping", write("speakers/李四.yaml", "- name: 李四\n- team: 百姓名嘴\n"), "speakers/李四.yaml", 1, "JT022", "字段: 值"),
    ("duplicate-key", edit(SP, "photo: 单丽.png\n", "photo: 单丽.png\nteam: 党员干部\n"), SP, 10, "JT016", "第 2 行"),
    ("unknown-field", edit(LEC, "summary:", "sumary:"), LEC, 7, "JT030", "summary"),
    ("missing-required", edit(SP2, "team: 理论专家\n", ""), SP2, 1, "JT031", "team"),
    ("wrong-type-bool", edit(LEC, "orderable: true", "orderable: 是"), LEC, 9, "JT032", "true 或 false"),
    ("slash-date", edit(LEC, "date: 2022-05-01", "date: 2022/05/01"), LEC, 3, "JT033", "2022/05/01"),
    ("impossible-date", edit(SES, "date: 2022-05-12", "date: 2022-13-45"), SES, 2, "JT033", "2022-13-45"),
    ("count-in-words", edit(SES, "audience: 45", "audience: 四十五"), SES, 10, "JT034", "四十五"),
    ("negative-count", edit(SES, "audience: 45", "audience: -5"), SES, 10, "JT034", "-5"),
    ("outside-vocabulary", edit(SES, "classroom: 田间课堂", "classroom: 田头课堂"), SES, 6, "JT035", "田间课堂"),
    ("town-not-listed", edit(SP2, "town: 洋口镇", "town: 洋口"), SP2, 3, "JT035", "岔河镇"),
    ("bad-slug", edit(SP2, "town: 洋口镇\n", "town: 洋口镇\nslug: Zhou Ming\n"), SP2, 4, "JT036", "Zhou Ming"),
    ("summary-too-long", edit(LEC, "summary: 用身边事讲清认识和实践的关系。", "summary: " + "长" * 201), LEC, 7, "JT037", "200"),
    ("lecture-and-title", edit(SES, "  lecture: xiangcun\n", "  lecture: xiangcun\n  title: 重复\n"), SES, 13, "JT038", "同时"),
    ("bad-time", edit(SES, 'time: "19:30"', "time: 下午3点"), SES, 3, "JT039", "下午3点"),
    ("bad-attachment", edit(LEC, "  - {title: 讲稿提纲, file: tigang.txt}", "  - 讲稿提纲.pdf"), LEC, 11, "JT040", "title"),
    ("unknown-speaker-pinyin", edit(SES, "speakers: [单丽]\n  lecture: shijian", "speakers: [shanli]\n  lecture: shijian"), SES, 4, "JT050", "单丽"),
    ("unknown-lecture", edit(SES, "lecture: xiangcun", "lecture: xiangcum"), SES, 15, "JT051", "xiangcun"),
    ("duplicate-id", write("lectures/2023/xiangcun.md", "---\ntitle: 又一篇\ndate: 2023-01-01\nspeakers: [单丽]\nslug: xiangcun-2023\n---\n正文\n"), "lectures/2023/xiangcun.md", 1, "JT052", "lectures/2022/xiangcun.md"),
    ("duplicate-slug", write("speakers/shan-li.yaml", "name: 另一位单丽\nteam: 百姓名嘴\n"), "speakers/单丽.yaml", 1, "JT053", "shan-li"),
    ("broken-link", edit(LEC, "(xiangcun.md)", "(xiangcun-old.md)"), LEC, 17, "JT054", "xiangcun-old.md"),
    ("broken-image", edit(LEC, "(tu.png)", "(images/tu.png)"), LEC, 19, "JT055", "images/tu.png"),
    ("missing-attachment", edit(LEC, "file: tigang.txt", "file: tigang.docx"), LEC, 11, "JT056", "tigang.docx"),
    ("attachment-outside-hub", edit(LEC, "file: tigang.txt", "file: ../../../../../../etc/passwd"), LEC, 11, "JT057", "站点目录之外"),
    ("missing-photo", edit(SP, "photo: 单丽.png", "photo: 单丽.jpg"), SP, 9, "JT056", "单丽.jpg"),
    ("yaml-alias", edit(SES, "speakers: [单丽]\n  lecture: shijian", "speakers: &a [单丽]\n  lecture: shijian", 1), SES, 4, None, None),
    ("yaml-alias-used", edit(SES, "speakers: [zhou-ming, 单丽]", "speakers: *a"), SES, 14, "JT017", "别名"),
    ("deep-nesting", edit(SP2, "town: 洋口镇", "town: " + "[" * 50 + "]" * 50), SP2, 3, "JT018", "嵌套"),
    ("yaml-syntax", edit(LEC2, "title: 乡村振兴大家谈", "title: 乡村振兴: 大家谈"), LEC2, 2, "JT010", "冒号"),
    ("script", edit(LEC, "乡村振兴讲稿", "乡村振兴讲稿<script>alert(1)</script>"), LEC, 17, "JT060", "<script>"),
    ("event-handler", edit(LEC, "实践是检验", '<img src="tu.png" onerror="alert(1)">实践是检验'), LEC, 21, "JT061", "onerror"),
    ("javascript-link", edit(LEC, "(xiangcun.md)", "(javascript:alert(1))"), LEC, 17, "JT062", "javascript"),
    ("javascript-href-entity", edit(LEC, "实践是检验", '<a href="java&#09;script:alert(1)">点</a>实践是检验'), LEC, 21, "JT062", "javascript"),
    ("data-image", edit(LEC, "(tu.png)", "(data:image/png;base64,iVBORw0KGgo=)"), LEC, 19, "JT062", "data"),
    ("iframe", edit(LEC, "乡村振兴，关键在人。", '<iframe src="https://example.org/"></iframe>') if False else edit(LEC2, "乡村振兴，关键在人。", '<iframe src="https://example.org/"></iframe>'), LEC2, 7, "JT063", "iframe"),
    ("style-attribute", edit(LEC2, "乡村振兴，关键在人。", '<span style="position:fixed">乡村振兴</span>'), LEC2, 7, "JT064", "style"),
    ("html-in-bio", edit(SP, "<sup>身边事</sup>", "<sup onclick=\"x()\">身边事</sup>"), SP, 8, "JT061", "onclick"),
    ("mobile-number", edit(SES, "note: 雨后改在村部礼堂", "note: 联系人电话 139-1234-5678"), SES, 11, "JT065", "139****5678"),
    ("resident-id", edit(SP, "擅长用", f"身份证 {resident_id()}，擅长用"), SP, 8, "JT066", "身份证"),
    ("docs-front-matter", write("docs/about.md", "---\ntitle：关于\n---\n# 关于\n"), "docs/about.md", 2, "JT011", "title"),
    ("docs-script", write("docs/about.md", "# 关于\n\n<script>alert(1)</script>\n"), "docs/about.md", 3, "JT060", "script"),
    ("config-vocab", edit("mkdocs.yml", "towns: [岔河镇, 洋口镇]", "towns: 岔河镇"), "mkdocs.yml", 7, "JT070", "towns"),
]
CASES = [c for c in CASES if c[4] is not None]


@pytest.fixture
def hub(tmp_path) -> Path:
    dest = tmp_path / "hub"
    shutil.copytree(GOOD, dest)
    return dest


def check(hub: Path, *extra: str):
    return run_build("check", "-f", "mkdocs.yml", *extra, cwd=hub)


def test_good_hub_is_clean(hub):
    proc = check(hub, "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "0 个错误，0 个警告" in proc.stderr


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_file(hub, case):
    name, mutate, path, line, code, needle = case
    mutate(hub)
    proc = check(hub)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out
    lines = [ln for ln in out.splitlines() if f" {code} " in ln]
    assert lines, out
    located = [ln for ln in lines if ln.startswith(f"{path}:{line}:")]
    assert located, f"expected {path}:{line} for {code}, got:\n{out}"
    assert any(needle in ln for ln in located), located


def test_all_problems_reported_in_one_run_sorted(hub):
    for mutate in (edit(SP2, "team: 理论专家", "team：理论专家"), edit(LEC, "orderable: true", "orderable: 是"),
                   edit(LEC, "date: 2022-05-01", "date: 2022/05/01"), edit(SES, "audience: 45", "audience: 四十五")):
        mutate(hub)
    proc = check(hub)
    assert proc.returncode == 1
    diag = [ln for ln in proc.stderr.splitlines() if " JT0" in ln]
    codes = [ln.split(" ")[1] for ln in diag]
    assert {"JT011", "JT032", "JT033", "JT034"} <= set(codes)
    keys = [(ln.split(":")[0], int(ln.split(":")[1])) for ln in diag]
    assert keys == sorted(keys)


def test_github_and_json_formats(hub):
    edit(LEC, "orderable: true", "orderable: 是")(hub)
    gh = check(hub, "--format", "github")
    assert gh.returncode == 1
    assert f"::error file={LEC},line=9,col=" in gh.stdout
    js = check(hub, "--format", "json")
    data = json.loads(js.stdout)
    assert data[0]["path"] == LEC and data[0]["line"] == 9 and data[0]["code"] == "JT032"
    assert data[0]["severity"] == "error" and data[0]["hint"]


def test_warnings_fail_only_under_strict(hub):
    write("speakers/新人.yaml", "name: 新人\nteam: 百姓名嘴\n")(hub)
    write("lectures/2022/weijiang.md", "---\ntitle: 未讲\ndate: 2022-01-01\nspeakers: [zhou-ming]\n---\n正文\n")(hub)
    edit(SES, "date: 2022-07-01", "date: 2099-07-01\n  audience: 50")(hub)
    proc = check(hub)
    assert proc.returncode == 0, proc.stderr
    for expected in ("speakers/新人.yaml:1:1: JT080", "lectures/2022/weijiang.md:1:1: JT081", f"{SES}:20:"):
        assert expected in proc.stderr
    assert "JT082" in proc.stderr
    assert check(hub, "--strict").returncode == 1


# --- accepted inputs ---------------------------------------------------------

def test_bom_crlf_chinese_names_and_quoted_dates_pass(hub):
    for p in sorted(hub.rglob("*")):
        if p.suffix in (".md", ".yaml", ".yml"):
            data = p.read_bytes().replace(b"\n", b"\r\n")
            p.write_bytes(b"\xef\xbb\xbf" + data)
    write("lectures/2022/高标准农田.md",
          "---\r\ntitle: 高标准农田建设\r\ndate: '2022-08-01'\r\nspeakers: [单丽]\r\n---\r\n正文\r\n")(hub)
    edit(SES, "- date: 2022-07-01", "- date: '2022-08-02'\r\n  speakers: [单丽]\r\n  lecture: 高标准农田\r\n  classroom: 田间课堂\r\n\r\n- date: 2022-07-01")(hub)
    proc = check(hub, "--strict")
    assert proc.returncode == 0, proc.stderr
    out = hub.parent / "site"
    build = run_build("build", "-f", "mkdocs.yml", "-d", str(out), "--strict", cwd=hub)
    assert build.returncode == 0, build.stderr
    assert (out / "lectures" / "gao-biao-zhun-nong-tian" / "index.html").is_file()


def test_line_numbers_with_crlf_and_bom(hub):
    p = hub / LEC
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"orderable: true", "orderable: 是".encode()).replace(b"\n", b"\r\n"))
    proc = check(hub)
    assert f"{LEC}:9:" in proc.stderr
