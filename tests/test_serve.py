"""``build.py serve`` as an editor uses it: the preview comes up, and a saved lecture shows in the preview.

The time from saving to the changed page being served is printed (``-s`` shows it);
performance targets live in ``make bench``, so nothing here asserts a duration.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SOURCE_DATE_EPOCH

from jiangtang.compiler import compile_hub


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, needle: str, timeout: float) -> str | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        text = _get(url)
        if text is not None and needle in text:
            return text
        time.sleep(0.2)
    return None


def test_serve_shows_a_saved_lecture(good_hub):
    config = good_hub / "mkdocs.yml"
    lec = next(iter(compile_hub(config).hub.lectures.values()))
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "CI": "true"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                            cwd=good_hub, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _wait_for(base + lec.url, lec.title, timeout=180)
        assert page is not None, "预览没有启动"
        assert _get(base + "search/idx/m.js"), "预览站点缺少搜索索引"
        marker = f"预览测试段落{os.getpid()}"
        source = Path(lec.path)
        source.write_text(source.read_text("utf-8") + f"\n\n{marker}。\n", "utf-8")
        saved = time.monotonic()
        page = _wait_for(base + lec.url, marker, timeout=120)
        assert page is not None, "保存后的讲稿没有出现在预览中"
        print(f"\n保存后 {time.monotonic() - saved:.1f} 秒在预览中可见")

        # the background full build brings the rest up to date: a new title reaches the lecture listing
        title = f"预览改名{os.getpid()}"
        source.write_text(source.read_text("utf-8").replace(f"title: {lec.title}", f"title: {title}", 1), "utf-8")
        assert _wait_for(base + "lectures/", title, timeout=180), "讲稿列表没有随后台构建更新"

        # once everything is built and nothing changes, browsers are not told to reload again and again
        time.sleep(3)
        epoch = re.search(r"livereload\((\d+),", _get(base + lec.url)).group(1)
        with pytest.raises(TimeoutError):  # the long poll stays open: no reload (an HTTP error would not pass)
            urllib.request.urlopen(f"{base}livereload/{epoch}/1", timeout=5).read()
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "Traceback" not in out, out
    assert proc.returncode == 0 and "预览已停止" in out, out  # Ctrl+C is the normal way to stop
