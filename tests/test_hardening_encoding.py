"""``build.py fix-encoding`` never reports success with garbled text, shows what it decoded, keeps the mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_build
from jiangtang.encoding import fix_file
from jiangtang.source import choose_encoding


@pytest.mark.parametrize("text", ["name: 曾国华\n", "title: 学习\n", "name: 单丽\nteam: 百姓名嘴\n", "town: 岔河镇\n"])
def test_short_gbk_texts_read_as_gb18030(tmp_path: Path, text):
    path = tmp_path / "s.yaml"
    data = text.encode("gbk")
    path.write_bytes(data)
    try:
        data.decode("utf-8")
        force = "gb18030"  # GBK bytes that are also valid UTF-8 (学习 → ѧϰ): only --from converts them
    except UnicodeDecodeError:
        force = None
    result = fix_file(path, force)
    assert result is not None and result.encoding == "gb18030"
    assert path.read_text("utf-8") == text


def test_detector_answer_overruled_is_said(tmp_path: Path):
    assert choose_encoding("name: 曾国华\n".encode("gbk"))[0] == "gb18030"
    path = tmp_path / "g5.yaml"
    path.write_bytes("name: 曾国华\n".encode("gbk"))
    proc = run_build("fix-encoding", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "gb18030" in proc.stderr and "    name: 曾国华" in proc.stderr  # encoding and decoded preview shown
    assert path.read_text("utf-8") == "name: 曾国华\n"


def test_big5_traditional_text_still_big5(tmp_path: Path):
    text = "name: 曾國華\nbio: 長期在村裡宣講，擅長用身邊事講政策。\n"
    path = tmp_path / "b.yaml"
    path.write_bytes(text.encode("big5"))
    result = fix_file(path)
    assert result.encoding == "big5" and path.read_text("utf-8") == text


def test_mode_kept(tmp_path: Path):
    path = tmp_path / "m.yaml"
    path.write_bytes("name: 单丽\n".encode("gbk"))
    path.chmod(0o644)
    fix_file(path)
    assert path.stat().st_mode & 0o777 == 0o644
    path2 = tmp_path / "m2.yaml"
    path2.write_bytes("name: 单丽\n".encode("gbk"))
    path2.chmod(0o664)
    fix_file(path2)
    assert path2.stat().st_mode & 0o777 == 0o664


def test_dangling_symlink_in_chinese(tmp_path: Path):
    link = tmp_path / "x.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    proc = run_build("fix-encoding", str(link))
    assert proc.returncode == 1 and ("不存在" in proc.stderr or "失效的符号链接" in proc.stderr), proc.stderr
    assert "No such file" not in proc.stderr
