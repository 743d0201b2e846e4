"""``build.py new`` never corrupts a file, never writes outside the hub, never creates a duplicate.

Every refusal must exit 1 with a Chinese message and leave every byte as it
was; every accepted append must keep the file's line endings and mode and
pass ``build.py check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_build

SESSION = ("session", "--date", "2023-03-01", "--speaker", "单丽", "--title", "冬训", "--classroom", "田间课堂", "-y")
RECORD = "- date: 2023-01-01\n  speakers: [单丽]\n  title: 甲\n  classroom: 田间课堂\n"


@pytest.fixture
def hub(good_hub) -> Path:
    return good_hub


def new(hub: Path, *args: str):
    proc = run_build("new", *args, cwd=hub)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sessions_path_is_a_folder(hub):
    (hub / "sessions" / "2023.yaml").mkdir()
    proc = new(hub, *SESSION)
    assert proc.returncode == 1 and "sessions/2023.yaml" in proc.stderr and "文件夹" in proc.stderr, proc.stderr


@pytest.mark.parametrize("content,needle", [
    (RECORD.encode("gbk"), "不是 UTF-8"),
    ("[{date: 2023-01-01, speakers: [单丽], title: 甲, classroom: 田间课堂}]\n".encode(), "方括号列表"),
    (b"[]\n", "方括号列表"),
    (("---\n" + RECORD).encode(), "文档分隔符"),
    ((RECORD + "...\n").encode(), "文档分隔符"),
    (b"date: 2023-01-01\nspeakers: [x]\n", "不是以"),
    (("  " + RECORD.replace("\n  ", "\n    ")).encode(), "缩进"),
    ((RECORD + "  title: [未闭合\n").encode(), "错误"),
])
def test_append_refused_without_touching_the_file(hub, content, needle):
    target = hub / "sessions" / "2023.yaml"
    target.write_bytes(content)
    proc = new(hub, *SESSION)
    assert proc.returncode == 1, proc.stderr
    assert "未写入" in proc.stderr and needle in proc.stderr, proc.stderr
    assert target.read_bytes() == content


def test_append_keeps_crlf_bom_and_mode(hub):
    target = hub / "sessions" / "2023.yaml"
    before = ("\ufeff# 记录\n" + RECORD).replace("\n", "\r\n").encode("utf-8")
    target.write_bytes(before)
    target.chmod(0o644)
    proc = new(hub, *SESSION)
    assert proc.returncode == 0, proc.stderr
    after = target.read_bytes()
    assert after.startswith(before)
    assert after.count(b"\n") == after.count(b"\r\n") and after.count(b"\r\n") > before.count(b"\r\n")
    assert target.stat().st_mode & 0o777 == 0o644
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
    check = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    assert check.returncode == 0, check.stderr
    assert "宣讲记录 5 条" in check.stderr


def test_append_to_file_without_final_newline(hub):
    target = hub / "sessions" / "2023.yaml"
    target.write_bytes(RECORD.rstrip("\n").encode())
    assert new(hub, *SESSION).returncode == 0
    check = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    assert check.returncode == 0 and "宣讲记录 5 条" in check.stderr, check.stderr


@pytest.mark.parametrize("args", [
    ("--title", "t", "--id", "../../../escape"),
    ("--title", "t", "--id", "a/b"),
    ("--title", "t", "--id", ".hidden"),
    ("--title", "t", "--folder", "../../x"),
    ("--title", "t", "--folder", "/tmp/jt-abs-folder"),
])
def test_lecture_never_written_outside(hub, args):
    before = snapshot(hub.parent)
    proc = new(hub, "lecture", "--speaker", "单丽", "--date", "2023-01-01", "-y", *args)
    assert proc.returncode == 1 and "未写入" in proc.stderr, proc.stderr
    assert snapshot(hub.parent) == before
    assert not Path("/tmp/jt-abs-folder").exists()


@pytest.mark.parametrize("kind,args,existing", [
    ("lecture", ("--title", "另一篇", "--id", "Shijian-Lun", "--speaker", "单丽"), "lectures/2022/shijian-lun.md"),
    ("lecture", ("--title", "另一篇", "--id", "xiangcun", "--folder", "2023", "--speaker", "单丽"), "lectures/2022/xiangcun.md"),
    ("lecture", ("--title", "另一篇", "--id", "xiangcun-2", "--speaker", "单丽"), "lectures/2022/xiangcun.md"),
    ("speaker", ("--name", "周明", "--team", "理论专家", "--id", "Zhou-Ming"), "speakers/zhou-ming.yaml"),
    ("speaker", ("--name", "周明", "--team", "理论专家"), "speakers/zhou-ming.yaml"),
    ("speaker", ("--name", "單麗", "--team", "理论专家", "--id", "单丽"), "speakers/单丽.yaml"),
])
def test_collisions_refused_naming_the_existing_file(hub, kind, args, existing):
    if args[3] == "xiangcun-2":  # same page address through an explicit slug
        p = hub / existing
        p.write_text(p.read_text("utf-8").replace("title: 乡村振兴大家谈", "title: 乡村振兴大家谈\nslug: xiangcun-2"), "utf-8")
    before = snapshot(hub)
    proc = new(hub, kind, "--date", "2023-01-01", "-y", *args) if kind == "lecture" else new(hub, kind, "-y", *args)
    assert proc.returncode == 1, proc.stderr
    assert existing in proc.stderr, proc.stderr
    assert snapshot(hub) == before


def test_yml_speaker_counts_as_existing(hub):
    shutil.move(hub / "speakers" / "zhou-ming.yaml", hub / "speakers" / "zhou-ming.yml")
    proc = new(hub, "speaker", "--name", "周明", "--team", "理论专家", "--id", "zhou-ming", "-y")
    assert proc.returncode == 1 and "speakers/zhou-ming.yml" in proc.stderr, proc.stderr
    assert not (hub / "speakers" / "zhou-ming.yaml").exists()
