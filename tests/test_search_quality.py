"""Search-quality suite over the demo hub, through the real search page in headless Chromium.

Builds the demo hub with ``python build.py build -f mkdocs.yml -d <tmp>``, serves it on
127.0.0.1, opens ``search/?q=…`` for every query below, pages through all results
("显示更多结果") and checks:

* recall — every document that contains the query (Ctrl-F over title, speakers,
  keywords, headings, body, summary after normalisation; single characters: title,
  names and keywords only; pinyin queries: the documents whose title, names or
  keywords contain the Chinese ``equiv``) is among the results: must be 100 %;
* top-1 — the first result is the expected one: must be ≥ 95 %;
* no-result queries say so in the status line.

The figures are printed (run with ``-s``) and recorded as test properties.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jiangtang.search.normalize import SEP, normalize

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

# (category, query, expected first result (URL prefix or tuple of acceptable ones), pinyin equivalent)
QUERIES: list[tuple[str, str, object, str | None]] = [
    # two-character words, anywhere in a word
    ("二字词", "农田", "lectures/gaobiaozhun-nongtian/", None),
    ("二字词", "湿地", "lectures/shengtai-shidi/", None),
    ("二字词", "喇叭", "lectures/laba-ketang/", None),
    ("二字词", "账本", "lectures/xiangcun-zhenxing-chanye/", None),
    ("二字词", "候鸟", "lectures/shengtai-shidi/", None),
    ("二字词", "晒场", "lectures/shaichang-yehua/", None),
    ("二字词", "楼宇", "lectures/louyu-dangjian/", None),
    ("二字词", "阅读", "lectures/quanmin-yuedu/", None),
    ("二字词", "抗疫", "lectures/tongxin-kangyi/", None),
    ("二字词", "工地", "lectures/gongdi-ketang/", None),
    ("二字词", "紫菜", "lectures/xiangcun-zhenxing-chanye/", None),
    # four-character idioms and set phrases
    ("四字词", "移风易俗", "lectures/yi-feng-yi-su/", None),
    ("四字词", "共同富裕", "lectures/gongtong-fuyu/", None),
    ("四字词", "大操大办", "lectures/yi-feng-yi-su/", None),
    ("四字词", "一日三餐", "lectures/dongxun-changxun/", None),
    ("四字词", "地球之肾", "lectures/shengtai-shidi/", None),
    ("四字词", "美丽庭院", "lectures/meili-tingyuan/", None),
    ("四字词", "扫黄打非", "lectures/saohuang-dafei/", None),
    ("四字词", "青蓝工程", "lectures/qinglan-gongcheng/", None),
    ("四字词", "有事好商量", "lectures/youshi-haoshangliang/", None),
    ("四字词", "百企联百村", "lectures/bai-qi-lian-bai-cun/", None),
    # phrases that cross word boundaries
    ("跨词片段", "党员冬训联盟", "lectures/dongxun-lianmeng/", None),
    ("跨词片段", "快递小哥", "lectures/kuaidi-dongri-nuanfeng/", None),
    ("跨词片段", "小单位也能", "lectures/dongxun-lianmeng/", None),
    ("跨词片段", "家门口的防疫", "lectures/tongxin-kangyi/", None),
    ("跨词片段", "安全帽下学", "lectures/gongdi-ketang/", None),
    ("跨词片段", "乘凉时聊", "lectures/shaichang-yehua/", None),
    ("跨词片段", "老党员用", "lectures/xuexi-qiangguo-laoren/", None),
    ("跨词片段", "出海之前", "lectures/chuantou-ketang/", None),
    ("跨词片段", "渔民增收", "lectures/haiyang-jingji/", None),
    ("跨词片段", "房前屋后", "lectures/renju-huanjing/", None),
    ("跨词片段", "党员冬训 联盟", "lectures/dongxun-lianmeng/", None),
    # given names and speakers
    ("人名", "红梅", "speakers/qiu-hong-mei/", None),
    ("人名", "仇红梅", "speakers/qiu-hong-mei/", None),
    ("人名", "海燕", "speakers/chen-hai-yan/", None),
    ("人名", "晓东", "speakers/xie-xiao-dong/", None),
    ("人名", "国华", "speakers/zeng-guo-hua/", None),
    ("人名", "丽君", "speakers/shen-li-jun/", None),
    ("人名", "张伟", ("speakers/zhang-wei-cha-he/", "speakers/zhang-wei-yang-kou/"), None),
    ("单字", "仇", "speakers/qiu-hong-mei/", None),
    ("单字", "翟", "speakers/zhai-chun-sheng/", None),
    ("单字", "缪", "speakers/miao-zhi-gang/", None),
    # place names, including polyphonic characters (长 chang/zhang, 苴 ju/zu, 栟 ben/bing)
    ("地名", "长沙镇", "speakers/chen-hai-yan/", None),
    ("地名", "岔河", "speakers/zhang-wei-cha-he/", None),
    ("地名", "洋口", "speakers/zhang-wei-yang-kou/", None),
    ("地名", "栟茶", "speakers/miao-zhi-gang/", None),
    ("地名", "苴镇", "speakers/yan-hong/", None),
    ("地名", "大豫镇", "speakers/ji-wei-dong/", None),
    ("地名", "長沙鎮", "speakers/chen-hai-yan/", None),  # traditional forms
    # pinyin: full, initials, mixed
    ("全拼", "shanli", "speakers/shan-li/", "单丽"),
    ("全拼", "qiuhongmei", "speakers/qiu-hong-mei/", "仇红梅"),
    ("全拼", "chuantou", "lectures/chuantou-ketang/", "船头"),
    ("全拼", "zengguohua", "speakers/zeng-guo-hua/", "曾国华"),
    ("全拼", "xiexiaodong", "speakers/xie-xiao-dong/", "解晓东"),
    ("全拼", "yifengyisu", "lectures/yi-feng-yi-su/", "移风易俗"),
    ("全拼", "gongtongfuyu", "lectures/gongtong-fuyu/", "共同富裕"),
    ("全拼", "dongxun", ("lectures/dongxun-changxun/", "lectures/dongxun-lianmeng/"), "冬训"),
    ("全拼", "chahe", "speakers/zhang-wei-cha-he/", "岔河"),
    ("全拼", "dongrinuanfeng", "lectures/kuaidi-dongri-nuanfeng/", "冬日暖蜂"),
    ("首字母", "sl", "speakers/shan-li/", "单丽"),
    ("首字母", "qhm", "speakers/qiu-hong-mei/", "仇红梅"),
    ("首字母", "gtfy", "lectures/gongtong-fuyu/", "共同富裕"),
    ("首字母", "tjkt", "lectures/gaobiaozhun-nongtian/", "田间课堂"),
    ("首字母", "yshsl", "lectures/youshi-haoshangliang/", "有事好商量"),
    ("首字母", "bxmz", "sessions/", "百姓名嘴"),
    ("混合", "单li", "speakers/shan-li/", "单丽"),
    ("混合", "仇hm", "speakers/qiu-hong-mei/", "仇红梅"),
    ("混合", "晒chang", "lectures/shaichang-yehua/", "晒场"),
    ("混合", "haiyang经济", "lectures/haiyang-jingji/", "海洋经济"),
    # ASCII, digits, full-width
    ("ASCII", "APP", "sessions/", None),
    ("ASCII", "ａｐｐ", "sessions/", None),
    ("ASCII", "2022年", "sessions/", None),
    ("ASCII", "2026年", "lectures/shisiwu-kaiju/", None),
    ("ASCII", "十五五", "lectures/shisiwu-kaiju/", None),
    # nothing to find: the page must say so
    ("无结果", "量子计算机", None, None),
    ("无结果", "火星基地", None, None),
    ("无结果", "区块链金融", None, None),
    ("无结果", "qqqq", None, None),
]


def _fields(d):
    return {
        "tnk": SEP.join(normalize(x) for x in (d.title, *d.speakers, *d.keywords)),
        "all": SEP.join(normalize(x) for x in (d.title, *d.speakers, *d.keywords, *d.headings, d.body, d.summary)),
    }


def relevant(docs, query: str, equiv: str | None) -> set[str]:
    """Ground truth: URLs of every document that must be found for ``query``."""
    if equiv is not None:
        return {d.url for d in docs if normalize(equiv) in _fields(d)["tnk"]}
    terms = [t for t in normalize(query).split(SEP) if t]
    out = set()
    for d in docs:
        f = _fields(d)
        if all((t in f["tnk"]) if len(t) == 1 else (t in f["all"]) for t in terms):
            out.add(d.url)
    return out


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    if not (ROOT / "build.py").exists() or not (ROOT / "lectures").is_dir():
        pytest.skip("the core build or the demo hub is not there yet")
    out = tmp_path_factory.mktemp("demo-site")
    proc = subprocess.run([sys.executable, "build.py", "build", "-f", "mkdocs.yml", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from jiangtang.compiler import compile_hub

    docs = compile_hub(ROOT / "mkdocs.yml").search_docs
    return out, docs


def _all_results(page, base: str, query: str) -> dict:
    from jiangtang.search.devsite import run_query

    r = run_query(page, base, query)
    for _ in range(200):
        if page.evaluate("() => document.getElementById('jt-search-more').hidden"):
            break
        page.click("#jt-search-more")
        page.wait_for_function("() => document.getElementById('search-results').dataset.state === 'done'")
    links = page.eval_on_selector_all("#search-results a.jt-result__link", "as => as.map(a => a.href)")
    r["urls"] = [u[len(base):] if u.startswith(base) else u for u in links]
    return r


@pytest.mark.browser
def test_search_quality(demo_site, record_property, browser):
    from jiangtang.search.devsite import serve

    site, docs = demo_site
    assert len(QUERIES) >= 60
    found_total = need_total = top_ok = 0
    failures = []
    rows = []
    with serve(site) as base:  # one Playwright per process: the shared `browser` fixture (conftest)
        page = browser.new_page()
        foreign = []
        page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(base) else None)
        for cat, q, top, equiv in QUERIES:
            r = _all_results(page, base, q)
            want = relevant(docs, q, equiv)
            got = set(r["urls"])
            missing = sorted(want - got)
            need_total += len(want)
            found_total += len(want) - len(missing)
            if top is None:
                ok = not r["urls"] and "没有找到" in r["status"]
            else:
                tops = top if isinstance(top, tuple) else (top,)
                ok = bool(r["urls"]) and any(r["urls"][0].startswith(t) for t in tops)
            top_ok += ok
            if missing or not ok:
                failures.append({"q": q, "missing": missing[:5], "first": r["urls"][:3], "expected": top})
            rows.append((cat, q, len(r["urls"]), len(want), ok))
        assert not foreign, f"requests to other hosts: {foreign[:5]}"
    recall = found_total / need_total if need_total else 1.0
    top1 = top_ok / len(QUERIES)
    record_property("search_recall", recall)
    record_property("search_top1", top1)
    print(f"\n搜索质量：{len(QUERIES)} 个查询，召回率 {recall:.1%}（{found_total}/{need_total}），"
          f"首位正确率 {top1:.1%}（{top_ok}/{len(QUERIES)}）")
    for cat, q, n, need, ok in rows:
        print(f"  [{cat}] {q}: {n} 条（应含 {need} 条）{'✓' if ok else '✗ 首位'}")
    if failures:
        print(json.dumps(failures, ensure_ascii=False, indent=1))
    assert recall == 1.0, failures
    assert top1 >= 0.95, failures


@pytest.mark.browser
def test_demo_search_from_sub_path_and_file(demo_site, browser):
    """The built demo hub searches from a sub-path and from file:// (offline package)."""
    from jiangtang.search.devsite import run_query, serve

    site, _ = demo_site
    # one Playwright per process: the shared `browser` fixture (conftest)
    page = browser.new_page()
    with serve(site, prefix="theory/") as base:
        r = run_query(page, base, "快递小哥")
        assert r["hrefs"][0] == base + "lectures/kuaidi-dongri-nuanfeng/"
        # the header box of an ordinary page leads to the search page
        page.goto(base + "lectures/")
        page.fill(".jt-search-header input[name=q]", "单li")
        page.press(".jt-search-header input[name=q]", "Enter")
        page.wait_for_function("() => { const b = document.getElementById('search-results');"
                               " return b && b.dataset.state === 'done'; }")
        assert page.url.startswith(base + "search/")
        first = page.eval_on_selector("#search-results a.jt-result__link", "a => a.href")
        assert first == base + "speakers/shan-li/"
    base = site.resolve().as_uri() + "/"
    r = run_query(page, base, "仇红梅")
    assert r["state"] == "done", r["status"]
    assert r["hrefs"][0] == base + "speakers/qiu-hong-mei/index.html"
    page.close()
