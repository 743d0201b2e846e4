"""Unit tests of the search index builder (no browser)."""

from __future__ import annotations

import json
import re

import pytest

from jiangtang.search import (
    EXTRA_CSS,
    EXTRA_JAVASCRIPT,
    SearchDoc,
    build_search,
    build_search_with_stats,
    normalize,
    search_page_markdown,
)
from jiangtang.search.index import order_docs, shard_of
from jiangtang.search.pinyin import readings, syllables

DOCS = [
    SearchDoc(url="lectures/a/", kind="lecture", title="党员冬训联盟讲高标准农田", date="2024-01-02",
              speakers=("单立",), keywords=("长乐镇",), headings=("快递小哥",), body="建设高标准农田。"),
    SearchDoc(url="speakers/qiu-hong-mei/", kind="speaker", title="仇红梅"),
    SearchDoc(url="lectures/b/", kind="lecture", title="旧讲稿", date="2019-05-01"),
    SearchDoc(url="about/", kind="page", title="关于"),
]


def _load(data: bytes):
    m = re.fullmatch(rb'__jtS\("(\w)",(\d+),(.*)\);\n', data, re.S)
    assert m, data[:80]
    return json.loads(m.group(3))


def test_normalize_width_case_traditional():
    assert normalize("ＡＰＰ２０２２年") == "app2022年"
    assert normalize("長樂鎮黨員") == "长乐镇党员"
    assert normalize("快递、小哥！") == "快递 小哥 "


def test_surname_readings_match_slugs():
    assert readings("单丽", name=True) == ["shan", "li"]
    assert readings("曾国华", name=True)[0] == "zeng"
    assert readings("解晓东", name=True)[0] == "xie"
    assert readings("仇红梅", name=True)[0] == "qiu"
    assert readings("绿色") == ["lv", "se"]


def test_syllables_cover_common_and_v_forms():
    syl = set(syllables())
    assert {"shan", "li", "zhuang", "lv", "nve", "a", "er"} <= syl
    assert "ng" not in syl


def test_build_outputs_and_assets():
    files = build_search(DOCS)
    assert set(EXTRA_JAVASCRIPT + EXTRA_CSS) <= set(files)
    js = files["assets/search/search.js"].decode()
    assert "@@T2S@@" not in js and '"shan"' in js
    manifest = _load(files["search/idx/m.js"])
    assert manifest["n"] == 4 and manifest["kinds"] == "llsp"
    assert all(isinstance(v, bytes) for v in files.values())
    # no absolute URLs, nothing pointing to another host
    for path, data in files.items():
        assert b"http://" not in data and b"https://" not in data, path


def test_doc_order_newest_first_then_undated():
    assert [d.url for d in order_docs(DOCS)] == ["lectures/a/", "lectures/b/", "speakers/qiu-hong-mei/", "about/"]


def test_postings_hold_bigrams_pinyin_and_positions():
    files, stats = build_search_with_stats(DOCS)
    manifest = _load(files["search/idx/m.js"])
    ns = manifest["ns"]
    shards = {int(p.rsplit("/", 1)[1][:-3]): _load(v) for p, v in files.items() if p.startswith("search/idx/s/")}
    assert len(shards) == ns == stats.shards

    def get(key):
        return shards[shard_of(key, ns)].get(key)

    assert get("冬训") == "0.2"  # title, doc 0, position 2
    assert get("农田").split("|")[4] == "0.5"  # body, doc 0, position 5 (mod 32)
    assert get("%shan|li") == "|0.0"  # speaker names field
    assert get("&qh") == "2.0"  # initials of 仇红 in the title of doc 2
    assert get("^单l") == "|0.0"
    assert get("!梅") == "2.2"
    assert get("小哥") == "|||0.2"  # heading
    assert get("不存在") is None


def test_unknown_kind_rejected():
    with pytest.raises(ValueError):
        build_search([SearchDoc(url="x/", kind="video", title="x")])


def test_search_page_markdown_has_required_elements():
    md = search_page_markdown()
    assert 'id="search-results"' in md and 'name="q"' in md and "<noscript>" in md
    assert md.startswith("---\ntitle: 搜索\n")


def test_index_size_is_linear():
    def docs(n):
        return [SearchDoc(url=f"l/{i}/", kind="lecture", title=f"第{i}讲乡村振兴", date="2024-01-01",
                          body="乡村振兴要坚持农业农村优先发展。" * 20 + str(i)) for i in range(n)]

    small = build_search_with_stats(docs(50))[1]
    big = build_search_with_stats(docs(200))[1]
    assert big.index_bytes < 5 * small.index_bytes
