"""Any host, any sub-path (issue 7, items 1 and 3): the demo served at ``/`` and at ``/theory/``,
with and without ``site_url``: every same-origin link and asset answers 200, the 404 page works
at any depth, search works, the sitemap validates, robots.txt exists when ``site_url`` is set,
and no page makes a request to another host in a real browser."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import quote, urljoin
from xml.etree import ElementTree

import pytest
import xmlschema

from deploy_support import crawl, demo_build, html_files, page_types, serve_pages

XSD = Path(__file__).parent / "fixtures" / "sitemaps" / "sitemap.xsd"
SITE_URLS = {"root": "https://example.gov.cn/", "sub": "https://example.gov.cn/theory/"}
#: (mount, with site_url): served at / or /theory/, built with or without site_url.
VARIANTS = [("root", False), ("root", True), ("sub", False), ("sub", True)]


@pytest.fixture(scope="module")
def hosted():
    """Factory: ``hosted(mount, with_url)`` → base URL (ends with ``/``) of the served demo build."""
    servers, cache = [], {}

    def start(mount: str, with_url: bool) -> tuple[str, Path]:
        if (mount, with_url) not in cache:
            site = demo_build(SITE_URLS[mount] if with_url else "")
            if mount == "root":
                origin, httpd = serve_pages(site, ("/",))
                base = origin + "/"
            else:
                origin, httpd = serve_pages(site.parent, ("/theory/",))
                base = origin + "/theory/"
            servers.append(httpd)
            cache[(mount, with_url)] = (base, site)
        return cache[(mount, with_url)]

    yield start
    for httpd in servers:
        httpd.shutdown()


def _ids(v):
    return f"{v[0]}-{'site_url' if v[1] else 'no_site_url'}"


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_every_link_and_asset_answers(hosted, variant):
    base, site = hosted(*variant)
    seen, problems = crawl(base)
    assert problems == []
    pages = [u for u in seen if u.endswith("/") or u.endswith(".html")]
    assert len(pages) >= len(html_files(site)) * 0.8, "爬取到的页面太少：站内链接可能断了"
    assert any(u.endswith("assets/search/search.js") for u in seen)



@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_feed_links_resolve(hosted, variant):
    """The Atom feed (when the hub publishes one): every entry's link, resolved as a reader would, answers 200."""
    import feedparser

    base, site = hosted(*variant)
    if not (site / "feed.xml").is_file():
        pytest.skip("站点没有 feed.xml")
    with urllib.request.urlopen(base + "feed.xml") as r:
        feed = feedparser.parse(r.read(), response_headers={"content-location": base + "feed.xml"})
    assert feed.entries
    for entry in feed.entries:
        link = entry.link
        if link.startswith(SITE_URLS[variant[0]]) and variant[1]:
            link = base + link[len(SITE_URLS[variant[0]]):]  # the public address, here on the test server
        with urllib.request.urlopen(urljoin(base + "feed.xml", link)) as r:
            assert r.status == 200, link
    with urllib.request.urlopen(base + "calendar.ics") as r:
        assert r.status == 200 and r.read().startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_sitemap_and_robots(hosted, variant):
    _base, site = hosted(*variant)
    mount, with_url = variant
    if not with_url:
        assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
        return
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(str(site / "sitemap.xml"))
    locs = [e.text for e in ElementTree.parse(site / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert SITE_URLS[mount] + "lectures/" in locs
    assert all(loc.startswith(SITE_URLS[mount]) for loc in locs)
    robots = (site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {SITE_URLS[mount]}sitemap.xml" in robots


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_404_page_works_at_any_depth(hosted, visit, variant):
    base, _site = hosted(*variant)
    v = visit(base)
    for missing in ("no-such-page/", "lectures/no-such-lecture/", "speakers/a/b/c/d/"):
        response = v.page.goto(base + missing, wait_until="networkidle")
        assert response.status == 404
        page = v.page
        assert page.locator("h1").first.inner_text() == "页面不存在"
        styled = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert styled in ("sticky", "fixed"), "404 页的样式表没有加载"
        home = page.get_by_role("link", name="返回首页").evaluate("a => a.href")
        assert home.rstrip(".").rstrip("/") + "/" == base
        page.get_by_role("link", name="浏览全部讲稿").click()
        page.wait_for_load_state("networkidle")
        assert page.url == base + "lectures/" and page.locator("h1").first.inner_text().startswith("讲稿")
    assert v.foreign == []


@pytest.mark.browser
@pytest.mark.parametrize("variant", [("sub", False), ("sub", True)], ids=_ids)
def test_chinese_search_at_sub_path(hosted, visit, variant):
    base, _site = hosted(*variant)
    v = visit(base)
    page = v.goto(base + "lectures/")
    page.locator(".jt-search-header__input").fill("农田")
    page.locator(".jt-search-header__input").press("Enter")
    page.wait_for_selector(".jt-result", timeout=15000)
    assert page.url.startswith(base + "search/")
    first = page.locator(".jt-result__link").first
    assert "农田" in first.inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(base) and "农田" in page.locator("h1").first.inner_text()
    assert v.foreign == [] and v.errors == []


@pytest.mark.browser
def test_no_request_to_another_host_online(hosted, visit):
    """Every kind of page (per top-level folder and depth, and the 404 page), in a real browser."""
    base, site = hosted("sub", True)
    v = visit(base)
    visited = []
    for page in page_types(site):
        rel = page.relative_to(site).as_posix()
        url = base + quote(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        v.page.goto(url, wait_until="networkidle")
        visited.append(rel)
    v.page.goto(base + "search/?q=" + quote("冬训"), wait_until="networkidle")
    assert len(visited) >= 10
    assert v.foreign == [], f"请求了其他主机：{v.foreign}"
