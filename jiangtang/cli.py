"""Command line: ``python build.py build|serve|check …`` (Chinese messages, no tracebacks for user errors).

Options follow MkDocs (``-f/--config-file``, ``-d/--site-dir``). ``build`` and
``serve`` refuse a hub that ``check`` rejects. ``build`` writes into a temporary
folder beside the output and swaps it in only after a complete build, so a
failed build leaves the previous site untouched.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import cache, encoding, export, offline, permalinks, progress, scaffold, stamp
from .compiler import compile_hub
from .diagnostics import HubError, Report
from .hub import load_hub

log = logging.getLogger(__name__)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3


class _ZhParser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own messages are English; say it in Chinese
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}（运行 python build.py -h 查看用法）", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _ZhParser(prog="python build.py", description="jiangtang（讲堂）：理论学习内容中心静态站点生成器")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_ZhParser)

    def common(sp):
        sp.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="MKDOCS_YML", help="站点配置文件（默认 mkdocs.yml）")
        sp.add_argument("--strict", action="store_true", help="警告也视为错误")
        return sp

    b = common(sub.add_parser("build", help="检查内容并生成站点"))
    b.add_argument("-d", "--site-dir", default=None, metavar="目录", help="输出目录（默认为配置文件旁的 site/）")
    b.add_argument("-q", "--quiet", action="store_true", help="只输出错误和一行总结")
    b.add_argument("--offline", action="store_true", help="离线版：不用服务器，双击 index.html 即可浏览（用于内网、U 盘）")
    pk = common(sub.add_parser("pack", help="生成离线版站点并打包成 zip（用于内网、U 盘）"))
    pk.add_argument("-o", "--output", default=None, metavar="ZIP", help="压缩包路径（默认为配置文件旁的 site-offline.zip）")
    pl = common(sub.add_parser("permalinks", help="检查页面地址是否与 permalinks.lock 一致；--update 更新锁定文件"))
    pl.add_argument("--update", action="store_true", help="按当前内容更新 permalinks.lock，并为改了地址的页面生成跳转")
    s = common(sub.add_parser("serve", help="检查内容并在本机预览（保存即刷新）"))
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:端口", help="预览地址（默认 127.0.0.1:8000）")
    ch = common(sub.add_parser("check", help="只检查内容，报告全部问题"))
    ch.add_argument("--format", choices=("text", "github", "json"), default="text", help="输出格式：text、github（PR 注释）、json")
    scaffold.add_parser(sub, common)
    encoding.add_parser(sub)
    export.add_parser(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 content errors, 2 usage, 3 build failure)."""
    args = _parser().parse_args(argv)
    if not args.command:
        _parser().print_help()
        return EXIT_USAGE
    if args.command == "fix-encoding":
        return encoding.run(args)
    config = Path(args.config_file)
    if not config.is_file():
        print(f"找不到站点配置文件：{config}（用 -f 指定 mkdocs.yml 的路径）", file=sys.stderr)
        return EXIT_USAGE
    try:
        return {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "pack": cmd_pack,
                "permalinks": cmd_permalinks, "new": scaffold.run, "export": export.run}[args.command](args)
    except KeyboardInterrupt:
        print("\n已停止。", file=sys.stderr)
        return 130


