"""The fast path of ``build.py serve`` (:mod:`jiangtang.preview`): a saved lecture's page is re-rendered alone,
and that page is byte for byte the page a full build of the saved hub writes.

The end-to-end run of ``build.py serve`` over HTTP is in ``tests/test_serve.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, SOURCE_DATE_EPOCH, run_build

from jiangtang.compiler import compile_hub, update_lectures
from jiangtang.diagnostics import HubError, Report
from jiangtang.plugin import PageRenderer
from jiangtang.preview import Preview


@pytest.fixture()
def county(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.setenv("CI", "true")
    shutil.copytree(FIXTURES / "county", tmp_path / "hub")
    return tmp_path / "hub" / "mkdocs.yml"


def _full_build(cfg: Path, out: Path) -> None:
    proc = run_build("build", "-q", "-f", str(cfg), "-d", str(out), env={"CI": "true"})
    assert proc.returncode == 0, proc.stderr


def _lecture(site, index: int = 0):
    return list(site.hub.lectures.values())[index]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_fast_path_page_equals_the_full_build(county, tmp_path, directory_urls):
    if not directory_urls:
        county.write_text(county.read_text("utf-8") + "\nuse_directory_urls: false\n", "utf-8")
    served = tmp_path / "served"
    _full_build(county, served)
    site = compile_hub(county, search_index=False)
    renderer = PageRenderer(county, site, served)
    lec = _lecture(site)
    src = lec.path.read_text("utf-8")
    edited = re.sub(r"^title: .*$", "title: 快速预览改过的标题", src, count=1, flags=re.M) + "\n## 新增一节\n\n新增的段落。\n"
    lec.path.write_text(edited, "utf-8")

    [page] = update_lectures(site, [lec.path], Report())
    assert page == f"lectures/{lec.slug}/index.md"
    written = renderer.render(page)
    fast = written.read_bytes()
    assert "快速预览改过的标题" in fast.decode() and "新增的段落" in fast.decode()

    full = tmp_path / "full"
    _full_build(county, full)
    assert fast == (full / written.relative_to(served)).read_bytes()


def test_fast_path_keeps_the_page_when_the_file_has_errors(county, tmp_path):
    site = compile_hub(county, search_index=False)
    lec = _lecture(site)
    before = site.pages[f"lectures/{lec.slug}/index.md"]
    text = lec.path.read_text("utf-8")
    lec.path.write_text(re.sub(r"^speakers: .*$", "speakers: [查无此人]", text, count=1, flags=re.M), "utf-8")
    report = Report()
    with pytest.raises(HubError) as err:
        update_lectures(site, [lec.path], report)
    found = [d for d in err.value.report.errors if d.code == "JT050"]
    assert found and found[0].path.endswith(lec.path.name) and found[0].line > 1  # located at the speakers line
    assert report.errors  # the caller's report has them too
    assert site.hub.lectures[lec.id] is lec and site.pages[f"lectures/{lec.slug}/index.md"] == before


def test_two_lectures_saved_together_are_checked_together(county, tmp_path):
    """A heading added to one lecture and a link to it from another, saved at once: no false JT054."""
    site = compile_hub(county, search_index=False)
    a, b = _lecture(site, 0), _lecture(site, 1)
    b.path.write_text(b.path.read_text("utf-8") + "\n## 一起保存的新小节\n\n内容。\n", "utf-8")
    rel = os.path.relpath(b.path, a.path.parent)
    a.path.write_text(a.path.read_text("utf-8") + f"\n见[新小节]({rel}#一起保存的新小节)。\n", "utf-8")
    report = Report()
    pages = update_lectures(site, [a.path, b.path], report)
    assert sorted(pages) == sorted([f"lectures/{a.slug}/index.md", f"lectures/{b.slug}/index.md"]), report.render("text")
    assert not report.errors
    assert "一起保存的新小节" in site.pages[f"lectures/{b.slug}/index.md"]
    assert f"见[新小节](../{b.slug}/index.md#" in site.pages[f"lectures/{a.slug}/index.md"]


def test_fast_path_declines_what_moves_pages(county):
    site = compile_hub(county, search_index=False)
    lec = _lecture(site)
    new = lec.path.with_name("新讲稿.md")
    new.write_text(lec.path.read_text("utf-8"), "utf-8")
    assert update_lectures(site, [new], Report()) is None  # a new file: listings and ids change
    lec.path.write_text(lec.path.read_text("utf-8").replace("---\n", "---\nslug: moved-away\n", 1), "utf-8")
    assert update_lectures(site, [lec.path], Report()) is None  # a new address


def _wait(predicate, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _preview(county: Path, served: Path) -> Preview:
    """A :class:`Preview` of ``county`` over a full build in ``served``, as ``Preview.serve`` sets it up."""
    _full_build(county, served)
    site = compile_hub(county, search_index=False)
    preview = Preview(county, site, served)
    preview.renderer = PageRenderer(county, site, served)
    return preview


def test_preview_shows_the_edit_at_once_then_updates_the_rest(county, tmp_path):
    served = tmp_path / "served"
    preview = _preview(county, served)
    lec = _lecture(preview.site)
    page = served / "lectures" / lec.slug / "index.html"
    listing = served / "lectures" / "index.html"
    text = lec.path.read_text("utf-8")
    time.sleep(0.01)  # a new modification time even on coarse clocks
    lec.path.write_text(re.sub(r"^title: .*$", "title: 预览改名测试", text, count=1, flags=re.M), "utf-8")
    try:
        preview.on_change()
        assert "预览改名测试" in page.read_text("utf-8")  # written before on_change returned
        assert preview._child is not None  # the full build runs in the background …
        assert _wait(lambda: preview._child is None)
        assert "预览改名测试" in listing.read_text("utf-8")  # … and brings the listing up to date

        # a speaker edit is not one lecture's page: full build only, then the kept state is rebuilt
        speaker = sorted((county.parent / "speakers").glob("*.yaml"))[0]
        speaker.write_text(speaker.read_text("utf-8") + "\n# 备注\n", "utf-8")
        preview.on_change()
        assert preview.renderer is None
        assert _wait(lambda: preview._child is None and preview.renderer is not None)
    finally:
        preview._stop_child()


def test_preview_reports_a_broken_save_and_starts_no_build(county, tmp_path, capsys):
    served = tmp_path / "served"
    preview = _preview(county, served)
    lec = _lecture(preview.site)
    page = served / "lectures" / lec.slug / "index.html"
    before = page.read_bytes()
    text = lec.path.read_text("utf-8")
    lec.path.write_text(re.sub(r"^date: .*$", "date: 2024-13-45", text, count=1, flags=re.M), "utf-8")
    preview.on_change()
    err = capsys.readouterr().err
    assert f"{lec.path.name}:" in err and "JT0" in err and "预览未更新" in err
    assert preview._child is None and page.read_bytes() == before
    assert os.listdir(served)  # the last good site is still served
