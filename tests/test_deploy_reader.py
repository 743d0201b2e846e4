"""Readers who are old or on weak networks (issue 7, item 7): the 大字 switch enlarges the text and is
remembered across pages and visits; a lecture page is readable with JavaScript off; the page-weight
script measures a lecture page's first load and writes its report."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from deploy_support import demo_build, serve_pages

LECTURE = "lectures/yun-dangke/"


@pytest.fixture(scope="module")
def served(demo_site):
    origin, httpd = serve_pages(demo_site)
    yield origin + "/"
    httpd.shutdown()


def _body_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)")


@pytest.mark.browser
def test_font_size_switch_is_remembered(served, visit):
    v = visit(served)
    page = v.goto(served + LECTURE)
    button = page.locator("button.jt-fontsize")
    assert button.inner_text() == "大字" and button.get_attribute("aria-pressed") == "false"
    normal = _body_size(page)
    button.click()
    assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == "标准字"
    large = _body_size(page)
    assert large >= normal * 1.2
    page.goto(served + "speakers/", wait_until="networkidle")  # another page, then a new visit
    assert page.evaluate("document.documentElement.classList.contains('jt-large')")
    page.goto(served + LECTURE, wait_until="networkidle")
    assert _body_size(page) == large and page.locator("button.jt-fontsize").get_attribute("aria-pressed") == "true"
    page.locator("button.jt-fontsize").click()
    page.reload(wait_until="networkidle")
    assert _body_size(page) == normal
    assert v.foreign == [] and v.errors == []


@pytest.mark.browser
def test_font_size_switch_works_offline(visit):
    site = demo_build(offline=True)
    v = visit("file://")
    page = v.goto((site / "lectures" / "yun-dangke" / "index.html").as_uri())
    page.locator("button.jt-fontsize").click()
    page.goto((site / "speakers" / "index.html").as_uri(), wait_until="networkidle")
    assert page.evaluate("document.documentElement.classList.contains('jt-large')")


@pytest.mark.browser
def test_lecture_readable_without_javascript(served, browser):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(served + LECTURE)
        article = page.locator("article").first
        assert article.locator("h1").inner_text().startswith("云党课")
        assert len(article.inner_text()) > 500 and article.locator("h2").count() >= 2
        assert page.locator("button.jt-fontsize").count() == 0  # no dead button without scripts
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    finally:
        ctx.close()


@pytest.mark.browser
def test_page_weight_script_writes_report(demo_site, tmp_path):
    out = tmp_path / "weight.md"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "page_weight.py"), "--site", str(demo_site),
                           "--page", LECTURE, "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text("utf-8")
    for row in ("| HTML |", "| CSS |", "| JS |", "**合计**", "关闭 JavaScript"):
        assert row in text
    assert (ROOT / "benchmarks" / "page-weight.md").is_file()