def _print_report(report: Report, fmt: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    text = report.render(fmt)
    if text:
        print(text, file=stream)


def _summary(report: Report) -> str:
    return f"{len(report.errors)} 个错误，{len(report.warnings)} 个警告"


def cmd_check(args) -> int:
    """``check``: validate the whole hub and print every diagnostic, sorted by file and line."""
    hub, report = load_hub(args.config_file)
    out = sys.stdout if args.format in ("github", "json") else sys.stderr
    _print_report(report, args.format, out)
    failed = report.failed(args.strict)
    if args.format == "text":
        if failed:
            print(f"检查未通过：{_summary(report)}。", file=sys.stderr)
        else:
            counts = f"讲稿 {len(hub.lectures)} 篇，宣讲员 {len(hub.speakers)} 人，宣讲记录 {len(hub.sessions)} 条" if hub else ""
            print(f"检查通过：{counts}；{_summary(report)}。", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    mk = logging.getLogger("mkdocs")
    mk.handlers[:] = [handler]
    mk.setLevel(logging.INFO if verbose else logging.WARNING)
    mk.propagate = False


def _compile_or_report(args):
    try:
        return compile_hub(args.config_file, strict=args.strict, search_index=False,  # built by the plugin
                           directory_urls=False if getattr(args, "offline", False) else None)
    except HubError as exc:
        _print_report(exc.report)
        print(f"内容检查未通过：{_summary(exc.report)}。站点没有生成，原有站点保持不变。", file=sys.stderr)
        return None


def cmd_build(args) -> int:
    """``build``: check, render with MkDocs into a temporary folder, then swap it into place."""
    from jinja2 import TemplateError
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from . import plugin

    started = time.perf_counter()
    config_file = Path(args.config_file).resolve()
    site_dir = Path(args.site_dir).resolve() if args.site_dir else config_file.parent / "site"
    inputs = ""
    if getattr(args, "stamp", True) and cache.enabled():
        inputs = stamp.inputs_digest(config_file, site_dir, {"strict": args.strict, "offline": getattr(args, "offline", False)})
        same = stamp.fresh(config_file, site_dir, inputs)
        if same is not None:  # inputs and output as the last build left them: nothing to do (jiangtang.stamp)
            _print_report(same["report"])
            print(f"站点已是最新：{site_dir}（内容、配置和程序与上次生成时相同，未重新生成；{same['pages']} 个生成页面，"
                  f"{time.perf_counter() - started:.1f} 秒；{_summary(same['report'])}）", file=sys.stderr)
            return EXIT_OK
    with progress.showing(progress.wanted(getattr(args, "quiet", False))):
        site = _compile_or_report(args)
    if site is None:
        return EXIT_CONTENT
    _print_report(site.report)
    refusal = unsafe_site_dir(site_dir, site.hub.config)
    if refusal:
        print(f"输出目录不安全：{refusal}。请用 -d 指定一个新的或之前生成站点的目录。", file=sys.stderr)
        return EXIT_USAGE
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _sweep(site_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-{os.getpid()}-", dir=site_dir.parent))
    _setup_logging(verbose=False)
    plugin.preset(config_file, site)
    try:
        cfg = load_config(config_file=str(config_file), site_dir=str(tmp), strict=args.strict,
                          **_docs_dir_override(site.hub.config, tmp))
        if getattr(args, "offline", False):
            offline.apply(cfg)
        cfg.plugins.on_startup(command="build", dirty=True)
        try:
            with progress.showing(progress.wanted(getattr(args, "quiet", False))):
                build(cfg, dirty=True)  # into an empty folder: "dirty" only lets the page cache skip hits (jiangtang.cache)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, MkDocsException, SystemExit) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"生成失败：{exc}。原有站点保持不变。", file=sys.stderr)
        return EXIT_BUILD
    except TemplateError as exc:  # a broken template override (theme.custom_dir): located, no traceback
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"生成失败：{_template_error(exc)}。原有站点保持不变。", file=sys.stderr)
        return EXIT_BUILD
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        plugin.preset(None, None)
        shutil.rmtree(tmp.with_name(tmp.name + "-docs"), ignore_errors=True)
    _swap(tmp, site_dir)
    if inputs:
        stamp.record(config_file, site_dir, inputs, len(site.pages), site.report)
    elapsed = time.perf_counter() - started
    notes = f"，复用缓存 {plugin.cache_stats['reused']} 页" if plugin.cache_stats["reused"] else ""
    if plugin.render_stats["processes"] > 1:
        notes += f"，{plugin.render_stats['processes']} 个进程并行渲染"
    print(f"站点已生成：{site_dir}（{len(site.pages)} 个生成页面{notes}，{elapsed:.1f} 秒；{_summary(site.report)}）", file=sys.stderr)
    return EXIT_OK


def _template_error(exc) -> str:
    """``模板错误：overrides/main.html:1: 'Page' has no attribute 'x'``: where a Jinja template failed, from the
    exception (syntax errors carry file and line) or else the innermost template frame of its traceback."""
    where = ""
    if getattr(exc, "filename", None) and getattr(exc, "lineno", None):
        where = f"{exc.filename}:{exc.lineno}: "
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".j2"))]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}: "
    return f"模板错误（检查 theme.custom_dir 中覆盖的模板）：{where}{exc}"


def cmd_pack(args) -> int:
    """``pack``: build the offline site into a temporary folder and zip it (:func:`jiangtang.offline.pack`)."""
    config_file = Path(args.config_file).resolve()
    out = Path(args.output).resolve() if args.output else config_file.parent / "site-offline.zip"
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=out.parent) as tmp:
        args.site_dir, args.offline, args.quiet, args.stamp = str(Path(tmp) / "site"), True, True, False
        code = cmd_build(args)
        if code != EXIT_OK:
            return code
        count = offline.pack(Path(args.site_dir), out)
    print(f"离线压缩包已生成：{out}（{count} 个文件）。解压后双击 site/index.html 即可浏览。", file=sys.stderr)
    return EXIT_OK


