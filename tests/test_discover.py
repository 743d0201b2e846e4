"""Discover and reuse: facets, stats, calendar.ics, feed, open data, menu, QR, link previews, related lectures.

Builds the small fixture hub ``tests/fixtures/discover`` as of :data:`conftest.BUILD_DATE`
and checks the output files against sums computed here from the fixture's own records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest
import yaml
from lxml import html as lxml_html

from conftest import BUILD_DATE, FIXTURES, run_build

HUB = FIXTURES / "discover"
SITE_URL = "https://jiangtang.example.org/test/"
GROUPS = {"网上课堂": ["党员微信群", "学习强国", "云课堂", "融媒平台"],
          "小微课堂": ["情境课堂", "板凳课堂", "庭院课堂", "车间课堂", "船头课堂", "喇叭课堂", "楼宇课堂", "田间课堂", "工地课堂"],
          "实践课堂": ["文明实践", "志愿服务", "政策宣传"]}


def records() -> list[dict]:
    """Every session record of the fixture, read with plain PyYAML."""
    out = []
    for path in sorted((HUB / "sessions").glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text("utf-8")))
    return out


def held() -> list[dict]:
    return [r for r in records() if r["date"] <= BUILD_DATE]


def upcoming() -> list[dict]:
    return [r for r in records() if r["date"] > BUILD_DATE]


def lectures() -> dict[str, dict]:
    out = {}
    for path in sorted((HUB / "lectures").glob("*.md")):
        out[path.stem] = yaml.safe_load(path.read_text("utf-8").split("---")[1])
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discover") / "site"
    proc = run_build("build", "-f", str(HUB / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def doc(site: Path, url: str):
    return lxml_html.fromstring((site / url / "index.html").read_text("utf-8"))


def table_rows(tree, section_id: str) -> dict[str, list[int]]:
    """First cell text → the numbers of the other cells, for the table inside ``#section_id``."""
    out = {}
    for tr in tree.xpath(f'//*[@id="{section_id}"]//table/tbody/tr'):
        cells = [td.text_content().strip() for td in tr.xpath("./td")]
        out[cells[0]] = [int(c) for c in cells[1:]]
    return out


def sums(rows: list[dict]) -> list[int]:
    return [len(rows), sum(r.get("audience") or 0 for r in rows), sum(r.get("online_viewers") or 0 for r in rows)]


# -- stats ------------------------------------------------------------------

def test_stats_figures_equal_sums_over_records(site):
    tree = doc(site, "stats")
    rows = held()
    groups = table_rows(tree, "jt-stats-groups")
    for group, kinds in GROUPS.items():
        in_group = [r for r in rows if r["classroom"] in kinds]
        assert groups[group] == sums(in_group), group
        for kind in kinds:
            assert groups[kind] == sums([r for r in rows if r["classroom"] == kind]), kind
    towns = table_rows(tree, "jt-stats-towns")
    expected_towns = {t for r in rows if (t := r.get("town"))}
    assert set(towns) == expected_towns
    for town in expected_towns:
        assert towns[town] == sums([r for r in rows if r.get("town") == town])
    not_reached = tree.xpath('//*[@id="jt-towns-not-reached"]')[0].text_content()
    assert "丁镇" in not_reached and "丙镇" in not_reached  # 丙镇 only has an upcoming session
    assert "甲镇" not in not_reached
    team_of = {p.stem: yaml.safe_load(p.read_text("utf-8"))["team"] for p in (HUB / "speakers").glob("*.yaml")}
    teams = table_rows(tree, "jt-stats-teams")
    for team in ("党员干部", "理论专家", "百姓名嘴"):
        assert teams[team] == sums([r for r in rows if team in {team_of[s] for s in r["speakers"]}]), team
    months = table_rows(tree, "jt-stats-months")
    by_month = defaultdict(list)
    for r in rows:
        by_month[f"{r['date']:%Y-%m}"].append(r)
    for key, rs in by_month.items():
        assert months[key] == sums(rs)
    assert months["2025-08"] == [0, 0, 0]  # the time series has no gaps
    assert len(months) == 18  # 2025-06 … 2026-11
    lec_titles = {k: v["title"] for k, v in lectures().items()}
    top = table_rows(tree, "jt-stats-lectures")
    counts = Counter(r["lecture"] for r in rows if r.get("lecture"))
    assert {lec_titles[k]: n for k, n in counts.items()} == {t: v[0] for t, v in top.items()}
    total = tree.xpath("//article//p")[0].text_content()
    assert f"共举行宣讲 {len(rows)} 场" in total.replace("\xa0", " ")
    assert f"现场听众 {sums(rows)[1]} 人次" in total


def test_stats_charts_are_inline_svg_without_scripts(site):
    text = (site / "stats" / "index.html").read_text("utf-8")
    svgs = re.findall(r"<svg\b[^>]*pygal-chart.*?</svg>", text, re.S)
    assert len(svgs) >= 6
    for svg in svgs:
        assert "<script" not in svg
        assert not re.search(r'(?:href|src)="https?://', svg)
    assert 'id="jt-chart-months"' in text


