"""``make bench``: build synthetic hubs with jiangtang, Material + prune and Hugo, side by side.

For each size N the harness generates a hub (:mod:`generate`), derives from the
same lecture Markdown a plain MkDocs + Material site (``navigation.prune``,
``plugins: []`` so Material's search is off) and a Hugo site (a minimal layout
whose navigation lists sections only), then times all of them in one hyperfine
invocation (https://github.com/sharkdp/hyperfine). Zensical 0.1.3 builds the same
tree as Material when it can be installed (:func:`zensical_env`: a separate
virtual environment with a stand-in for its theme package ``zensical-ui``, which
the mirror lacks). jiangtang is measured cold (no cache), warm (no change) and
after editing one lecture. A separate in-process run breaks jiangtang's own
compile into phases (loading, pages, search index).

Peak memory: every timed command runs under :mod:`peakmem` (the sum of the PSS of
the command's whole process tree, sampled every 0.2 s: jiangtang renders in two
processes) and, inside it, GNU ``/usr/bin/time`` (``%M``, the largest single
process). ``peak_mib`` is the former; the latter is kept as a separate column.

Results: ``benchmarks/results/bench-<date>.md`` (table, machine, versions) and
``benchmarks/results/latest.md``; the run ends with one line per N::

    bench N=1000 jiangtang_s=… material_prune_s=… hugo_s=… ratio_material_prune=… ratio_hugo=… peak_mib=… page_kb=… search_first_query_kb=…

followed by ``rss_mib=…`` (GNU time) and, when Zensical ran, ``zensical_stub_s=… ratio_zensical_stub=…``.

Usage::

    python benchmarks/run.py 1000 3000 10000 [--runs R] [--work DIR] [--incremental-max N] [--no-zensical]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import GENERATOR_VERSION, SOURCE_DATE_EPOCH, generate  # noqa: E402

log = logging.getLogger(__name__)

PY = sys.executable
HUGO = str(Path(PY).parent / "hugo")
#: A typical two-character query for ``search_first_query_kb`` (a topic word).
QUERY = "振兴"

#: The Material + prune configuration; Zensical reads the same file (plus ``site_dir``).
MATERIAL_YML = ("site_name: 合成县理论学习内容中心\ntheme:\n  name: material\n  language: zh\n  font: false\n"
                "  features:\n    - navigation.prune\nplugins: []\n"
                "markdown_extensions:\n  - toc:\n      permalink: true\n  - tables\n")
ZENSICAL = "0.1.3"
#: How Zensical rows are labelled in the report (its real theme package is missing from the mirror).
ZENSICAL_LABEL = (f"Zensical {ZENSICAL}，替身主题（镜像缺少 zensical-ui；"
                  f"Zensical {ZENSICAL} with a stand-in theme, zensical-ui missing from the mirror）")

HUGO_CONFIG = """baseURL = "/"
languageCode = "zh-cn"
title = "合成县理论学习内容中心"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[pagination]
  pagerSize = 30
