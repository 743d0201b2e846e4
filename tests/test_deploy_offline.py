"""Offline package (issue 7, items 2 and 3): ``build --offline`` and ``pack`` give a site that works
from ``file://`` in headless Chromium with no server and no network: links name ``index.html``,
navigation and Chinese search work, and no page asks another host for anything."""

from __future__ import annotations

import zipfile

import pytest

from conftest import FIXTURES, ROOT, run_build
from deploy_support import check_links, copy_hub, demo_build, page_types


@pytest.fixture(scope="module")
def offline_site():
    return demo_build(offline=True)


def test_offline_links_all_name_files(offline_site):
    assert check_links(offline_site, directory_urls=False) == []
    home = (offline_site / "index.html").read_text("utf-8")
    assert 'href="lectures/index.html"' in home
    assert "unpkg.com" not in home and "iframe-worker" not in home


def test_offline_turns_off_instant_navigation(tmp_path):
    config = copy_hub(FIXTURES / "good", tmp_path / "hub")
    text = config.read_text("utf-8").replace("  language: zh\n", "  language: zh\n  features: [navigation.instant, navigation.top]\n")
    config.write_text(text, "utf-8")
    for offline, expected in ((False, True), (True, False)):
        out = tmp_path / f"site-{offline}"
        proc = run_build("build", "-f", str(config), "-d", str(out), *(["--offline"] if offline else []))
        assert proc.returncode == 0, proc.stderr
        home = (out / "index.html").read_text("utf-8")
        assert ('"navigation.instant"' in home) is expected and '"navigation.top"' in home


def test_pack_is_reproducible_zip(tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    for out in (first, second):
        proc = run_build("pack", "-f", str(ROOT / "mkdocs.yml"), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert "使用说明.txt" in names and "site/index.html" in names
        assert "site/lectures/index.html" in names and "site/search/index.html" in names
        zf.extractall(tmp_path / "unzipped")
    assert check_links(tmp_path / "unzipped" / "site", directory_urls=False) == []


@pytest.mark.browser
def test_navigation_and_chinese_search_from_file_url(offline_site, visit):
    v = visit("file://")
    page = v.goto((offline_site / "index.html").as_uri())
    page.get_by_role("link", name="讲稿", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/lectures/index.html")
    page.locator(".md-content a[href$='index.html']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.locator(".jt-meta").count() == 1  # a lecture page

    page.locator(".jt-search-header__input").fill("农田")
    page.locator(".jt-search-header__input").press("Enter")
    page.wait_for_selector(".jt-result", timeout=15000)
    assert "/search/index.html" in page.url
    first = page.locator(".jt-result__link").first
    assert "农田" in first.inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith("file://") and "农田" in page.locator("h1").first.inner_text()

    page.goto((offline_site / "search" / "index.html").as_uri() + "?q=" + "shanli")
    page.wait_for_selector(".jt-result", timeout=15000)
    assert "单丽" in page.locator("#search-results").inner_text()
    assert v.foreign == [] and v.errors == []


@pytest.mark.browser
def test_no_request_to_another_host_offline(offline_site, visit):
    v = visit("file://")
    pages = page_types(offline_site)
    assert len(pages) >= 10
    for p in pages:
        v.page.goto(p.as_uri(), wait_until="networkidle")
        assert v.page.locator("h1").count() >= 1, p
    assert v.foreign == [], f"请求了其他主机：{v.foreign}"