def test_home_has_short_stats(site):
    tree = doc(site, "")
    text = tree.xpath("//article")[0].text_content()
    n = len([r for r in held() if r["classroom"] in GROUPS["小微课堂"]])
    assert f"小微课堂 {n} 场" in text
    assert tree.xpath('//article//a[@href="stats/"]')


# -- calendar ---------------------------------------------------------------

def test_calendar_ics_holds_exactly_the_upcoming_sessions(site):
    cal = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    expected = upcoming()
    assert len(events) == len(expected) == 2
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    by_start = {str(e.decoded("dtstart"))[:10]: e for e in events}
    timed = by_start["2026-12-05"]
    start = timed.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Shanghai"
    assert (start.hour, start.minute) == (19, 0)
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert timed.decoded("dtend") - start == dt.timedelta(minutes=45)  # the lecture's duration
    assert str(timed["summary"]) == "党史上的今天"
    assert "丙镇" in str(timed["location"]) and "纺织厂职工之家" in str(timed["location"])
    all_day = by_start["2026-12-20"]
    assert all_day.decoded("dtstart") == dt.date(2026, 12, 20)
    assert str(all_day["summary"]) == "冬训动员"
    uids = {str(e["uid"]) for e in events}
    assert all(re.fullmatch(r"[0-9a-f]{10}@jiangtang\.example\.org", u) for u in uids)
    raw = (site / "calendar.ics").read_bytes()
    assert b"DTSTART;TZID=Asia/Shanghai:20261205T190000" in raw


