"""Browser tests of the search page on a small site built from SearchDocs
(served over http from the root and from a sub-path, and opened from file://)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from jiangtang.search import SearchDoc
from jiangtang.search.devsite import CHROMIUM, run_query, serve, write_site

DOCS = [
    SearchDoc(url="lectures/dongxun-lianmeng/", kind="lecture", title="党员冬训联盟：小单位也能办好大课堂",
              date="2022-01-10", speakers=("曾国华",), keywords=("机关党建", "掘港街道"),
              headings=("为什么要抱团学", "课怎么排"), body="机关里人少的单位怎么把冬训办起来？建设高标准农田。",
              summary="讲联盟怎么组。"),
    SearchDoc(url="lectures/kuaidi/", kind="lecture", title="冬日暖蜂：把理论送到快递小哥身边", date="2023-01-18",
              speakers=("周明",), keywords=("新业态党建",), body="快递从业人员关心劳动保障。2022年上线了APP。"),
    SearchDoc(url="lectures/old/", kind="lecture", title="旧讲稿里的快递", date="2019-01-01",
              body="很早以前的快递小哥。"),
    SearchDoc(url="speakers/qiu-hong-mei/", kind="speaker", title="仇红梅", speakers=("仇红梅",),
              keywords=("理论专家", "城中街道")),
    SearchDoc(url="speakers/shan-li/", kind="speaker", title="单丽", speakers=("单丽",), keywords=("长沙镇",)),
    SearchDoc(url="sessions/#s-0001", kind="session", title="冬日暖蜂：把理论送到快递小哥身边", date="2023-02-01",
              speakers=("周明",), keywords=("车间课堂", "长沙镇")),
    SearchDoc(url="about/", kind="page", title="关于本站", body="本站收录宣讲稿。"),
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    out = tmp_path_factory.mktemp("search-site")
    write_site(DOCS, out)
    return out


def _paths(r, base):
    return [h[len(base):] if h.startswith(base) else h for h in r["hrefs"]]


def test_queries_rank_and_show(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        foreign = []
        page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(base) else None)
        r = run_query(page, base, "快递小哥")
        assert _paths(r, base)[:2] == ["lectures/kuaidi/", "sessions/#s-0001"]  # title before session record
        assert "lectures/old/" in _paths(r, base)  # body-only match found too
        assert r["kinds"][0] == "讲稿" and "宣讲记录" in r["kinds"]
        assert "<mark>快递小哥</mark>" in page.inner_html("#search-results .jt-result__title")
        assert "共 3 条结果" in r["status"]
        # newer wins ties; date and speaker shown
        meta = page.inner_text("#search-results .jt-result__meta")
        assert "周明" in meta and "2023-01-18" in meta
        # single characters on names, names inside words, mixed, initials, pinyin
        assert _paths(run_query(page, base, "仇"), base)[0] == "speakers/qiu-hong-mei/"
        assert _paths(run_query(page, base, "红梅"), base)[0] == "speakers/qiu-hong-mei/"
        assert _paths(run_query(page, base, "shanli"), base)[0] == "speakers/shan-li/"
        assert _paths(run_query(page, base, "单li"), base)[0] == "speakers/shan-li/"
        assert _paths(run_query(page, base, "dxlm"), base)[0] == "lectures/dongxun-lianmeng/"
        assert _paths(run_query(page, base, "zengguohua"), base)[0] == "lectures/dongxun-lianmeng/"
        # phrase across words, in the body; full-width and traditional forms; digits and ASCII
        assert _paths(run_query(page, base, "高标准农田"), base) == ["lectures/dongxun-lianmeng/"]
        assert _paths(run_query(page, base, "農田"), base) == ["lectures/dongxun-lianmeng/"]
        assert _paths(run_query(page, base, "ａｐｐ"), base) == ["lectures/kuaidi/"]
        assert _paths(run_query(page, base, "2022年"), base) == ["lectures/kuaidi/"]
        # bigrams present but not adjacent: verified away, and said so
        r = run_query(page, base, "农田机关")
        assert r["hrefs"] == [] and "没有找到" in r["status"]
        # two terms must both occur
        assert _paths(run_query(page, base, "快递 劳动"), base) == ["lectures/kuaidi/"]
        # type filter
        r = run_query(page, base, "快递", kind="session")
        assert _paths(r, base) == ["sessions/#s-0001"] and set(r["kinds"]) == {"宣讲记录"}
        assert not foreign, foreign


def test_typing_updates_url_and_latency_hook(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "search/")
        page.locator("#jt-search-input").press_sequentially("长沙镇", delay=30)
        page.wait_for_function("() => { const b = document.getElementById('search-results');"
                               " return b.dataset.state === 'done' && b.dataset.q === '长沙镇'; }")
        assert "q=%E9%95%BF%E6%B2%99%E9%95%87" in page.url
        last = page.evaluate("window.__jtSearchLast")
        assert last["q"] == "长沙镇" and last["ms"] < 1000
        links = page.eval_on_selector_all("#search-results a", "as => as.map(a => a.getAttribute('href'))")
        assert links[0].endswith("speakers/shan-li/")


def test_header_box_leads_to_search_page(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base)
        page.fill(".jt-search-header input[name=q]", "仇红梅")
        page.press(".jt-search-header input[name=q]", "Enter")
        page.wait_for_function("() => { const b = document.getElementById('search-results');"
                               " return b && b.dataset.state === 'done'; }")
        assert page.url.startswith(base + "search/") and "q=" in page.url
        assert page.inner_text("#search-results a") .find("仇红梅") >= 0


def test_sub_path(site, browser):
    with serve(site, prefix="theory/") as base:
        assert base.endswith("/theory/")
        page = browser.new_page()
        r = run_query(page, base, "快递小哥")
        assert r["hrefs"][0] == base + "lectures/kuaidi/"


def test_file_url(site, browser):
    page = browser.new_page()
    base = site.resolve().as_uri() + "/"
    r = run_query(page, base, "快递小哥")
    assert r["state"] == "done"
    assert r["hrefs"][0] == base + "lectures/kuaidi/index.html"
    assert any(h.endswith("sessions/index.html#s-0001") for h in r["hrefs"])


def test_missing_index_is_reported(site, browser, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    shutil.rmtree(broken / "search" / "idx" / "s")
    with serve(broken) as base:
        page = browser.new_page()
        r = run_query(page, base, "快递")
        assert r["state"] == "error"
        assert "索引文件没有加载成功" in r["status"]


def test_page_does_nothing_without_search_elements(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        requests = []
        page.on("request", lambda req: requests.append(req.url))
        page.goto(base)
        page.wait_for_timeout(300)
        assert not [u for u in requests if "/search/idx/" in u]
        assert page.locator(".jt-search-header").count() == 1