"""
HUGO_BASEOF = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</article>{{ end }}\n'
HUGO_LIST = ('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range (.Paginate .RegularPagesRecursive).Pages }}'
             '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
             '{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">下一页</a>{{ end }}{{ end }}{{ end }}\n')


def material_tree(hub: Path, out: Path) -> Path:
    """Plain MkDocs + Material site of the hub's lectures (``docs/lectures/<year>/<id>.md``).

    Returns:
        Its ``mkdocs.yml``.
    """
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(hub / "lectures", out / "docs" / "lectures")
    (out / "docs" / "index.md").write_text("# 合成县理论学习内容中心\n", "utf-8")
    cfg = out / "mkdocs.yml"
    cfg.write_text(MATERIAL_YML, "utf-8")
    return cfg


def zensical_tree(hub: Path, out: Path) -> Path:
    """The Material tree for Zensical: the same ``docs/`` and ``mkdocs.yml``, output in ``out/site``
    (Zensical wants ``docs_dir`` and ``site_dir`` inside the project folder and has no ``-d`` option).

    Returns:
        Its ``mkdocs.yml``.
    """
    cfg = material_tree(hub, out)
    cfg.write_text(MATERIAL_YML + "site_dir: site\n", "utf-8")
    return cfg


def zensical_env(work: Path) -> tuple[Path | None, str]:
    """Install Zensical in a separate virtual environment ``work/zensical-venv`` (never the project's).

    ``zensical==0.1.3`` is downloaded with pip (``--no-deps``: its ``zensical-ui==0.0.43``
    is not on the mirror), its other dependencies come pinned from
    ``benchmarks/zensical/requirements.txt``, and the stand-in package
    ``benchmarks/zensical/zensical_ui`` is copied into its site-packages. A two-page
    smoke build checks that it runs.

    Returns:
        ``(path of the zensical executable, note)``, or ``(None, why it cannot run)``
        with the error text.
    """
    venv, src = work / "zensical-venv", HERE / "zensical"
    exe = venv / "bin" / "zensical"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    try:
        if not exe.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, text=True)
            subprocess.run(pip + ["--no-deps", f"zensical=={ZENSICAL}"], check=True, capture_output=True, text=True)
            subprocess.run(pip + ["-r", str(src / "requirements.txt")], check=True, capture_output=True, text=True)
        site_packages = next((venv / "lib").glob("python*/site-packages"))
        shutil.rmtree(site_packages / "zensical_ui", ignore_errors=True)
        shutil.copytree(src / "zensical_ui", site_packages / "zensical_ui", ignore=shutil.ignore_patterns("__pycache__"))
        smoke = work / "zensical-smoke"
        shutil.rmtree(smoke, ignore_errors=True)
        (smoke / "docs" / "a").mkdir(parents=True)
        (smoke / "docs" / "index.md").write_text("# 首页\n", "utf-8")
        (smoke / "docs" / "a" / "b.md").write_text("---\ntitle: 讲稿\n---\n\n## 小节\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", "utf-8")
        (smoke / "mkdocs.yml").write_text(MATERIAL_YML + "site_dir: site\n", "utf-8")
        subprocess.run([str(exe), "build", "-f", str(smoke / "mkdocs.yml")], check=True, capture_output=True, text=True,
                       cwd=smoke, timeout=120)
        if not (smoke / "site" / "a" / "b" / "index.html").is_file():
            return None, "Zensical 冒烟构建未生成 a/b/index.html"
    except subprocess.CalledProcessError as e:
        err = (e.stderr or e.stdout or "").strip().splitlines()
        return None, f"`{' '.join(map(str, e.cmd[-3:]))}` 失败：{err[-1] if err else e.returncode}"
    except (OSError, StopIteration, subprocess.TimeoutExpired) as e:
        return None, f"{type(e).__name__}: {e}"
    return exe, ZENSICAL_LABEL


def hugo_tree(hub: Path, out: Path) -> Path:
    """Hugo site of the hub's lectures with a sections-only navigation."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(hub / "lectures", out / "content" / "lectures")
    (out / "content" / "_index.md").write_text("---\ntitle: 首页\n---\n", "utf-8")
    (out / "content" / "lectures" / "_index.md").write_text("---\ntitle: 讲稿\n---\n", "utf-8")
    (out / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    layouts = out / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, "utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, "utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, "utf-8")
    return out


def _hub(n: int, work: Path) -> Path:
    hub = work / f"hub-{n}"
    stamp = hub / ".generator"
    if not (stamp.is_file() and stamp.read_text() == str(GENERATOR_VERSION)):
        print(f"生成 {n} 篇讲稿的合成站点……", file=sys.stderr, flush=True)
        generate(n, hub)
        stamp.write_text(str(GENERATOR_VERSION))
    return hub


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _page_sizes(paths: list[Path]) -> tuple[float, int]:
    sizes = [p.stat().st_size for p in paths]
    return (sum(sizes) / len(sizes) if sizes else 0.0), (max(sizes) if sizes else 0)


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def first_query_bytes(site: Path, query: str = QUERY) -> tuple[int, str]:
    """Gzip bytes the first query ``query`` loads: manifest, the shards of its keys, the first 10 result documents.

    Keys of a two-character Han query: the bigram and each character (``!a``);
    shards are located with :func:`jiangtang.search.index.shard_of`; the first 10
    results are the 10 lowest document ids in the bigram's postings (ids are
    assigned newest first, the script shows 10 per page).

    Returns:
        ``(bytes, method note)``.
    """
    from jiangtang.search import index

    idx = site / "search" / "idx"
    manifest_raw = (idx / "m.js").read_bytes()
    m = json.loads(manifest_raw[manifest_raw.index(b"{"):manifest_raw.rindex(b"}") + 1])
    keys = [query, *("!" + ch for ch in query)]
    shards = sorted({index.shard_of(k, m["ns"]) for k in keys})
    total = _gz(manifest_raw)
    docs: set[int] = set()
    for s in shards:
        raw = (idx / "s" / f"{s}.js").read_bytes()
        total += _gz(raw)
        data = json.loads(raw[raw.index(b"{"):raw.rindex(b"}") + 1])
        posting = data.get(query, "")
        for part in posting.split("|"):
            prev = 0
            for item in filter(None, part.split(",")):
                prev += int(item.split(".")[0], 36)
                docs.add(prev)
    for d in sorted(docs)[:10]:
        total += _gz((idx / "d" / f"{d}.js").read_bytes())
    return total, f"m.js + {len(shards)} 个索引分片 + 前 {min(10, len(docs))} 条结果的文档文件（gzip -9）"


PHASES = r"""
import json, sys, time, os, resource
t0 = time.perf_counter()
from jiangtang import compiler, search
from jiangtang.hub import load_hub
from jiangtang.pages import Pages
t1 = time.perf_counter()
hub, report = load_hub(sys.argv[1])
t2 = time.perf_counter()
gen = Pages(hub, "")
gen.build()
t3 = time.perf_counter()
docs = compiler.search_docs(hub, gen)
t4 = time.perf_counter()
files = search.build_search(docs)
t5 = time.perf_counter()
idx = sum(len(v) for k, v in files.items() if k.startswith("search/idx/"))
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "pages_s": t3 - t2, "search_docs_s": t4 - t3,
                  "search_s": t5 - t4, "search_index_bytes": idx,
                  "search_files": sum(1 for k in files if k.startswith("search/idx/")),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("jiangtang", "mkdocs", "mkdocs-material", "Markdown", "pypinyin", "PyYAML"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "?"
    hugo = subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout
    m = re.search(r"hugo v([\d.]+)", hugo)
    out["hugo"] = m.group(1) if m else "?"
    hf = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.split()
    out["hyperfine"] = hf[-1] if hf else "?"
    try:
        out["zensical"] = metadata.version("zensical")
    except metadata.PackageNotFoundError:
        out["zensical"] = "未安装（PyPI 镜像缺少其依赖 zensical-ui）"
    return out


def _machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (f"{platform.node()}，{cpu}，{os.cpu_count()} 核，内存 {mem:.1f} GiB，{platform.system()} {platform.release()}；"
            f"开始时负载 {load[0]:.2f}")


def _timed(name: str, work: Path, sampler: bool = True) -> str:
    """Prefix of a timed command: :mod:`peakmem` (process-tree PSS) around GNU time (largest single RSS).

    ``name`` holds N (``1000-jiangtang``); results go to ``work/mem-NAME.jsonl`` and ``work/time-NAME.txt``.
    """
    gnu = f"/usr/bin/time -f '%e %U %S %M' -a -o {work / ('time-' + name + '.txt')} "
    return (f"{PY} {HERE / 'peakmem.py'} -o {work / ('mem-' + name + '.jsonl')} -- " if sampler else "") + gnu


def snapshot(work: Path) -> Path:
    """Copy ``jiangtang/`` and ``build.py`` to ``work/snapshot`` so one run measures one state of the code
    (the tree is shared by several engineers); the builds import it first via ``PYTHONPATH``."""
    snap = work / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    shutil.copytree(ROOT / "jiangtang", snap / "jiangtang", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "build.py", snap / "build.py")
    return snap


def bench_size(n: int, work: Path, runs: int, incremental: bool = True, zensical: Path | None = None,
               overhead: bool = False) -> dict:
    """Measure one size; returns a dict of results (seconds, bytes, MiB).

    Args:
        n: number of lectures.
        work: work folder (hubs, trees, sites, time and memory records).
        runs: hyperfine runs per command.
        incremental: also measure the no-change and one-edit rebuilds and the phases of a cold build.
        zensical: the zensical executable of :func:`zensical_env`; None leaves Zensical out.
        overhead: also time ``material_prune_bare`` (Material + prune without the memory sampler,
            GNU time only) to measure the sampler's overhead.
    """
    hub = _hub(n, work)
    mat = material_tree(hub, work / f"material-{n}")
    hugo = hugo_tree(hub, work / f"hugo-{n}")
    zen = zensical_tree(hub, work / f"zensical-{n}") if zensical else None
    out_jt, out_mat, out_hugo = work / f"site-jt-{n}", work / f"site-mat-{n}", work / f"site-hugo-{n}"
    edit = hub / "lectures" / sorted(os.listdir(hub / "lectures"))[0]
    edit = edit / sorted(os.listdir(edit))[0]
    for f in [*work.glob(f"time-{n}-*.txt"), *work.glob(f"mem-{n}-*.jsonl")]:
        f.unlink()
    jt = f"{PY} {work / 'snapshot' / 'build.py'} build -q -f {hub / 'mkdocs.yml'} -d {out_jt}"
    mkdocs = f"{PY} -m mkdocs build -q -f {mat} -d {out_mat}"
    cmds = [
        ("jiangtang", f"rm -rf {hub / '.cache'} {out_jt}", jt),
        ("material_prune", f"rm -rf {out_mat}", mkdocs),
        ("hugo", f"rm -rf {out_hugo}", f"{HUGO} --quiet -s {hugo} -d {out_hugo}"),
    ]
    if zen:
        cmds.append(("zensical_stub", f"rm -rf {zen.parent / 'site'} {zen.parent / '.cache'}",
                     f"{zensical} build -f {zen}"))
    if overhead:
        cmds.append(("material_prune_bare", f"rm -rf {out_mat}", mkdocs))
    if incremental:
        cmds += [("jiangtang_nochange", "true", jt),
                 ("jiangtang_nochange_nostamp", f"rm -rf {hub / '.cache' / 'jiangtang' / 'builds'}", jt),
                 ("jiangtang_edit1", f"{PY} {HERE / 'run.py'} --touch {edit}", jt)]
    args = ["hyperfine", "--runs", str(runs), "--style", "basic", "--export-json", str(work / f"hf-{n}.json")]
    for name, prep, cmd in cmds:
        args += ["--prepare", prep, "-n", name, _timed(f"{n}-{name}", work, sampler=name != "material_prune_bare") + cmd]
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, CI="true", PYTHONPATH=str(work / "snapshot"))
    load0 = os.getloadavg()[0]
    subprocess.run(args, check=True, env=env)
    hf = {r["command"]: r for r in json.loads((work / f"hf-{n}.json").read_text())["results"]}
    res = collect(n, work, {name: work / f"time-{n}-{name}.txt" for name, *_ in cmds}, hf)
    if "material_prune_bare" in res:  # the same build, timed in the same hyperfine run, without the sampler
        res["sampler_overhead"] = res["material_prune"]["wall_s"] / res["material_prune_bare"]["wall_s"] - 1
    res["load"] = (load0 + os.getloadavg()[0]) / 2
    if incremental:
        res["serve"] = serve_latency(hub, edit, work, n, env)
        ph = subprocess.run([PY, "-c", PHASES, str(hub / "mkdocs.yml")], capture_output=True, text=True,
                            env=dict(env, JIANGTANG_CACHE="0"), check=True)  # phases of a cold build
        res["phases"] = json.loads(ph.stdout.strip().splitlines()[-1])
    return res


def serve_latency(hub: Path, edit: Path, work: Path, n: int, env: dict, timeout: float = 3600) -> dict:
    """Time ``build.py serve`` as an editor meets it (issue 6: an edit shows in the served site within 2 s).

    Starts the preview on a free port, waits until it serves the lecture ``edit``, saves a
    new sentence into that file and polls the lecture's page over HTTP (every 20 ms) until
    the sentence is served; then waits for the preview's own message that the background
    full build has finished. The serve log is kept in ``work/serve-N.log``.

    Returns:
        ``{"ready_s": start → page served, "edit_visible_s": save → edited page served,
        "full_update_s": save → whole site updated}`` (seconds; ``None`` when not reached).
    """
    import socket
    import signal
    import urllib.request

    from jiangtang.slugs import slugify

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/lectures/{slugify(edit.stem)}/"
    log_path = work / f"serve-{n}.log"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def until(pred, limit: float) -> float | None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit:
            if pred():
                return time.monotonic() - t0
            time.sleep(0.02)
        return None

    out: dict = {"ready_s": None, "edit_visible_s": None, "full_update_s": None}
    with open(log_path, "w", encoding="utf-8") as log_file:
        proc = subprocess.Popen([PY, str(work / "snapshot" / "build.py"), "serve", "-f", str(hub / "mkdocs.yml"),
                                 "-a", f"127.0.0.1:{port}"], env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            out["ready_s"] = until(lambda: bool(page()), timeout)
            if out["ready_s"] is not None:
                time.sleep(2)  # let the watcher take its first snapshot
                marker = f"本段用于测量预览刷新{time.time_ns()}。"
                edit.write_text(edit.read_text("utf-8") + f"\n{marker}\n", "utf-8")
                t_save = time.monotonic()
                out["edit_visible_s"] = until(lambda: marker in page(), 120)
                done = until(lambda: "预览已全部更新" in log_path.read_text("utf-8"), timeout)
                out["full_update_s"] = None if done is None else time.monotonic() - t_save
                edit.write_text(edit.read_text("utf-8").replace(f"\n{marker}\n", ""), "utf-8")
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return out


def collect(n: int, work: Path, time_files: dict[str, Path], hf: dict | None = None) -> dict:
    """Results of size ``n`` from GNU time files (and hyperfine's JSON when there is one) and the built sites.

    Args:
        n: size.
        work: work folder holding ``site-jt-N``, ``site-mat-N``, ``site-hugo-N``.
        time_files: command name → file of ``wall user sys maxrss_kb`` lines; beside each
            ``time-X.txt`` a ``mem-X.jsonl`` of :mod:`peakmem` lines, when the command ran under it.
        hf: hyperfine results by command name; without it the median of the time files is used.

    Each command's ``peak_mib`` is the largest process-tree PSS over its runs (``pss_mib``)
    when the sampler ran, else GNU time's largest single RSS (``rss_mib``, always kept).
    """
    res: dict = {"n": n, "load": os.getloadavg()[0]}
    for name, path in time_files.items():
        rows = [line.split() for line in path.read_text().splitlines() if re.match(r"^[\d.]+ ", line)]
        if hf and name in hf:
            wall, cpu = hf[name]["median"], hf[name]["user"] + hf[name]["system"]
        else:
            walls = sorted(float(x[0]) for x in rows)
            wall = walls[len(walls) // 2]
            cpu = sorted(float(x[1]) + float(x[2]) for x in rows)[len(rows) // 2]
        rss = max(int(x[3]) for x in rows) / 1024 if rows else 0
        mem = path.with_name(path.name.replace("time-", "mem-", 1).removesuffix(".txt") + ".jsonl")
        pss = [json.loads(line) for line in mem.read_text().splitlines() if line.strip()] if mem.is_file() else []
        pss_mib = max(r["pss_peak_kib"] for r in pss) / 1024 if pss else None
        res[name] = {"wall_s": wall, "cpu_s": cpu, "peak_mib": rss if pss_mib is None else pss_mib,
                     "rss_mib": rss, "pss_mib": pss_mib, "max_procs": max((r["max_procs"] for r in pss), default=None)}
    out_jt, out_mat, out_hugo = work / f"site-jt-{n}", work / f"site-mat-{n}", work / f"site-hugo-{n}"
    lec_pages = [p for p in (out_jt / "lectures").glob("*/index.html") if p.parent.name != "page"]
    res["jt_page_b"], res["jt_page_max_b"] = _page_sizes(lec_pages)
    res["mat_page_b"], _ = _page_sizes(list((out_mat / "lectures").glob("*/*/index.html")))
    res["hugo_page_b"], _ = _page_sizes(list((out_hugo / "lectures").glob("*/*/index.html")))
    res["jt_bytes"], res["mat_bytes"], res["hugo_bytes"] = _du(out_jt), _du(out_mat), _du(out_hugo)
    out_zen = work / f"zensical-{n}" / "site"
    if "zensical_stub" in res and out_zen.is_dir():
        res["zen_page_b"], _ = _page_sizes(list((out_zen / "lectures").glob("*/*/index.html")))
        res["zen_bytes"] = _du(out_zen)
    res["first_query_b"], res["first_query_method"] = first_query_bytes(out_jt)
    idx = [p for p in (out_jt / "search" / "idx").rglob("*.js")]
    res["search_files"], res["search_bytes"] = len(idx), sum(p.stat().st_size for p in idx)
    return res


def summary_line(r: dict) -> str:
    """The one-line summary of one size, in the form the issue fixes, then extra fields.

    ``peak_mib`` is jiangtang's process-tree PSS peak (GNU time's RSS for runs made before the
    sampler existed); appended: ``rss_mib`` (GNU time), with the incremental runs ``nochange_pct`` (no-change
    rebuild as a percentage of the cold build) and ``serve_edit_s`` (:func:`serve_latency`), and, when Zensical
    ran, its time and ratio.
    """
    jt, mat, hugo = r["jiangtang"]["wall_s"], r["material_prune"]["wall_s"], r["hugo"]["wall_s"]
    line = (f"bench N={r['n']} jiangtang_s={jt:.1f} material_prune_s={mat:.1f} hugo_s={hugo:.1f} "
            f"ratio_material_prune={jt / mat:.2f} ratio_hugo={jt / hugo:.1f} peak_mib={r['jiangtang']['peak_mib']:.0f} "
            f"page_kb={r['jt_page_b'] / 1024:.0f} search_first_query_kb={r['first_query_b'] / 1024:.0f}")
    if "rss_mib" in r["jiangtang"]:
        line += f" rss_mib={r['jiangtang']['rss_mib']:.0f}"
    if "jiangtang_nochange" in r:
        line += f" nochange_pct={100 * r['jiangtang_nochange']['wall_s'] / jt:.1f}"
    if (r.get("serve") or {}).get("edit_visible_s") is not None:
        line += f" serve_edit_s={r['serve']['edit_visible_s']:.2f}"
    if "zensical_stub" in r:
        zen = r["zensical_stub"]["wall_s"]
        line += f" zensical_stub_s={zen:.1f} ratio_zensical_stub={jt / zen:.2f}"
    return line


def table(results: list[dict], runs: str) -> str:
    """Markdown report: one table of builds, one of jiangtang's phases and incremental builds."""
    lines = ["| N | 工具 | 墙钟 s | CPU s | 峰值内存 MiB（进程树 PSS） | 最大单进程 RSS MiB（GNU time） | 每篇讲稿 ms | 每篇 MiB "
             "| 输出 MB | 讲稿页 KB | 与 Material+prune 之比 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        n = r["n"]
        mat = r["material_prune"]["wall_s"]
        for name, page, size in (("jiangtang", r["jt_page_b"], r["jt_bytes"]),
                                 ("material_prune", r["mat_page_b"], r["mat_bytes"]),
                                 ("hugo", r["hugo_page_b"], r["hugo_bytes"]),
                                 ("zensical_stub", r.get("zen_page_b"), r.get("zen_bytes")),
                                 ("material_prune_bare", None, None),
                                 ("jiangtang_nochange", None, None), ("jiangtang_nochange_nostamp", None, None),
                                 ("jiangtang_edit1", None, None)):
            m = r.get(name)
            if m is None:
                continue
            pss = "—" if m.get("pss_mib") is None else f"{m['pss_mib']:.0f}"
            lines.append(f"| {n} | {name} | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | {pss} | {m.get('rss_mib', m['peak_mib']):.0f} | "
                         f"{1000 * m['wall_s'] / n:.2f} | {m['peak_mib'] / n:.3f} | "
                         f"{'' if size is None else f'{size / 1e6:.1f}'} | {'' if page is None else f'{page / 1024:.1f}'} | "
                         f"{m['wall_s'] / mat:.2f} |")
    lines += ["", "jiangtang 自身编译各阶段（单独进程、单次）与搜索索引：", "",
              "| N | 加载与校验 s | 生成页面 s | 搜索文档 s | 搜索索引 s | 索引文件数 | 索引 MB | 首次查询 KB（gzip） | 讲稿页最大 KB | 负载均值 |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        p = r.get("phases") or {}
        t = (lambda k: f"{p[k]:.2f}" if k in p else "—")
        lines.append(f"| {r['n']} | {t('load_s')} | {t('pages_s')} | {t('search_docs_s')} | {t('search_s')} | "
                     f"{r['search_files']} | {r['search_bytes'] / 1e6:.1f} | {r['first_query_b'] / 1024:.0f} | "
                     f"{r['jt_page_max_b'] / 1024:.1f} | {r['load']:.2f} |")
    inc = [r for r in results if "jiangtang_nochange" in r]
    if inc:
        lines += ["", "增量重建与预览（issue 6 第 4 项：无改动重建 < 冷构建的 10%，改一篇讲稿后 2 秒内在预览中可见）：", "",
                  "| N | 冷构建 s | 无改动重建 s（占冷构建） | 无改动、删去最新标记 s（占冷构建） | 改一篇后 `build` s "
                  "| 预览启动 s | 改一篇后预览可见 s | 预览全站更新 s |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in inc:
            cold = r["jiangtang"]["wall_s"]
            pct = (lambda k: f"{r[k]['wall_s']:.2f}（{100 * r[k]['wall_s'] / cold:.1f}%）" if k in r else "—")
            sv = r.get("serve") or {}
            f = (lambda k: "—" if sv.get(k) is None else f"{sv[k]:.2f}")
            lines.append(f"| {r['n']} | {cold:.1f} | {pct('jiangtang_nochange')} | {pct('jiangtang_nochange_nostamp')} | "
                         f"{r['jiangtang_edit1']['wall_s']:.1f} | {f('ready_s')} | {f('edit_visible_s')} | {f('full_update_s')} |")
        lines += ["", "无改动重建：输入（内容、配置、模板、程序与依赖版本、构建日期）和上次输出都未变时跳过生成（`jiangtang/stamp.py`）；"
                  "“删去最新标记”一列在每次运行前删除该标记，只靠页面缓存重建。预览：`build.py serve` 启动后保存一篇讲稿，"
                  "每 20 ms 请求该讲稿页面，直到页面含新加的句子（“预览可见”），再等后台全站构建完成（“全站更新”，讲稿列表、搜索等）。"]
    lines += ["", f"每个命令运行 {runs} 次，取中位数（hyperfine）。"
              "峰值内存（summary 中的 `peak_mib`）为 `benchmarks/peakmem.py` 每 0.2 s 对命令整个进程树的 PSS"
              "（`/proc/<pid>/smaps_rollup` 的 `Pss:`，共享页按共享进程数均摊，父子进程写时复制共享的页只计一次）求和所得的最大值，"
              "多次运行取最大；“最大单进程 RSS”为 GNU time 的 `%M`（只是最大的单个进程，多进程构建时偏低）。"
              "“—”表示该次运行未用采样器。每篇 MiB 按峰值内存计。",
              f"首次查询：查询“{QUERY}”时载入 {results[0]['first_query_method']}。" if results else ""]
    for r in results:
        if "sampler_overhead" in r:
            lines.append(f"采样器开销（N={r['n']}，同一次 hyperfine 中 Material + prune 带采样器 "
                         f"{r['material_prune']['wall_s']:.2f} s、不带（`material_prune_bare`，只有 GNU time）"
                         f"{r['material_prune_bare']['wall_s']:.2f} s，两者先后运行而非交替，受机器负载影响）："
                         f"{100 * r['sampler_overhead']:+.1f}%。")
    return "\n".join(lines) + "\n"


def touch(path: Path) -> None:
    """Edit one lecture: toggle a trailing sentence (used as hyperfine's ``--prepare``)."""
    text = path.read_text("utf-8")
    marker = "\n本段为性能测试的修改。\n"
    path.write_text(text[: -len(marker)] if text.endswith(marker) else text + marker, "utf-8")


def main(argv: list[str] | None = None) -> int:
    """CLI entry point (see the module docstring)."""
    p = argparse.ArgumentParser(description="jiangtang 性能基准：与 Material + prune、Hugo 同场对比")
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 3000, 10000])
    p.add_argument("--runs", type=int, default=0, help="每个命令的运行次数（默认：N≤1000 时 3 次，否则 1 次）")
    p.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/jt-bench")))
    p.add_argument("--results", type=Path, default=HERE / "results")
    p.add_argument("--incremental-max", type=int, default=10000,
                   help="只对不超过此规模的 N 测量无改动重建、改一篇重建和分阶段耗时（默认 10000）")
    p.add_argument("--no-zensical", action="store_true", help="不测量 Zensical")
    p.add_argument("--overhead-max", type=int, default=1000,
                   help="对不超过此规模的 N 另测一次不带内存采样器的 Material + prune，以估计采样器开销（默认 1000）")
    p.add_argument("--collect", type=int, metavar="N", help="不重新构建：从 time-*.txt 和已生成的站点汇总规模 N 的结果")
    p.add_argument("--merge", type=Path, nargs="+", metavar="JSON", help="把几次运行的 bench-*.json 合并成一份 latest.md")
    p.add_argument("--touch", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.merge:
        a.results.mkdir(parents=True, exist_ok=True)
        runs = [json.loads(f.read_text()) for f in a.merge]
        results = sorted((r for run in runs for r in run["results"]), key=lambda r: r["n"])
        a.sizes = [r["n"] for r in results]
        write_report(a, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), runs[-1]["machine"], runs[-1]["versions"], results)
        for r in results:
            print(summary_line(r))
        return 0
    if a.touch:
        touch(a.touch)
        return 0
    if a.collect:
        a.results.mkdir(parents=True, exist_ok=True)
        names = ("jiangtang", "material_prune", "hugo", "zensical_stub", "material_prune_bare",
                 "jiangtang_nochange", "jiangtang_nochange_nostamp", "jiangtang_edit1")
        files = {k: f for k in names for f in (a.work / f"time-{k}.txt", a.work / f"time-{a.collect}-{k}.txt") if f.is_file()}
        res = collect(a.collect, a.work, dict(sorted(files.items(), key=lambda kv: names.index(kv[0]))))
        a.sizes = [a.collect]
        write_report(a, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), _machine(), _versions(), [res])
        print(summary_line(res))
        return 0
    a.work.mkdir(parents=True, exist_ok=True)
    a.results.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = _machine()
    snapshot(a.work)
    results = []
    versions = _versions()
    zensical, note = (None, "未测量（--no-zensical）") if a.no_zensical else zensical_env(a.work)
    versions["zensical"] = f"{ZENSICAL}（单独的虚拟环境，替身主题）" if zensical else f"无法运行：{note}"
    for n in a.sizes:
        runs = a.runs or (3 if n <= 1000 else 1)
        results.append(bench_size(n, a.work, runs, incremental=n <= a.incremental_max, zensical=zensical,
                                  overhead=n <= a.overhead_max))
        print(summary_line(results[-1]), file=sys.stderr, flush=True)
        write_report(a, started, machine, versions, results)  # after each size: a long run keeps what it measured
    for r in results:
        print(summary_line(r))
    return 0


def zensical_note(versions: dict) -> str:
    """Paragraph of the report header on how (or why not) Zensical was measured."""
    v = versions.get("zensical", "")
    if v.startswith(ZENSICAL):
        return (f"`zensical_stub`：{ZENSICAL_LABEL}。Zensical {ZENSICAL} 装在工作目录下单独的虚拟环境中（`--no-deps`，"
                "其余依赖见 `benchmarks/zensical/requirements.txt`），`zensical_ui` 由 `benchmarks/zensical/zensical_ui` 代替："
                "只有一个 `main.html`（导航只列顶层栏目、页内目录、正文，与 Hugo 模板的工作量相同），没有 Material 的样式、脚本和搜索界面。"
                "它构建与 Material + prune 相同的讲稿树（同一 `mkdocs.yml`，另加 `site_dir: site`），每次冷构建前删除其 `.cache`；"
                "它仍会写出 `search.json`。与真实主题相比，模板更小，时间偏乐观。")
    return (f"Zensical：{v}。要测量它需要镜像提供 `zensical-ui==0.0.43`（Zensical 的主题包），"
            "或用 `benchmarks/zensical/zensical_ui` 的替身主题（见 `zensical_env`）。")


def write_report(a, started: str, machine: str, versions: dict, results: list[dict]) -> None:
    """Write the Markdown report and the raw JSON of ``results`` under ``a.results``."""
    report = [f"# 性能基准 {started}", "", f"机器：{machine}", "",
              "版本：" + "，".join(f"{k} {v}" for k, v in versions.items()), "",
              "对照组：同一批讲稿 Markdown 分别由 MkDocs + Material（`navigation.prune`，`plugins: []`，即不建 Material 搜索索引）"
              "和 Hugo（导航只列栏目的最小模板）生成。jiangtang 的时间包含内容校验、全部生成页面和站内搜索索引。", "",
              zensical_note(versions), "",
              table(results, str(a.runs) if a.runs else "N≤1000 时 3、更大时 1"), "```", *map(summary_line, results), "```", ""]
    text = "\n".join(report)
    stamp = started.replace("-", "").replace(" ", "-").replace(":", "")[:13]
    sizes = "-".join(map(str, a.sizes))
    (a.results / f"bench-{stamp}-N{sizes}.md").write_text(text, "utf-8")
    (a.results / "latest.md").write_text(text, "utf-8")
    (a.results / f"bench-{stamp}-N{sizes}.json").write_text(json.dumps({"machine": machine, "versions": versions,
                                                                        "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    raise SystemExit(main())