def test_calendar_uids_survive_reordering_and_rebuilds(site, tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(HUB, hub)
    path = hub / "sessions" / "2026.yaml"
    items = yaml.safe_load(path.read_text("utf-8"))
    path.write_text(yaml.safe_dump(list(reversed(items)), allow_unicode=True), "utf-8")
    out = tmp_path / "site"
    proc = run_build("build", "-f", str(hub / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "calendar.ics").read_bytes() == (site / "calendar.ics").read_bytes()


def test_calendar_page_lists_upcoming_first_then_months(site):
    tree = doc(site, "calendar")
    rows = tree.xpath("//article//table")[0].xpath("./tbody/tr")
    assert [r.xpath("./td")[0].text_content()[:11] for r in rows] == ["2026年12月5日（", "2026年12月20日"]
    assert "19:00" in rows[0].text_content() and "纺织厂职工之家" in rows[0].text_content()
    assert tree.xpath('//a[@href="../calendar.ics"]')
    month = doc(site, "calendar/2025/06")
    assert len(month.xpath("//article//table/tbody/tr")) == len([r for r in held() if f"{r['date']:%Y-%m}" == "2025-06"])


def test_upcoming_follows_source_date_epoch(tmp_path):
    out = tmp_path / "site"
    later = str(int(dt.datetime(2027, 1, 1, 12, tzinfo=dt.timezone.utc).timestamp()))
    proc = run_build("build", "-f", str(HUB / "mkdocs.yml"), "-d", str(out), env={"SOURCE_DATE_EPOCH": later})
    assert proc.returncode == 0, proc.stderr
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert list(cal.walk("VEVENT")) == []


# -- feed -------------------------------------------------------------------

def test_feed_parses_with_chinese_intact(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    lecs = lectures()
    assert titles == [v["title"] for v in sorted(lecs.values(), key=lambda v: v["date"], reverse=True)]
    first = feed.entries[0]
    assert first.link == SITE_URL + "lectures/dangshi/"
    assert {a.name for a in first.authors} == {"周明", "单丽"}
    assert feed.entries[1].summary == "网格员讲邻里事。"


# -- open data --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["lectures", "speakers", "sessions"])
def test_open_data_validates_against_its_schema(site, kind):
    data = json.loads((site / "api" / f"{kind}.json").read_text("utf-8"))
    schema = json.loads((site / "api" / f"{kind}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    items = data[kind]
    if kind == "lectures":
        assert len(items) == len(lectures())
        lec = next(x for x in items if x["id"] == "乡村振兴")
        assert lec["permalink"] == SITE_URL + "lectures/xiang-cun-zhen-xing/"
        assert lec["speakers"] == ["单丽", "曾国华"] and lec["orderable"] is True
    elif kind == "speakers":
        sp = next(x for x in items if x["id"] == "单丽")
        assert sp["permalink"] == SITE_URL + "speakers/shan-li/" and sp["team"] == "百姓名嘴"
    else:
        assert len(items) == len(records())
        assert sum(1 for x in items if x["upcoming"]) == len(upcoming())
        assert sum(x["audience"] or 0 for x in items) == sum(r.get("audience") or 0 for r in records())
    broken = json.loads(json.dumps(data))
    broken[kind][0]["unknown_field"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_sessions_csv_has_bom_and_every_record(site):
    raw = (site / "api" / "sessions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(records())
    assert rows[0]["日期"] == "2025-06-20" and rows[0]["宣讲员"] == "单丽、曾国华" and rows[0]["现场听众"] == "45"


# -- menu, facets, related, QR, link previews -------------------------------

def test_menu_lists_every_orderable_lecture_with_contact(site):
    tree = doc(site, "menu")
    text = tree.xpath("//article")[0].text_content()
    for lec in lectures().values():
        assert (lec["title"] in text) == bool(lec.get("orderable")), lec["title"]
    assert "0513-0000 0000" in text
    headings = [h.text_content().rstrip("¶") for h in tree.xpath("//article//h2")]
    assert "乡村振兴（1 篇）" in headings and "党史学习教育（2 篇）" in headings


def test_facets_pages_counts_and_links(site):
    lecs = lectures()
    lec_page = doc(site, "lectures/shi-jian-lun")
    hrefs = lec_page.xpath("//article//a/@href")
    assert "../../topics/dang-shi-xue-xi-jiao-yu/" in hrefs and "../../years/2024/" in hrefs
    assert "../../audiences/nong-cun-dang-yuan/" in hrefs
    topic = doc(site, "topics/xiang-cun-zhen-xing")
    n = sum("乡村振兴" in (v.get("topics") or []) for v in lecs.values())
    assert f"共 {n} 篇讲稿" in topic.text_content()
    assert len(topic.xpath("//article/ul/li")) == n
    browse = doc(site, "browse")
    label = browse.xpath('//a[@href="../topics/xiang-cun-zhen-xing/"]')[0]
    assert label.getnext().text == str(n)
    town = doc(site, "towns/jia-zhen")
    assert len(town.xpath("//article//table/tbody/tr")) == sum(r.get("town") == "甲镇" for r in records())
    speaker = doc(site, "speakers/shan-li")
    assert "../../teams/bai-xing-ming-zui/" in speaker.xpath("//article//a/@href")
    classroom_groups = [h.text_content() for h in browse.xpath("//article//h3")]
    assert any(h.startswith("小微课堂") for h in classroom_groups)


def test_related_lectures_share_topics_or_speakers(site):
    tree = doc(site, "lectures/wangge")
    related = [a.text_content() for a in tree.xpath('//*[contains(@class, "jt-related")]//a')]
    assert related[0] == "乡村振兴看我们村"  # shares 单丽 and 乡村振兴
    assert "学习《实践论》的三点体会" not in related  # shares nothing


def test_qr_files_encode_the_permalink(site):
    import segno
    svg = (site / "lectures" / "shi-jian-lun" / "qr.svg").read_bytes()
    buf = io.BytesIO()
    segno.make(SITE_URL + "lectures/shi-jian-lun/", error="m", micro=False).save(
        buf, kind="svg", scale=4, border=4, dark="#000", light="#fff", svgclass="jt-qr-svg", lineclass=None)
    assert _path(svg) == _path(buf.getvalue())
    assert (site / "speakers" / "shan-li" / "qr.svg").is_file()
    page = (site / "lectures" / "shi-jian-lun" / "index.html").read_text("utf-8")
    assert 'src="qr.svg"' in page and SITE_URL + "lectures/shi-jian-lun/" in page


def _path(svg: bytes) -> str:
    return re.search(rb' d="([^"]+)"', svg).group(1).decode()


def test_demo_hub_carries_qr_codes_of_its_permalinks(demo_site):
    page = (demo_site / "lectures" / "dongxun-lianmeng" / "index.html").read_text("utf-8")
    assert 'src="qr.svg"' in page and (demo_site / "lectures" / "dongxun-lianmeng" / "qr.svg").is_file()
    assert "https://lilun.rudong.example/lectures/dongxun-lianmeng/" in page


def test_missing_site_url_is_said_clearly(tmp_path):
    hub = tmp_path / "hub"
    shutil.copytree(HUB, hub)
    cfg = hub / "mkdocs.yml"
    cfg.write_text(cfg.read_text("utf-8").replace(f"site_url: {SITE_URL}\n", ""), "utf-8")
    out = tmp_path / "site"
    proc = run_build("build", "-f", str(cfg), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "site_url" in proc.stderr and "二维码" in proc.stderr
    first = next(p for p in (out / "lectures").glob("*/index.html") if p.parent.name != "page")
    assert "暂不能生成本页二维码" in first.read_text("utf-8")
    assert not list(out.glob("lectures/*/qr.svg"))


def test_link_preview_meta(site):
    tree = doc(site, "lectures/shi-jian-lun")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta")}
    assert meta["og:title"] == "学习《实践论》的三点体会"
    assert meta["og:description"] == "用身边事讲清认识从实践中来。"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == SITE_URL + "lectures/shi-jian-lun/"
    home = {m.get("property"): m.get("content") for m in doc(site, "").xpath("//head/meta")}
    assert home["og:type"] == "website" and home["og:description"]


def test_builds_are_reproducible(site, tmp_path):
    out = tmp_path / "again"
    proc = run_build("build", "-f", str(HUB / "mkdocs.yml"), "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    for rel in ("calendar.ics", "feed.xml", "api/sessions.json", "api/sessions.csv", "stats/index.html", "lectures/shi-jian-lun/qr.svg"):
        assert (out / rel).read_bytes() == (site / rel).read_bytes(), rel
