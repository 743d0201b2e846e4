"""The demo hub as a reader sees it in headless Chromium (Debian's chromium via Playwright).

Expected values are computed here from the YAML files with PyYAML alone, not
with jiangtang's own code, so a wrong figure in the site cannot hide.
"""

import datetime as dt
import re

import pytest
import yaml
from conftest import BUILD_DATE, ROOT

pytestmark = pytest.mark.browser


def records():
    out = []
    for path in sorted((ROOT / "sessions").rglob("*.y*ml")):
        out.extend(yaml.safe_load(path.read_text("utf-8-sig")))
    return out


def front_matter(path):
    text = path.read_text("utf-8-sig")
    return yaml.safe_load(text.split("---")[1])


def as_date(v):
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(v)


@pytest.fixture(scope="module")
def base(demo_site, serve_dir):
    return serve_dir(demo_site)


def check_clean(v):
    assert v.foreign == [], f"requests to other hosts: {v.foreign}"
    assert v.errors == [], f"console errors: {v.errors}"


def test_home_figures_match_the_records(visit, base):
    held = [r for r in records() if as_date(r["date"]) <= BUILD_DATE]
    speakers = [yaml.safe_load(p.read_text("utf-8")) for p in (ROOT / "speakers").glob("*.yaml")]
    expected = {
        "lectures": len(list((ROOT / "lectures").rglob("*.md"))),
        "speakers": len(speakers),
        "sessions": len(held),
        "audience": sum(r.get("audience") or 0 for r in held),
        "online": sum(r.get("online_viewers") or 0 for r in held),
        "towns": len({r["town"] for r in held if r.get("town")}),
    }
    v = visit(base)
    page = v.goto(base)
    shown = {k: int(page.locator(f'[data-figure="{k}"] strong').inner_text()) for k in expected}
    assert shown == expected
    teams = page.locator(".jt-teams").inner_text()
    for team in ("党员干部", "理论专家", "百姓名嘴"):
        n = sum(1 for s in speakers if s["team"] == team)
        assert re.search(rf"{team}\s*{n}", teams), teams
    assert page.locator("text=最新讲稿").count() >= 1
    check_clean(v)


def test_lecture_page_shows_speakers_and_sessions(visit, base):
    path = ROOT / "lectures/2022/dongxun-lianmeng.md"
    meta = front_matter(path)
    given = [r for r in records() if r.get("lecture") == "dongxun-lianmeng"]
    assert given, "the demo lecture should have sessions"
    v = visit(base)
    page = v.goto(base + "lectures/dongxun-lianmeng/")
    assert page.locator("h1").first.inner_text().startswith(meta["title"])
    meta_box = page.locator(".jt-meta")
    for sid in meta["speakers"]:
        name = yaml.safe_load((ROOT / "speakers" / f"{sid}.yaml").read_text("utf-8"))["name"]
        assert meta_box.locator("a", has_text=name).count() == 1
    table = page.locator("h2:has-text('宣讲记录') + p + table, h2:has-text('宣讲记录') ~ div table").first
    assert table.locator("tbody tr").count() == len(given)
    # a speaker link leads to the speaker page, which lists this lecture
    meta_box.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(base + "speakers/")
    assert page.locator("article a", has_text=meta["title"]).count() >= 1
    check_clean(v)


def test_speaker_page_lists_lectures_and_totals(visit, base):
    lectures = [front_matter(p) for p in (ROOT / "lectures").rglob("*.md")]
    mine = [m["title"] for m in lectures if "单丽" in m["speakers"]]
    held = [r for r in records() if "单丽" in r["speakers"] and as_date(r["date"]) <= BUILD_DATE]
    v = visit(base)
    page = v.goto(base + "speakers/shan-li/")
    text = page.locator("article").inner_text()
    for title in mine:
        assert title in text
    m = re.search(r"已宣讲\s*(\d+)\s*场，现场听众\s*(\d+)\s*人次", text)
    assert m and int(m.group(1)) == len(held) and int(m.group(2)) == sum(r.get("audience") or 0 for r in held)
    check_clean(v)


@pytest.mark.parametrize("path", ["", "lectures/", "speakers/", "sessions/", "search/?q=冬训", "about/",
                                  "lectures/gaobiaozhun-nongtian/", "speakers/zhang-wei-cha-he/"])
def test_no_foreign_requests_and_no_console_errors(visit, base, path):
    v = visit(base)
    page = v.goto(base + path)
    assert page.locator("article").count() == 1
    check_clean(v)