def cmd_permalinks(args) -> int:
    """``permalinks``: report pages whose address left ``permalinks.lock``; ``--update`` rewrites the lock."""
    hub, report = load_hub(args.config_file)
    ours = {"JT090", "JT091", "JT093"}
    other = [d for d in report.errors if d.code not in ours]
    if hub is None or other:
        _print_report(report)
        print("内容有其他错误，请先修正（python build.py check），再更新永久链接。", file=sys.stderr)
        return EXIT_CONTENT
    if not args.update:
        mine = Report()
        mine.extend(d for d in report.sorted() if d.code in ours)
        _print_report(mine)
        if not permalinks.lock_path(hub).is_file():
            print("还没有 permalinks.lock：运行 python build.py permalinks --update 生成。", file=sys.stderr)
            return EXIT_CONTENT
        print("永久链接检查未通过。" if mine.items else "永久链接检查通过：所有已发布页面的地址都没有变。", file=sys.stderr)
        return EXIT_CONTENT if mine.items else EXIT_OK
    path, changes = permalinks.update(hub)
    for line in changes:
        print(f"  {line}", file=sys.stderr)
    print(f"已更新 {path}（{len(changes)} 处变化）。请把它和内容改动一起提交。", file=sys.stderr)
    return EXIT_OK


#: Files a folder must hold to count as a previous build that ``build -d`` may replace.
_SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")


def unsafe_site_dir(site_dir: Path, config) -> str:
    """Why ``site_dir`` must not be replaced by a build, or ``""`` when it may.

    A build replaces its output folder whole, so the folder must not be (or
    contain) the hub, must not lie inside the hub's content or docs folders, and,
    when it exists and is not empty, must look like a site built before.
    """
    root = config.root.resolve()
    protected = [config.docs_dir.resolve(), *(root / name for name in ("lectures", "speakers", "sessions"))]
    if site_dir == root or root.is_relative_to(site_dir):
        return f"{site_dir} 是站点目录本身或包含它，生成时会被整体替换"
    for folder in protected:
        if site_dir.is_relative_to(folder):
            return f"{site_dir} 位于内容目录 {folder.name}/ 之内"
    if site_dir.is_file():
        return f"{site_dir} 是一个文件"
    if site_dir.is_dir() and any(site_dir.iterdir()) and not any((site_dir / m).is_file() for m in _SITE_MARKERS):
        return f"{site_dir} 不是空目录，也不像之前生成的站点（没有 index.html）"
    return ""


def _docs_dir_override(config, tmp: Path) -> dict:
    """MkDocs refuses a missing ``docs_dir``; the contract needs none: lend an empty folder."""
    if config.docs_dir.is_dir():
        return {}
    empty = tmp.with_name(tmp.name + "-docs")
    empty.mkdir(exist_ok=True)
    return {"docs_dir": str(empty)}


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (the old site survives until the last moment).

    Ctrl+C and ``kill`` are held back between the two renames, so ``target`` is never left
    missing; an old site whose deletion was interrupted is removed by the next build (:func:`_sweep`).
    """
    old = None
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(new, target)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sweep(site_dir: Path) -> None:
    """Delete what interrupted builds into ``site_dir`` left beside it: ``.<name>.tmp-<pid>-…`` and
    ``.<name>.old-<pid>`` folders whose build process is gone."""
    pattern = re.compile(rf"^\.{re.escape(site_dir.name)}\.(?:tmp-(\d+)-.*|old-(\d+))$")
    for entry in site_dir.parent.iterdir() if site_dir.parent.is_dir() else ():
        m = pattern.match(entry.name)
        if not m or not entry.is_dir():
            continue
        pid = int(m.group(1) or m.group(2))
        try:
            os.kill(pid, 0)
            alive = pid != os.getpid()
        except ProcessLookupError:
            alive = False
        except PermissionError:
            alive = True
        if not alive:
            shutil.rmtree(entry, ignore_errors=True)


def cmd_serve(args) -> int:
    """``serve``: check, build the preview and serve it; a saved lecture shows at once, the rest follows
    (:mod:`jiangtang.preview`)."""
    from mkdocs.exceptions import Abort, MkDocsException

    from . import preview

    site = _compile_or_report(args)
    if site is None:
        return EXIT_CONTENT
    _print_report(site.report)
    _setup_logging(verbose=False)
    lend = Path(tempfile.mkdtemp(prefix=".jiangtang-serve-"))
    try:
        return preview.run(Path(args.config_file).resolve(), site, args.dev_addr, strict=args.strict,
                           overrides=_docs_dir_override(site.hub.config, lend))
    except (Abort, MkDocsException) as exc:
        print(f"预览失败：{exc}", file=sys.stderr)
        return EXIT_BUILD
    except OSError as exc:  # the address is taken, …
        print(f"预览失败：{exc}（用 -a 换一个端口，例如 -a 127.0.0.1:8001）", file=sys.stderr)
        return EXIT_BUILD
    finally:
        shutil.rmtree(lend.with_name(lend.name + "-docs"), ignore_errors=True)
        shutil.rmtree(lend, ignore_errors=True)
