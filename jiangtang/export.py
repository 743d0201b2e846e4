"""``python build.py export -d DIR``: the compiled hub as plain Markdown for another renderer.

Writes what the core produces without MkDocs (:class:`jiangtang.compiler.Site`):
every generated page as Markdown with front matter and every copied file under
``DIR/docs/``, plus a minimal ``DIR/mkdocs.yml`` (Material theme, the sections
navigation, our stylesheet and scripts, the Markdown extensions the pages use)
without the ``jiangtang`` plugin. Renderers that read ``mkdocs.yml`` but run no
third-party MkDocs plugins (Zensical, https://zensical.org) or plain
``mkdocs build`` can build that folder; this keeps the core renderer-independent.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import yaml

from .compiler import Site, compile_hub
from .diagnostics import HubError

log = logging.getLogger(__name__)

#: Markdown extensions the generated pages rely on (the plugin adds the same ones).
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html"]


def export(site: Site, out: Path) -> int:
    """Write ``site`` into ``out`` (``out/docs/`` and ``out/mkdocs.yml``; ``out/docs`` is replaced).

    Args:
        site: a compiled hub.
        out: target folder.

    Returns:
        The number of files written under ``docs/``.
    """
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    count = 0
    for path, text in site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        count += 1
    for path, data in site.files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            target.write_bytes(data)
        count += 1
    cfg = site.hub.config
    theme = {"name": "material", "language": "zh", "font": False}
    config = {
        "site_name": cfg.site_name,
        "theme": theme,
        "nav": [{title: path} for title, path in site.nav],
        "extra_css": list(site.extra_css),
        "extra_javascript": list(site.extra_javascript),
        "markdown_extensions": [{"toc": {"permalink": "¶"}}, *EXTENSIONS[1:]],
        "plugins": [],
    }
    (out / "mkdocs.yml").write_text("# jiangtang export：由 python build.py export 生成，可交给其他渲染器\n"
                                    + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return count


def add_parser(sub, common) -> None:
    """Register the ``export`` subcommand on an argparse subparsers object."""
    p = common(sub.add_parser("export", help="导出生成的 Markdown 页面和文件（供其他渲染器使用）"))
    p.add_argument("-d", "--dir", required=True, metavar="目录", help="导出目录（其中的 docs/ 会被覆盖）")


def run(args) -> int:
    """Run ``export``: compile the hub and write it out; exit 1 when the hub has errors."""
    try:
        site = compile_hub(args.config_file, strict=args.strict)
    except HubError as exc:
        print(exc.report.render("text"), file=sys.stderr)
        print("内容检查未通过，没有导出。", file=sys.stderr)
        return 1
    out = Path(args.dir)
    count = export(site, out)
    print(f"已导出 {count} 个文件到 {out}（docs/ 与 mkdocs.yml）。", file=sys.stderr)
    return 0


__all__ = ["export", "add_parser", "run"]
