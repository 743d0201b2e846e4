"""Measure search at scale: build time/size per 1,000 lectures, first-query transfer
(gzip) and latency in headless Chromium.

Usage (repo root)::

    .venv/bin/python benchmarks/search/measure.py --lectures 10000 --scales 1000,2000,5000

Prints a JSON report (also written to ``--report`` when given).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, os.path.dirname(__file__))

from gen import make_docs  # noqa: E402

from jiangtang.search.devsite import chromium, serve, write_site  # noqa: E402


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def build_figures(n: int, workdir: Path) -> dict:
    """Build an ``n``-lecture hub and return time and size figures."""
    docs = make_docs(n)
    out = workdir / f"site-{n}"
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    stats = write_site(docs, out)
    secs = time.perf_counter() - t
    idx = list((out / "search" / "idx").rglob("*.js"))
    shard = [p for p in idx if p.parent.name == "s"]
    raw = sum(p.stat().st_size for p in idx)
    body_chars = sum(len(d.body) for d in docs)
    return {
        "lectures": n,
        "docs": len(docs),
        "body_chars": body_chars,
        "build_seconds": round(secs, 1),
        "keys": stats.keys,
        "shards": stats.shards,
        "files": len(idx),
        "index_raw_mb": round(sum(p.stat().st_size for p in shard) / 1e6, 1),
        "docs_raw_mb": round(stats.doc_bytes / 1e6, 1),
        "total_raw_mb": round(raw / 1e6, 1),
        "manifest_gz_kb": round(_gz(out / "search" / "idx" / "m.js") / 1024, 1),
        "site": str(out),
    }


def material_index_figures(docs) -> dict:
    """Size of the single JSON index Material's built-in search would download whole.

    Same text, one entry per page (Material also adds one per section, which only
    splits the same text), serialised as Material 9.7 does (``json.dumps`` with
    ``separators=(",", ":")``, ASCII escapes), without jieba's extra separators.
    """
    entries = [{"location": d.url, "title": d.title, "text": " ".join((*d.headings, d.summary, d.body))}
               for d in docs]
    data = json.dumps({"config": {"lang": ["zh"], "separator": "[\\s\\-]+"}, "docs": entries},
                      separators=(",", ":")).encode()
    return {"material_index_raw_mb": round(len(data) / 1e6, 1),
            "material_index_gz_mb": round(len(gzip.compress(data, 6)) / 1e6, 1)}


def queries_for(docs) -> list[tuple[str, str]]:
    """Pick measurement queries that occur in the synthetic hub."""
    lec = [d for d in docs if d.kind == "lecture"]
    spk = [d for d in docs if d.kind == "speaker"]
    body = lec[1234 % len(lec)].body
    cut = [s for s in body.replace("。", "，").split("，") if len(s) > 12][0]
    return [
        ("常见两字词（正文）", lec[7].title[:2]),
        ("四字词（标题）", lec[42].title[:4]),
        ("跨词六字片段（正文）", cut[3:9]),
        ("宣讲员姓名", spk[3].title),
        ("镇名全拼", "changle"),
        ("课堂类型首字母", "tjkt"),
        ("汉字加拼音", "岔he"),
        ("单字（标题/人名）", spk[5].title[-1]),
        ("无结果", "量子纠缠态"),
    ]


def browser_figures(site: Path, queries: list[tuple[str, str]]) -> list[dict]:
    """Time each query cold (fresh context) and warm (second query, same page).

    Each query is measured twice: entered at once (one input event, as a Chinese
    IME commits a word or a link opens) and typed key by key (90 ms apart, every
    intermediate prefix is searched too and counted in the transfer).
    """
    out = []
    with serve(site) as base, chromium() as browser:
        for (label, q), typed in [(x, t) for x in queries for t in (False, True)]:
            ctx = browser.new_context()
            page = ctx.new_page()
            urls: list[str] = []
            page.on("request", lambda r: urls.append(r.url))
            page.goto(base + "search/")
            page.wait_for_selector("#search-results[data-state=idle]", state="attached")
            if typed:
                page.locator("#jt-search-input").press_sequentially(q, delay=90)
            else:
                page.locator("#jt-search-input").fill(q)
            page.wait_for_function(
                "q => { const b = document.getElementById('search-results');"
                " return b.dataset.state === 'done' && b.dataset.q === q; }", arg=q, timeout=30000)
            last = page.evaluate("window.__jtSearchLast")
            files = []
            for u in urls:
                path = unquote(urlparse(u).path).lstrip("/")
                if path.startswith(("search/idx/", "assets/search/")):
                    files.append(site / path)
            gz = sum(_gz(p) for p in files)
            raw = sum(p.stat().st_size for p in files)
            n_before = len(urls)
            # a later query in the same page reuses the manifest and shards already loaded
            if len(q) > 1:
                q2 = q[:-1]
                page.locator("#jt-search-input").press("Backspace")
            else:
                q2 = q + "国"
                page.locator("#jt-search-input").press_sequentially("国")
            page.wait_for_function(
                "q => { const b = document.getElementById('search-results');"
                " return b.dataset.state === 'done' && b.dataset.q === q; }", arg=q2, timeout=30000)
            last2 = page.evaluate("window.__jtSearchLast")
            extra = [site / unquote(urlparse(u).path).lstrip("/") for u in urls[n_before:]
                     if unquote(urlparse(u).path).lstrip("/").startswith("search/idx/")]
            out.append({
                "label": label,
                "query": q,
                "input": "typed" if typed else "at once",
                "results": last["total"],
                "first_ms": round(last["ms"]),
                "first_requests": len(files),
                "first_raw_kb": round(raw / 1024, 1),
                "first_gz_kb": round(gz / 1024, 1),
                "next_query": q2,
                "next_ms": round(last2["ms"]),
                "next_gz_kb": round(sum(_gz(p) for p in extra) / 1024, 1),
            })
            ctx.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lectures", type=int, default=10000)
    ap.add_argument("--scales", default="1000,2000,5000")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--report", default=None)
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="jt-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report = {"builds": []}
    for n in [int(x) for x in args.scales.split(",") if x] + [args.lectures]:
        fig = build_figures(n, work)
        print(json.dumps(fig, ensure_ascii=False), flush=True)
        report["builds"].append(fig)
    report["material"] = material_index_figures(make_docs(args.lectures))
    print(json.dumps(report["material"]), flush=True)
    site = Path(report["builds"][-1]["site"])
    report["queries"] = browser_figures(site, queries_for(make_docs(args.lectures)))
    for q in report["queries"]:
        print(json.dumps(q, ensure_ascii=False), flush=True)
    if args.report:
        Path(args.report).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
