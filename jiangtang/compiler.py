"""The compiler: a hub folder → a renderer-independent :class:`Site`.

This is the core's entry point. It never imports MkDocs; :mod:`jiangtang.plugin`
hands the result to MkDocs, and another renderer could take it as well.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .diagnostics import HubError, Report
from .hub import Hub, load_hub
from .mdtext import headings, plain_text
from .discover import add_discovery
from .pages import Pages, page_path, strip_front_matter
from .pagestore import PageStore
from . import cache, progress, search
from .search.doc import SearchDoc

log = logging.getLogger(__name__)

#: Our own stylesheet, shipped in the package and copied into every site.
CSS_PATH = "assets/jiangtang/jiangtang.css"
#: Reader aids: the font-size switch (``theme/partials/jt_fontsize.html`` applies the
#: remembered choice) and keyboard access to wide tables.
FONTSIZE_ASSETS = (("fontsize.css", "css"), ("fontsize.js", "js"), ("a11y.js", "js"))


@dataclass
class Site:
    """A compiled hub, ready for a renderer.

    Attributes:
        hub: the loaded hub.
        pages: source path (POSIX, ``.md``) → Markdown with front matter (a :class:`~jiangtang.pagestore.PageStore`: the text lives on disk).
        files: site path → bytes or a source :class:`~pathlib.Path`, copied verbatim.
        nav: ``(title, source path)`` of the top-level sections, in order.
        extra_css / extra_javascript: site paths to load on every page.
        search_docs: what the search index is built from.
        report: the validation report (warnings only when compilation succeeded).
        directory_urls: the URL style the pages were generated for (``use_directory_urls``).
        generator: the :class:`~jiangtang.pages.Pages` that wrote ``pages`` (kept for :func:`update_lectures`).
    """

    hub: Hub
    pages: PageStore
    files: dict[str, bytes | Path] = field(default_factory=dict)
    nav: list[tuple[str, str]] = field(default_factory=list)
    extra_css: list[str] = field(default_factory=list)
    extra_javascript: list[str] = field(default_factory=list)
    search_docs: list[SearchDoc] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    directory_urls: bool = True
    generator: Pages | None = None


def compile_hub(config_path: str | Path, today: dt.date | None = None, strict: bool = False,
                search_index: bool = True, directory_urls: bool | None = None) -> Site:
    """Load, validate and compile a hub.

    Args:
        config_path: the hub's ``mkdocs.yml``.
        today: build date override (default: ``SOURCE_DATE_EPOCH`` or today).
        strict: treat warnings as errors.
        search_index: put the search index files (:func:`search_files`) into ``site.files``;
            ``False`` leaves them to the caller (the MkDocs plugin writes them into the
            site on a core of their own while pages render). The search script and
            stylesheet are always in ``site.files``.
        directory_urls: URL style of the renderer, for the few links written as final
            addresses (default: ``use_directory_urls`` of ``mkdocs.yml``).

    Returns:
        The :class:`Site`.

    Raises:
        HubError: when validation found errors (or warnings under ``strict``);
            its ``report`` holds every located diagnostic.
    """
    progress.stage("检查内容")
    hub, report = load_hub(config_path, today)
    if hub is None or report.failed(strict):
        raise HubError(report)
    home_intro = ""
    index = hub.config.docs_dir / "index.md"
    if index.is_file():
        home_intro = strip_front_matter(index.read_text("utf-8-sig").replace("\r\n", "\n"))
    progress.stage("生成页面")
    gen = Pages(hub, home_intro, directory_urls)
    site = Site(hub=hub, pages=gen.build(), report=report, directory_urls=gen.directory_urls, generator=gen)
    site.files = dict(hub.files)
    site.files[CSS_PATH] = resources.files("jiangtang").joinpath("assets/jiangtang.css").read_bytes()
    site.extra_css.append(CSS_PATH)
    for name, kind in FONTSIZE_ASSETS:  # the 大字 switch for older readers
        site.files[f"assets/jiangtang/{name}"] = resources.files("jiangtang").joinpath("assets", name).read_bytes()
        (site.extra_css if kind == "css" else site.extra_javascript).append(f"assets/jiangtang/{name}")
    site.nav = [("首页", "index.md"), ("讲稿", "lectures/index.md"), ("宣讲员", "speakers/index.md"),
                ("宣讲记录", "sessions/index.md")]
    add_discovery(site, gen)
    site.search_docs = search_docs(hub, gen)
    site.pages["search/index.md"] = search.search_page_markdown()
    site.files.update(search.search_assets())
    if search_index:
        site.files.update(search_files(config_path, site.search_docs))
    site.extra_css.extend(search.EXTRA_CSS)
    site.extra_javascript.extend(search.EXTRA_JAVASCRIPT)
    return site


def update_lectures(site: Site, paths: list[Path], report: Report, strict: bool = False) -> list[str] | None:
    """Take saved lecture files into a compiled site and regenerate those lectures' pages alone.

    This is the fast path of ``build.py serve`` (:mod:`jiangtang.preview`): the files are
    parsed on their own (:func:`jiangtang.hub.load_lecture`), put into the hub together, then
    cross-checked (:func:`jiangtang.hub.check_lecture`: links between the saved files see each
    other's new headings), and their pages are generated exactly as :func:`compile_hub` would.
    Everything else the change may touch (listings, speaker pages, search, feeds, other
    lectures' related sections and anchor checks) is left to a full build, which the caller runs next.

    Args:
        site: a compiled site; its hub and page store are updated in place.
        paths: the saved lecture files.
        report: receives the files' diagnostics (their warnings too when they pass).
        strict: treat the files' warnings as errors.

    Returns:
        The source paths of the regenerated pages (``lectures/<slug>/index.md``), or ``None``
        when the change is not only those lectures' own pages: a new, removed or renamed file,
        or a changed ``slug`` (the page moves).

    Raises:
        HubError: a file has errors (or warnings under ``strict``; they are in its ``report``, and
            in ``report``); the site is left as it was.
    """
    from .hub import check_lecture, lecture_by_path, load_lecture

    hub = site.hub
    by_path = lecture_by_path(hub)
    keys = [Path(p).resolve() for p in paths]
    olds = [by_path.get(k) if k.is_file() else None for k in keys]
    if site.generator is None or not keys or None in olds:
        return None
    own = Report()
    news = [load_lecture(Path(p), hub.config, own) for p in paths]
    if None in news:
        report.extend(own.items)
        raise HubError(own)
    if any(new.id != old.id or new.slug != old.slug for new, old in zip(news, olds)):
        return None

    moved = any((new.date, new.speakers, new.topics) != (old.date, old.speakers, old.topics) for new, old in zip(news, olds))

    def put(items) -> None:
        for key, lec in zip(keys, items):
            hub.lectures[lec.id] = lec
            by_path[key] = lec
        if moved:  # the related-lectures index and the by-speaker lists are rebuilt on next use
            vars(hub).pop("_related", None)
            vars(hub).pop("_idx", None)

    put(news)
    for lec in news:
        check_lecture(hub, lec, own)
    report.extend(own.items)
    if own.failed(strict):
        put(olds)
        raise HubError(own)
    for lec in news:
        site.generator.lecture_page(lec)
    return [page_path(lec.url) for lec in news]


def search_files(config_path: str | Path, docs: list[SearchDoc]) -> dict[str, bytes | Path]:
    """The search index files (:func:`jiangtang.search.cached_search_dir`), for renderers other than the plugin.

    Args:
        config_path: the hub's ``mkdocs.yml`` (locates the cache).
        docs: :attr:`Site.search_docs`.

    Returns:
        Site path (``search/idx/…``) → the cached file, or its bytes when the cache
        is off (the temporary folder is then deleted here).
    """
    progress.stage("搜索索引")
    folder = search.cached_search_dir(Path(config_path), docs)
    files: dict[str, bytes | Path] = {p.relative_to(folder).as_posix(): p
                                      for p in sorted((folder / "search").rglob("*")) if p.is_file()}
    if not cache.enabled():  # a temporary folder that is ours
        files = {k: p.read_bytes() for k, p in files.items()}
        shutil.rmtree(folder)
    return files


def search_docs(hub: Hub, gen: Pages) -> list[SearchDoc]:
    """One :class:`SearchDoc` per lecture, speaker, session record and docs page."""
    docs: list[SearchDoc] = []
    for lec in hub.lectures.values():
        names = tuple(hub.speakers[i].name for i in lec.speakers)
        docs.append(SearchDoc(url=lec.url, kind="lecture", title=lec.title, date=lec.date.isoformat(), speakers=names,
                              headings=headings(lec.body), body=plain_text(lec.body), summary=lec.summary,
                              keywords=tuple(lec.topics) + tuple(lec.audiences)))
    for sp in hub.speakers.values():
        docs.append(SearchDoc(url=sp.url, kind="speaker", title=gen.speaker_label(sp), speakers=(sp.name,),
                              body=plain_text(sp.bio), summary="，".join(filter(None, [sp.team, sp.town, sp.role])),
                              keywords=tuple(filter(None, [sp.team, sp.town, sp.organization, sp.role, *sp.topics]))))
    for s in hub.sessions:
        subject = hub.lectures[s.lecture].title if s.lecture else s.title
        docs.append(SearchDoc(url=f"{gen.session_pages[s.uid]}#{s.anchor}", kind="session", title=subject,
                              date=s.date.isoformat(), speakers=tuple(hub.speakers[i].name for i in s.speakers),
                              body=s.note, summary="，".join(filter(None, [s.classroom, s.town, s.venue])),
                              keywords=tuple(filter(None, [s.classroom, hub.config.vocab.classroom_group(s.classroom), s.town, s.venue, s.mode]))))
    docs_dir = hub.config.docs_dir
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*.md")):
            rel = path.relative_to(docs_dir).as_posix()
            if rel == "index.md" or any(p.startswith(".") for p in path.parts):
                continue
            text = strip_front_matter(path.read_text("utf-8-sig"))
            hs = headings(text)
            url = rel[:-3] + "/" if not rel.endswith("index.md") else rel[: -len("index.md")]
            docs.append(SearchDoc(url=url, kind="page", title=hs[0] if hs else path.stem, headings=hs[1:], body=plain_text(text)))
    return docs


__all__ = ["Site", "compile_hub", "HubError", "page_path", "search_files", "update_lectures"]
