"""Discover pages as a reader sees them in headless Chromium: phone width, QR codes, print handouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, run_build

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SITE_URL = "https://jiangtang.example.org/test/"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discover-browser") / "site"
    proc = run_build("build", "-f", str(FIXTURES / "discover" / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _first(site: Path, pattern: str) -> str:
    """URL path of the first generated page matching ``pattern`` (not a pager page)."""
    path = sorted(p for p in site.glob(pattern) if "page" not in p.parts)[0]
    return path.parent.relative_to(site).as_posix() + "/"


def _no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def test_phone_width_has_no_horizontal_scrolling(demo_site, serve_dir, visit):
    base = serve_dir(demo_site)
    urls = ["", _first(demo_site, "lectures/*/index.html"), _first(demo_site, "speakers/*/index.html"), "stats/",
            "calendar/", "menu/", "browse/", _first(demo_site, "topics/*/index.html"),
            _first(demo_site, "classrooms/*/index.html"), _first(demo_site, "calendar/*/*/index.html")]
    v = visit(base, viewport=PHONE)
    wide = {}
    for url in urls:
        page = v.goto(base + url)
        scroll, client = _no_horizontal_scroll(page)
        if scroll > client:
            wide[url] = (scroll, client)
    assert wide == {}, f"pages wider than 375 px: {wide}"
    assert v.foreign == []


def test_qr_code_decodes_to_the_permalink(fixture_site, serve_dir, visit):
    import zxingcpp

    base = serve_dir(fixture_site)
    v = visit(base, viewport=PHONE)
    page = v.goto(base + "lectures/shi-jian-lun/")
    shot = page.evaluate("""async () => {
        const img = document.querySelector('.jt-qr img');
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth * 2; c.height = img.naturalHeight * 2;
        const ctx = c.getContext('2d');
        ctx.imageSmoothingEnabled = false;
        ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, c.width, c.height);
        ctx.drawImage(img, 0, 0, c.width, c.height);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const lum = new Array(c.width * c.height);
        for (let i = 0; i < lum.length; i++) lum[i] = d[i * 4 + 1];
        return {w: c.width, h: c.height, lum};
    }""")
    pixels = bytes(shot["lum"])  # kept alive: ImageView does not copy the buffer
    image = zxingcpp.ImageView(pixels, shot["w"], shot["h"], zxingcpp.ImageFormat.Lum)
    found = zxingcpp.read_barcodes(image)
    assert [b.text for b in found] == [SITE_URL + "lectures/shi-jian-lun/"]
    assert v.foreign == []


def test_print_gives_a_clean_handout(fixture_site, serve_dir, visit):
    base = serve_dir(fixture_site)
    v = visit(base)
    page = v.goto(base + "lectures/shi-jian-lun/")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
        const vis = sel => { const e = document.querySelector(sel); return !!e && getComputedStyle(e).display !== 'none'
                             && e.getBoundingClientRect().height > 0; };
        return {header: vis('.md-header'), nav: vis('.md-sidebar--primary'), tabs: vis('.md-tabs'), search: vis('.md-search'),
                footer: vis('.md-footer'), title: vis('article h1'), meta: vis('.jt-meta'), qr: vis('.jt-qr img'),
                body: vis('#yi-shi-jian-chu-zhen-zhi')};
    }""")
    assert shown == {"header": False, "nav": False, "tabs": False, "search": False, "footer": False,
                     "title": True, "meta": True, "qr": True, "body": True}
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
