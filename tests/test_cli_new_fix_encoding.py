"""``build.py new`` and ``build.py fix-encoding``: valid files, shown ids, nothing overwritten or lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_build
from jiangtang.encoding import EncodingFixError, fix_file


@pytest.fixture
def hub(good_hub) -> Path:
    return good_hub


def new(hub: Path, *args: str):
    return run_build("new", *args, cwd=hub)


def test_new_lecture_speaker_session_pass_check(hub):
    proc = new(hub, "lecture", "--title", "学习《实践论》再谈", "--speaker", "单丽", "--speaker", "zhou-ming", "--date", "2023-02-01")
    assert proc.returncode == 0, proc.stderr
    assert "编号：xue-xi-shi-jian-lun-zai-tan" in proc.stderr
    assert "页面地址：lectures/xue-xi-shi-jian-lun-zai-tan/" in proc.stderr
    text = (hub / "lectures/2023/xue-xi-shi-jian-lun-zai-tan.md").read_text("utf-8")
    assert text.startswith("---\ntitle: 学习《实践论》再谈\ndate: 2023-02-01\nspeakers: [单丽, zhou-ming]\n")
    proc = new(hub, "speaker", "--name", "曾国华", "--team", "理论专家", "--town", "洋口镇")
    assert proc.returncode == 0, proc.stderr
    assert "页面地址：speakers/zeng-guo-hua/" in proc.stderr
    assert (hub / "speakers/曾国华.yaml").is_file()
    before = (hub / "sessions/2022.yaml").read_bytes()
    proc = new(hub, "session", "--date", "2022-10-01", "--speaker", "曾国华", "--lecture", "xue-xi-shi-jian-lun-zai-tan",
               "--classroom", "田间课堂", "--audience", "30")
    assert proc.returncode == 0, proc.stderr
    after = (hub / "sessions/2022.yaml").read_bytes()
    assert after.startswith(before) and len(after) > len(before)  # appended, every old byte kept
    check = run_build("check", "-f", "mkdocs.yml", "--strict", cwd=hub)
    assert check.returncode == 0, check.stderr
    assert "讲稿 3 篇，宣讲员 3 人，宣讲记录 4 条" in check.stderr


def test_new_never_overwrites(hub):
    target = hub / "speakers/zhou-ming.yaml"
    before = target.read_bytes()
    proc = new(hub, "speaker", "--name", "周明", "--team", "理论专家", "--id", "zhou-ming")
    assert proc.returncode == 1
    assert "已存在，不会覆盖" in proc.stderr
    assert target.read_bytes() == before


def test_new_refuses_invalid_values_and_unknown_ids(hub):
    proc = new(hub, "speaker", "--name", "王五", "--team", "群众")
    assert proc.returncode == 1 and "JT035" in proc.stderr and "百姓名嘴" in proc.stderr
    assert not (hub / "speakers/王五.yaml").exists()
    proc = new(hub, "session", "--date", "2022-09-03", "--speaker", "shanli", "--title", "秋收", "--classroom", "田间课堂")
    assert proc.returncode == 1 and "是不是“单丽”" in proc.stderr
    proc = new(hub, "lecture", "--title", "无人", "--date", "2022/01/01", "--speaker", "单丽")
    assert proc.returncode == 1 and "YYYY-MM-DD" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_new_without_flags_and_terminal_says_what_is_missing(hub):
    proc = new(hub, "lecture")
    assert proc.returncode == 1
    assert "缺少标题" in proc.stderr


def test_new_prompts_on_a_terminal(hub):
    """Answers typed at prompts (through a pseudo-terminal) produce the file after showing id and slug."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child: run the CLI with the pty as its terminal
        os.chdir(hub)
        os.execv(sys.executable, [sys.executable, str(ROOT / "build.py"), "new", "speaker"])
    out = b""
    answers = iter(["李红\n", "百姓名嘴\n", "\n", "y\n"])
    import select
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if chunk.rstrip().endswith(("：".encode(), b"]")):
            os.write(fd, next(answers, "\n").encode())
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "编号：李红" in text and "speakers/li-hong/" in text
    assert (hub / "speakers/李红.yaml").read_text("utf-8").startswith("name: 李红\nteam: 百姓名嘴\n")


# --- fix-encoding -----------------------------------------------------------

def test_fix_encoding_converts_keeps_backup_and_check_passes(hub):
    path = hub / "speakers/zhou-ming.yaml"
    original_text = path.read_text("utf-8").replace("\n", "\r\n")
    gbk = original_text.encode("gb18030")
    path.write_bytes(gbk)
    check = run_build("check", "-f", "mkdocs.yml", cwd=hub)
    assert check.returncode == 1 and "gb18030" in check.stderr
    assert "fix-encoding speakers/zhou-ming.yaml" in check.stderr
    proc = run_build("fix-encoding", "speakers/zhou-ming.yaml", cwd=hub)
    assert proc.returncode == 0, proc.stderr
    assert (hub / "speakers/zhou-ming.yaml.bak").read_bytes() == gbk
    assert path.read_bytes() == original_text.encode("utf-8")  # CRLF kept, every character kept
    assert run_build("check", "-f", "mkdocs.yml", "--strict", cwd=hub).returncode == 0
    # again: already UTF-8, nothing written
    proc = run_build("fix-encoding", "speakers/zhou-ming.yaml", cwd=hub)
    assert proc.returncode == 0 and "已经是 UTF-8" in proc.stderr


def test_fix_encoding_never_overwrites_a_backup(tmp_path):
    path = tmp_path / "a.yaml"
    data = "name: 周明\n".encode("gb18030")
    path.write_bytes(data)
    (tmp_path / "a.yaml.bak").write_bytes(b"older backup")
    with pytest.raises(EncodingFixError):
        fix_file(path)
    assert path.read_bytes() == data
    assert (tmp_path / "a.yaml.bak").read_bytes() == b"older backup"


def test_fix_encoding_refuses_what_does_not_round_trip(tmp_path):
    path = tmp_path / "a.md"
    data = b"\x81\x30\x81"  # a truncated GB18030 four-byte sequence
    path.write_bytes(data)
    with pytest.raises(EncodingFixError):
        fix_file(path, "gb18030")
    assert path.read_bytes() == data
    assert not (tmp_path / "a.md.bak").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="gb18030", exclude_categories=("Cs",)), min_size=1, max_size=200),
       st.sampled_from(["gb18030", "utf-16"]))
def test_fix_encoding_round_trip_loses_no_byte(tmp_path_factory, text, enc):
    folder = tmp_path_factory.mktemp("enc")
    path = folder / "f.yaml"
    data = text.encode(enc)
    path.write_bytes(data)
    try:
        result = fix_file(path, enc)
    except EncodingFixError:
        assert path.read_bytes() == data  # refused: untouched
        return
    assert result is not None
    backup = result[1].read_bytes()
    assert backup == data
    assert path.read_bytes().decode("utf-8").encode(enc) == data
