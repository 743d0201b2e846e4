"""Permalinks never break silently (issue 7, item 5): ``permalinks.lock``, located JT090/JT091,
``permalinks --update`` and the redirect pages it brings, online and offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_build
from deploy_support import copy_hub
from jiangtang.permalinks import read_lock


@pytest.fixture
def hub(tmp_path) -> Path:
    """A copy of the good fixture hub with a fresh permalinks.lock; returns its mkdocs.yml."""
    config = copy_hub(FIXTURES / "good", tmp_path / "hub")
    proc = run_build("permalinks", "--update", "-f", str(config))
    assert proc.returncode == 0, proc.stderr
    return config


def _refresh(html: str) -> str:
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


def test_lock_records_every_page(hub):
    lock = read_lock(hub.parent / "permalinks.lock")
    assert lock.pages[("lecture", "shijian-lun")] == "lectures/shijian-lun/"
    assert lock.pages[("speaker", "单丽")] == "speakers/shan-li/"
    assert lock.redirects == {}
    proc = run_build("check", "-f", str(hub))
    assert proc.returncode == 0, proc.stderr
    proc = run_build("permalinks", "-f", str(hub))
    assert proc.returncode == 0 and "永久链接检查通过" in proc.stderr


def test_changed_slug_is_reported_then_redirected(hub, tmp_path):
    lecture = hub.parent / "lectures" / "2022" / "shijian-lun.md"
    text = lecture.read_text("utf-8")
    lecture.write_text(text.replace("---\n", "---\nslug: xin-di-zhi\n", 1), "utf-8")

    proc = run_build("check", "-f", str(hub))
    assert proc.returncode == 1
    assert "lectures/2022/shijian-lun.md:2:1: JT090" in proc.stderr
    assert "lectures/shijian-lun/" in proc.stderr and "lectures/xin-di-zhi/" in proc.stderr
    assert run_build("build", "-f", str(hub), "-d", str(tmp_path / "refused")).returncode == 1

    proc = run_build("permalinks", "--update", "-f", str(hub))
    assert proc.returncode == 0, proc.stderr
    assert "lectures/shijian-lun/ → lectures/xin-di-zhi/" in proc.stderr
    assert run_build("check", "-f", str(hub)).returncode == 0

    site = tmp_path / "site"
    proc = run_build("build", "-f", str(hub), "-d", str(site))
    assert proc.returncode == 0, proc.stderr
    old = (site / "lectures" / "shijian-lun" / "index.html").read_text("utf-8")
    assert _refresh(old) == "../xin-di-zhi/"
    assert '<link rel="canonical" href="../xin-di-zhi/">' in old and "本页已迁移到新地址" in old
    assert (site / "lectures" / "xin-di-zhi" / "index.html").is_file()

    offline = tmp_path / "offline"
    assert run_build("build", "--offline", "-f", str(hub), "-d", str(offline)).returncode == 0
    target = _refresh((offline / "lectures" / "shijian-lun" / "index.html").read_text("utf-8"))
    assert target == "../xin-di-zhi/index.html"
    assert (offline / "lectures" / "shijian-lun" / target).resolve().is_file()

    # a second move forwards the first redirect too: old → newer, never a chain
    lecture.write_text(text.replace("---\n", "---\nslug: zai-gai\n", 1), "utf-8")
    assert run_build("permalinks", "--update", "-f", str(hub)).returncode == 0
    lock = read_lock(hub.parent / "permalinks.lock")
    assert lock.redirects == {"lectures/shijian-lun/": "lectures/zai-gai/", "lectures/xin-di-zhi/": "lectures/zai-gai/"}


def test_removed_page_is_reported_with_its_lock_line(hub, tmp_path):
    extra = hub.parent / "lectures" / "2022" / "lin-shi.md"
    extra.write_text("---\ntitle: 临时讲稿\ndate: 2022-08-01\nspeakers: [单丽]\n---\n\n正文。\n", "utf-8")
    assert run_build("permalinks", "--update", "-f", str(hub)).returncode == 0
    lines = (hub.parent / "permalinks.lock").read_text("utf-8").splitlines()
    line = next(i for i, l in enumerate(lines, 1) if l.startswith("lecture\tlin-shi\t"))
    extra.unlink()

    proc = run_build("check", "-f", str(hub))
    assert proc.returncode == 1
    assert f"permalinks.lock:{line}:1: JT091" in proc.stderr and "lin-shi" in proc.stderr

    assert run_build("permalinks", "--update", "-f", str(hub)).returncode == 0
    site = tmp_path / "site"
    assert run_build("build", "-f", str(hub), "-d", str(site)).returncode == 0
    assert _refresh((site / "lectures" / "lin-shi" / "index.html").read_text("utf-8")) == "../"


def test_retitled_speaker_without_slug_change_keeps_address(hub):
    speaker = hub.parent / "speakers" / "单丽.yaml"
    speaker.write_text(re.sub(r"^name: .*$", "name: 单丽丽", speaker.read_text("utf-8"), flags=re.M), "utf-8")
    assert run_build("check", "-f", str(hub)).returncode == 0


def test_demo_lock_is_committed_and_current():
    assert (ROOT / "permalinks.lock").is_file(), "演示站点缺少 permalinks.lock"
    proc = run_build("permalinks", "-f", str(ROOT / "mkdocs.yml"))
    assert proc.returncode == 0, proc.stderr


@pytest.mark.browser
def test_redirect_page_takes_the_reader_there(hub, tmp_path, visit):
    lecture = hub.parent / "lectures" / "2022" / "shijian-lun.md"
    lecture.write_text(lecture.read_text("utf-8").replace("---\n", "---\nslug: xin-di-zhi\n", 1), "utf-8")
    assert run_build("permalinks", "--update", "-f", str(hub)).returncode == 0
    site = tmp_path / "offline"
    assert run_build("build", "--offline", "-f", str(hub), "-d", str(site)).returncode == 0
    v = visit("file://")
    v.page.goto((site / "lectures" / "shijian-lun" / "index.html").as_uri())
    v.page.wait_for_url("**/xin-di-zhi/index.html")
    assert v.foreign == []


def test_lock_text_round_trips_and_is_sorted(tmp_path):
    from jiangtang.permalinks import render_lock

    pages = {("speaker", "单丽"): "speakers/shan-li/", ("lecture", "b"): "lectures/b/", ("lecture", "A"): "lectures/a/"}
    text = render_lock(pages, {"lectures/z/": "lectures/b/", "lectures/old/": "lectures/a/"})
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body == ["lecture\tA\tlectures/a/", "lecture\tb\tlectures/b/", "speaker\t单丽\tspeakers/shan-li/",
                    "redirect\tlectures/old/\tlectures/a/", "redirect\tlectures/z/\tlectures/b/"]
    (tmp_path / "permalinks.lock").write_text(text, "utf-8")
    lock = read_lock(tmp_path / "permalinks.lock")
    assert lock.pages == pages and lock.redirects == {"lectures/z/": "lectures/b/", "lectures/old/": "lectures/a/"}


def test_broken_lock_is_a_located_error(hub):
    (hub.parent / "permalinks.lock").write_text("lecture shijian-lun lectures/shijian-lun/\n", "utf-8")
    proc = run_build("check", "-f", str(hub))
    assert proc.returncode == 1 and "permalinks.lock:1:1: JT093" in proc.stderr and "permalinks.lock:1" in proc.stderr


def test_redirect_page_links_are_relative_and_absolute_canonical():
    from jiangtang.permalinks import redirect_page

    page = redirect_page("speakers/old/", "speakers/", True, "https://example.gov.cn/theory/").decode()
    assert _refresh(page) == "../" and 'rel="canonical" href="https://example.gov.cn/theory/speakers/"' in page
    assert 'lang="zh-CN"' in page and '<a href="../">' in page
