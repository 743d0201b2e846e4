"""The MkDocs plugin ``jiangtang``: a thin shell that hands the compiled hub to MkDocs.

Events (https://www.mkdocs.org/dev-guide/plugins/#events):

* ``on_config`` compiles the hub (failing the build with every located error),
  turns off Material's Google Fonts, adds our theme overrides, Markdown
  extensions, pinyin heading ids, stylesheet and navigation;
* ``on_files`` adds the generated pages and copied files as virtual files
  (nothing is written into the hub's folders) and gives hand-written pages with
  Chinese file names ASCII output paths;
* ``on_serve`` watches ``lectures/``, ``speakers/`` and ``sessions/``.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import cache as cache_mod
from . import progress, publish, search, stamp, workers
from .compiler import Site, compile_hub
from .diagnostics import HubError
from .slugs import heading_slugify, slugify

log = logging.getLogger("mkdocs.plugins.jiangtang")

THEME_DIR = Path(__file__).parent / "theme"
CONTENT_DIRS = ("lectures", "speakers", "sessions")


_preset: tuple[Path, Site] | None = None
#: Page cache use of the last build: ``reused`` (copied from the cache) and ``stored`` (rendered and cached).
cache_stats: dict[str, int] = {"reused": 0, "stored": 0}
#: Pages rendered by :meth:`JiangtangPlugin._render_pages` in the last build, and by how many processes.
render_stats: dict[str, int] = {"pages": 0, "processes": 0}


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning about "dirty" builds: ``build.py`` builds dirty into an empty folder, only to let the
    page cache skip cache hits (see :meth:`JiangtangPlugin._plan`), so the warning does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def preset(config_file: Path | None, site: Site | None) -> None:
    """Hand an already compiled :class:`Site` to the next ``on_config`` for ``config_file``.

    ``build.py`` checks the hub before calling MkDocs; this spares compiling it
    twice. Used once: later rebuilds (``serve``) compile afresh.
    """
    global _preset
    _preset = (config_file.resolve(), site) if config_file and site else None


def _take_preset(config_file: str) -> Site | None:
    global _preset
    if _preset and _preset[0] == Path(config_file).resolve():
        site, _preset = _preset[1], None
        return site
    return None


class JiangtangConfig(base.Config):
    """Options of the ``jiangtang`` plugin block (content contract v1, "Vocabularies").

    Values are checked by the core (:mod:`jiangtang.config`) with located
    messages, so the types here only admit what YAML can hold.
    """

    teams = c.Optional(c.Type(list))
    classrooms = c.Optional(c.Type(dict))
    modes = c.Optional(c.Type(list))
    towns = c.Optional(c.Type(list))
    #: How to order a lecture (点单式宣讲): an office and its office phone or mailbox, Markdown; read by
    #: :mod:`jiangtang.menu` from ``HubConfig.options``. Never a speaker's personal number.
    contact = c.Optional(c.Type(str))
    strict = c.Type(bool, default=False)


class JiangtangPlugin(BasePlugin[JiangtangConfig]):
    """Compiles the hub in ``on_config`` and injects its pages in ``on_files``."""

    site: Site | None = None
    #: Set by :class:`PageRenderer`: MkDocs' state is prepared to render chosen pages, not a whole site.
    single_pages: bool = False

    def on_config(self, config):
        """Compile the hub and adapt the MkDocs config.

        Args:
            config: the MkDocs config (``config_file_path`` locates the hub).

        Returns:
            The same config, changed in place.

        Raises:
            PluginError: when the hub has errors (each is logged as
                ``path:line:col: JTnnn …`` first).
        """
        preset_site = _take_preset(config.config_file_path)  # build.py already printed its report
        if preset_site is not None and preset_site.directory_urls != config.use_directory_urls:
            preset_site = None  # compiled for the other URL style
        try:
            self.site = preset_site or compile_hub(config.config_file_path, strict=self.config.strict,
                                                     search_index=False,  # built in on_env
                                                     directory_urls=config.use_directory_urls)
        except HubError as exc:
            for d in exc.report.sorted():
                (log.error if d.severity == "error" else log.warning)(d.format())
            raise PluginError(f"内容检查未通过：{len(exc.report.errors)} 个错误，{len(exc.report.warnings)} 个警告。"
                              "请按上面的提示修改后重试（python build.py check 可单独检查）。") from None
        if preset_site is None:
            for d in self.site.report.warnings:
                log.warning(d.format())
        theme = config.theme
        theme["font"] = False  # Material loads Google Fonts otherwise: no request to another host
        if getattr(theme, "custom_dir", None):
            theme.dirs.insert(1, str(THEME_DIR))
        else:
            theme.dirs.insert(0, str(THEME_DIR))
        for ext in ("toc", "tables", "attr_list", "md_in_html"):
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        config.mdx_configs.setdefault("toc", {})
        config.mdx_configs["toc"]["slugify"] = heading_slugify
        config.mdx_configs["toc"].setdefault("permalink", "¶")
        for css in self.site.extra_css:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in self.site.extra_javascript:
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        config.nav = self._nav(config)
        config.validation.nav.omitted_files = logging.DEBUG
        return config

    def _nav(self, config) -> list:
        ours = [{title: path} for title, path in self.site.nav]
        if config.nav is None:
            docs = Path(config.docs_dir)
            extra = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                           if p.name != "index.md" or p.parent != docs) if docs.is_dir() else []
            return ours + [p for p in extra if not any(part.startswith(".") for part in p.split("/"))]
        present = {str(v) for item in config.nav for v in (item.values() if isinstance(item, dict) else [item])}
        missing = [item for item in ours if next(iter(item.values())) not in present]
        return [*ours[:1], *(m for m in missing if m != ours[0]), *config.nav] if missing else list(config.nav)

    def on_files(self, files: Files, config) -> Files:
        """Add the generated pages and files; give Chinese-named docs pages ASCII output paths."""
        site = self.site
        for f in list(files):
            if f.src_uri in site.pages or f.src_uri in site.files:
                if f.src_uri != "index.md":
                    log.warning(f"docs/{f.src_uri} 与生成的页面同名，已使用生成的页面")
                files.remove(f)
            elif not f.dest_uri.isascii():
                f.dest_uri = _ascii_uri(f.dest_uri)
        for path in site.pages:  # MkDocs reads each page from its file (jiangtang.pagestore) when it renders it
            files.append(File.generated(config, path, abs_src_path=str(site.pages.file(path))))
        for path, data in site.files.items():
            if isinstance(data, Path):
                files.append(File.generated(config, path, abs_src_path=str(data)))
            else:
                files.append(File.generated(config, path, content=data))
        for path, data in publish.extra_files(site.hub, config, {f.dest_uri for f in files}).items():
            files.append(File.generated(config, path, content=data))  # redirect pages, robots.txt
        self.files = files
        self._plan(files, config)
        return files

    def on_startup(self, *, command, dirty):
        """Remember the command and whether builds are "dirty" (:meth:`_plan` relies on both)."""
        self.command, self.dirty = command, dirty

    def _plan(self, files: Files, config) -> None:
        """Decide who renders each generated page: the cache, MkDocs, or :meth:`_render_pages`.

        Pages whose HTML is cached are marked unmodified, so MkDocs skips them
        (see :mod:`jiangtang.cache`). In a dirty ``build`` (``build.py build``)
        the other generated pages outside the navigation are marked unmodified
        too and rendered by :meth:`on_env` on every core (see :mod:`jiangtang.workers`).
        Both rely on ``build(dirty=True)``/``serve --dirty``, which ``build.py`` uses:
        every other page reports itself modified. Pages in the navigation are always
        rendered by MkDocs; both are off when another plugin could change page HTML.
        """
        self.cache, self.skipped, self.to_store, self.deferred = None, {}, {}, []
        cache_stats.update(reused=0, stored=0)
        render_stats.update(pages=0, processes=0)
        pages = [f for f in files if f.is_documentation_page()]
        for f in pages:
            f.is_modified = _always
        alone = set(config.plugins) == {"jiangtang"}
        in_nav = set(_nav_paths(config.nav))
        ours = [f for f in pages if f.src_uri in self.site.pages and f.src_uri not in in_nav]
        if cache_mod.enabled() and alone and not self.single_pages:  # PageRenderer's keys would go stale
            from importlib.metadata import version

            root = Path(config.config_file_path).parent
            theme = config.theme
            extra = [repr(config.nav), repr(sorted(map(str, config.extra_css))), repr([str(j) for j in config.extra_javascript]),
                     repr(sorted(theme.items(), key=str)), str(config.use_directory_urls),
                     str(config.site_url), repr(config.markdown_extensions), self.site.hub.today.isoformat(),
                     cache_mod.tree_digest(Path(config.docs_dir)), stamp.config_digest(Path(config.config_file_path))]
            fp = cache_mod.fingerprint(config_file=Path(config.config_file_path), template_dirs=theme.dirs, extra=extra,
                                       versions={d: version(d) for d in ("mkdocs", "mkdocs-material", "Markdown",
                                                                         "pymdown-extensions", "Jinja2", "Pygments")})
            self.cache = cache_mod.PageCache(root / cache_mod.CACHE_DIR, fp)
            for f in ours:
                key = self.cache.key(f.src_uri, self.site.pages.digest(f.src_uri))  # no need to read the page
                if self.cache.lookup(key):
                    self.skipped[f.dest_uri] = key
                    f.is_modified = _never
                else:
                    self.to_store[f.src_uri] = key
        if alone and getattr(self, "dirty", False) and getattr(self, "command", None) == "build":
            self.deferred = [f for f in ours if f.dest_uri not in self.skipped]
            for f in self.deferred:
                f.is_modified = _never
        self._pooling = False
        progress.stage("渲染页面", len(pages) - len(self.skipped) - len(self.deferred))

    def on_nav(self, nav, config, files):
        """Keep the navigation for :meth:`_render_pages`."""
        self.nav = nav
        return nav

    def _render_pages(self, config, files, env) -> None:
        """Render and write the deferred pages on every core (:func:`jiangtang.workers.share_work`).

        Each page goes through MkDocs' own per-page steps (``_populate_page`` then
        ``_build_page`` of ``mkdocs.commands.build``, the functions its build loop
        calls), so the HTML is the same as MkDocs would write; its Markdown, HTML and
        table of contents are dropped once written, which keeps memory flat however
        many pages there are. Anchors of links in lecture bodies are checked by the core
        (:mod:`jiangtang.hub`, JT054), so MkDocs' own anchor check, which needs every
        page's anchors in one process, is not missed.

        Raises:
            PluginError: a page failed in a helper process.
        """
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel
        from mkdocs.structure.toc import TableOfContents

        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        deferred = self.deferred

        def work(i: int) -> None:
            page = deferred[i].page
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, self.nav, env)
            # Written: drop what only its own rendering needed (about 15 KB a page). MkDocs' later check of
            # links to anchors skips pages without these, as it does cache hits; the core checked them.
            page.markdown = page.content = page.present_anchor_ids = page.links_to_anchors = None
            page.toc = TableOfContents([])

        progress.stage("渲染页面", len(deferred))
        self._pooling = True
        try:
            used = workers.share_work(len(deferred), work, done=progress.set_completed, in_helper=progress.silence)
            render_stats.update(pages=len(deferred), processes=used)
        except workers.WorkerError as exc:
            raise PluginError(f"页面生成失败：{exc}") from None
        finally:
            self._pooling = False

    def _write_search(self, config, parallel: bool) -> None:
        """Write the search index into the site folder: built there directly with the cache off, else
        hard-linked (copied across file systems) from :func:`jiangtang.search.cached_search_dir`, whose
        files nothing changes afterwards. With ``parallel`` its passes run on every core
        (:func:`jiangtang.workers.share_work`)."""
        site_dir = Path(config.site_dir)
        progress.stage("搜索索引")
        spread = (lambda n, fn: workers.share_work(n, fn, batch=1, in_helper=progress.silence)) if parallel else None
        if not cache_mod.enabled():
            search.write_search(self.site.search_docs, site_dir, map_items=spread)
            return
        folder = search.cached_search_dir(Path(config.config_file_path), self.site.search_docs, map_items=spread)
        shutil.copytree(folder / "search", site_dir / "search", dirs_exist_ok=True, copy_function=_link_or_copy)

    def on_template_context(self, context, template_name, config):
        """Give the 404 page URLs that work at any depth (see :mod:`jiangtang.publish`)."""
        if template_name == "404.html":
            publish.error_page_context(context, config, self.files)
        return context

    def on_page_content(self, html, page, config, files):
        """Count a page converted from Markdown (progress bar stage 渲染页面)."""
        if not self._pooling:
            progress.advance()
        return html

    def on_env(self, env, config, files):
        """Write the search index, render the deferred pages (:meth:`_render_pages`); MkDocs then writes
        the rest (stage 写入页面)."""
        if self.single_pages:  # PageRenderer: no site is being written
            return env
        self._write_search(config, parallel=bool(self.deferred))
        self.site.search_docs = []  # written: the page renderers need not share them
        if self.deferred:
            self._render_pages(config, files, env)
        progress.stage("写入页面", sum(1 for f in files if f.is_documentation_page() and f.is_modified()))
        return env

    def on_page_context(self, context, page, config, nav):
        """Escape the page description that Material writes into a ``<meta>`` attribute."""
        publish.escape_description(page)
        return context

    def on_post_page(self, output, page, config):
        """Rewrite the two Material constructs the Nu HTML Checker rejects (see :func:`jiangtang.publish.fix_markup`)."""
        output = publish.fix_markup(output)
        key = self.to_store.get(page.file.src_uri) if getattr(self, "cache", None) else None
        if key:
            self.cache.put(key, output.encode("utf-8"))
        if not self._pooling:
            progress.advance()
        return output

    def on_post_template(self, output_content, template_name, config):
        """Same markup fixes for theme templates (the 404 page)."""
        return publish.fix_markup(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config):
        """Drop an empty sitemap when ``site_url`` is unset (see :mod:`jiangtang.publish`)."""
        if getattr(self, "cache", None):
            site_dir = Path(config.site_dir)
            for dest, key in self.skipped.items():
                self.cache.place(key, site_dir / dest)
            self.cache.prune()
            cache_stats.update(reused=len(self.skipped), stored=len(self.to_store))
        publish.post_build(config)

    def on_serve(self, server, config, builder):
        """Rebuild when content files change (``mkdocs serve`` watches only ``docs/`` by itself)."""
        root = Path(config.config_file_path).parent
        for name in CONTENT_DIRS:
            if (root / name).is_dir():
                server.watch(str(root / name))
        return server


class PageRenderer:
    """MkDocs' state for a compiled :class:`Site`, kept to re-render chosen pages one by one.

    ``build.py serve`` (:mod:`jiangtang.preview`) uses it to show a saved lecture at once:
    it runs the steps of ``mkdocs.commands.build.build`` up to the ``env`` event (config,
    files, navigation, theme; the pages of the navigation read and converted, as a build
    does before writing any page) but writes nothing, then :meth:`render` runs MkDocs' own
    per-page steps (``_populate_page``, ``_build_page``) for one page, so its HTML is the
    HTML a full build writes (tested in ``tests/test_preview.py``). The page cache is not
    written from here (its keys were computed for the pages as they were).

    Args:
        config_file: the hub's ``mkdocs.yml``.
        site: the compiled site (its page store is what :meth:`render` reads).
        site_dir: where pages are written (a site a full build wrote).
        overrides: further ``load_config`` options (e.g. ``docs_dir``).

    Raises:
        mkdocs.exceptions.PluginError / ConfigurationError: as a build would.
    """

    def __init__(self, config_file: Path, site: Site, site_dir: Path, **overrides) -> None:
        from mkdocs.commands.build import _populate_page
        from mkdocs.config import load_config
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        preset(config_file, site)
        try:
            cfg = load_config(config_file=str(config_file), site_dir=str(site_dir), **overrides)
            cfg.plugins.on_startup(command="serve", dirty=True)
            ours = next(p for p in cfg.plugins.values() if isinstance(p, JiangtangPlugin))
            ours.single_pages = True
            cfg = cfg.plugins.on_config(cfg)
            cfg.plugins.on_pre_build(config=cfg)
            files = get_files(cfg)
            env = cfg.theme.get_env()
            files.add_files_from_theme(env, cfg)
            files = cfg.plugins.on_files(files, config=cfg)
            set_exclusions(files, cfg)
            nav = get_navigation(files, cfg)
            nav = cfg.plugins.on_nav(nav, config=cfg, files=files)
            for page in nav.pages:  # a build reads these before it writes any page: their titles are in every page
                _populate_page(page, cfg, files)
            self.env = cfg.plugins.on_env(env, config=cfg, files=files)
        finally:
            preset(None, None)
        self.config, self.files, self.nav = cfg, files, nav
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)

    def render(self, src_uri: str) -> Path:
        """Render the page whose source path is ``src_uri`` (e.g. ``lectures/x/index.md``) and write it.

        Returns:
            The written HTML file.

        Raises:
            KeyError: no such page in the site.
            jinja2.TemplateError, mkdocs.exceptions.MkDocsException: as in a build.
        """
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.pages import Page

        file = self.files.get_file_from_path(src_uri)
        if file is None or not file.is_documentation_page():
            raise KeyError(src_uri)
        page = file.page or Page(None, file, self.config)
        _populate_page(page, self.config, self.files)
        _build_page(page, self.config, self.doc_files, self.nav, self.env)
        if page not in self.nav.pages:
            page.markdown = page.content = None
        return Path(file.abs_dest_path)


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link ``src`` to ``dst`` (a cached file that is never changed), copying when linking is impossible."""
    try:
        if os.path.lexists(dst):
            os.unlink(dst)
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _nav_paths(nav) -> list[str]:
    """Every page path of a MkDocs ``nav`` setting (nested lists and ``{title: path}`` items)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _nav_paths(v)]
    if isinstance(nav, list):
        return [p for v in nav for p in _nav_paths(v)]
    return []


def _ascii_uri(uri: str) -> str:
    """``关于本站/index.html`` → ``guan-yu-ben-zhan/index.html``: romanise each non-ASCII path part."""
    parts = uri.split("/")
    out = []
    for part in parts:
        if part.isascii():
            out.append(part)
            continue
        stem, dot, ext = part.rpartition(".") if "." in part else (part, "", "")
        out.append((slugify(stem) or "page") + (dot + ext if dot else ""))
    return "/".join(out)
