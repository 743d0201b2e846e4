"""Page generation: a loaded hub → Markdown pages (site source path → text).

Pages are plain Markdown with YAML front matter (``title``, ``description``) and
a little HTML (``md_in_html``), so any Python-Markdown renderer (MkDocs today,
its successors tomorrow) can render them. Internal links are written as
relative ``.md`` paths, which the renderer checks and turns into URLs.
Listings are paginated (:data:`PER_PAGE`) so no page grows with the hub.
"""

from __future__ import annotations

import logging
import re

import yaml

from .pagestore import PageStore
from . import facets as facets_mod
from . import figures as figures_mod
from . import qr as qr_mod
from . import related as related_mod
from . import stats as stats_mod
from .hub import Hub, lecture_sort_key, session_sort_key
from .lecture import Lecture
from .links import relative, rewrite
from .session import Session
from .slugs import name_sort_key, slugify
from .speaker import Speaker

log = logging.getLogger(__name__)

#: Items per listing page (lectures, speakers, sessions).
PER_PAGE = {"lectures": 30, "speakers": 120, "sessions": 100}
#: Latest lectures on the home page.
HOME_LATEST = 8

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def esc(text: str) -> str:
    """Escape Markdown/HTML specials in user text placed inline in generated Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("&", "&amp;")


def zh_date(d) -> str:
    """``2022-05-01`` → ``2022年5月1日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def page_path(url: str) -> str:
    """Source path of the page served at ``url`` (``lectures/a/`` → ``lectures/a/index.md``)."""
    return f"{url}index.md" if url else "index.md"


def front_matter(title: str, description: str = "", **extra) -> str:
    """YAML front matter for a generated page (MkDocs reads ``title``/``description``).

    The title is HTML-escaped here: Material writes ``page.meta.title`` into the
    page unescaped (header, ``<title>``), so contributor text must never reach it
    as markup. The description is escaped for every page, hand-written ones too,
    by :func:`jiangtang.publish.escape_description`.
    """
    meta = {"title": _html(title)}
    if description:
        meta["description"] = description
    meta.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


class Pages:
    """Builds every generated page of a hub.

    Args:
        hub: a hub that passed validation.
        home_intro: Markdown of the hand-written ``docs/index.md`` (front matter
            removed), shown at the top of the home page; may be empty.
        directory_urls: the renderer's URL style for the final links of :meth:`href`
            (default: ``use_directory_urls`` of ``mkdocs.yml``; an offline build turns it off).

    Attributes:
        pages: source path → Markdown, filled by :meth:`build`.
    """

    def __init__(self, hub: Hub, home_intro: str = "", directory_urls: bool | None = None) -> None:
        self.hub = hub
        self.home_intro = home_intro
        self.directory_urls = hub.config.use_directory_urls if directory_urls is None else directory_urls
        self.pages: PageStore = PageStore()  # on disk: ~300 MB of Markdown at 10,000 lectures
        self.figures = figures_mod.compute(hub)
        names: dict[str, int] = {}
        for sp in hub.speakers.values():
            names[sp.name] = names.get(sp.name, 0) + 1
        self._dup_names = {n for n, c in names.items() if c > 1}
        self.session_pages: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------

    def speaker_label(self, sp: Speaker) -> str:
        """Display name; people sharing a name are told apart by town (``张伟（岔河镇）``)."""
        if sp.name in self._dup_names:
            return f"{sp.name}（{sp.town or sp.organization or sp.id}）"
        return sp.name

    def link(self, here: str, text: str, url: str, html: bool = False) -> str:
        """A link from page ``here`` to the page at ``url`` (with optional ``#anchor``).

        Markdown (``[text](../x/index.md)``, resolved by the renderer) by default;
        with ``html`` an ``<a>`` element whose address is final (:meth:`href`), for
        the raw HTML tables of long listings (:func:`html_table`).
        """
        if html:
            return f'<a href="{self.href(here, url)}">{html_text(text)}</a>'
        path, _, frag = url.partition("#")
        target = relative(here, page_path(path))
        return f"[{esc(text)}]({target}{'#' + frag if frag else ''})"

    def href(self, here: str, url: str) -> str:
        """The address of the page at site URL ``url`` relative to page ``here``, as MkDocs writes links.

        ``lectures/a/index.md`` → ``speakers/b/``: ``../../speakers/b/`` with directory URLs,
        ``../../speakers/b/index.html`` without (``use_directory_urls``, see
        https://www.mkdocs.org/user-guide/configuration/#use_directory_urls); a link to
        the page itself is ``./`` (``index.html``). An ``#anchor`` is kept.
        """
        path, _, frag = url.partition("#")
        rel = relative(here, page_path(path))  # always ends in index.md
        target = (rel[: -len("index.md")] or "./") if self.directory_urls else rel[: -len(".md")] + ".html"
        return target + ("#" + frag if frag else "")

    def speakers_links(self, here: str, ids: list[str], html: bool = False) -> str:
        return "、".join(self.link(here, self.speaker_label(self.hub.speakers[i]), self.hub.speakers[i].url, html)
                        for i in ids)

    def session_subject(self, here: str, s: Session, html: bool = False) -> str:
        if s.lecture:
            lec = self.hub.lectures[s.lecture]
            return self.link(here, lec.title, lec.url, html)
        return html_text(s.title) if html else esc(s.title)

    def session_table(self, here: str, sessions: list[Session], columns: tuple[str, ...]) -> str:
        """A table of sessions (raw HTML, see :func:`html_table`); ``columns`` picks from
        date/subject/speakers/classroom/town/venue/audience/online."""
        head = {"date": "日期", "subject": "主题", "speakers": "宣讲员", "classroom": "课堂", "town": "镇（街道）",
                "venue": "地点", "audience": "现场听众", "online": "线上观看"}
        rows = []
        for s in sessions:
            cells = []
            for c in columns:
                if c == "date":
                    when = zh_date(s.date) + (f" {s.time}" if s.time else "")
                    cells.append(f'<span id="{s.anchor}">{html_text(when)}</span>')
                elif c == "subject":
                    cells.append(self.session_subject(here, s, html=True))
                elif c == "speakers":
                    cells.append(self.speakers_links(here, s.speakers, html=True))
                elif c == "classroom":
                    cells.append(facets_mod.link(self, here, "classrooms", s.classroom, html=True))
                elif c == "town":
                    cells.append(facets_mod.link(self, here, "towns", s.town, html=True))
                elif c == "venue":
                    cells.append(html_text(s.venue))
                elif c == "audience":
                    cells.append("" if s.audience is None else str(s.audience))
                elif c == "online":
                    cells.append("" if s.online_viewers is None else str(s.online_viewers))
            rows.append(cells)
        return html_table([head[c] for c in columns], rows)

    def pagination(self, here: str, base: str, page: int, count: int) -> str:
        """A pager of page numbers for page ``page`` of ``count``.

        Up to :data:`PAGER_ALL` pages every number is shown; beyond, only the
        first and last :data:`PAGER_EDGE`, and :data:`PAGER_NEAR` on each side
        of the current page, with “…” for the gaps, so the pager's size does not
        grow with the hub (a full pager made listings quadratic in total size).
        """
        if count <= 1:
            return ""
        items = []
        shown = _pager_numbers(page, count)
        for k, n in enumerate(shown):
            if k and n != shown[k - 1] + 1:
                items.append("…")
            url = base if n == 1 else f"{base}page/{n}/"
            items.append(f"**{n}**" if n == page else self.link(here, str(n), url))
        return '\n\n<nav class="jt-pager" aria-label="分页" markdown>\n' + " · ".join(items) + "\n</nav>\n"

    def paginate(self, base: str, items: list, per_page: int, title: str, render, intro: str = "") -> None:
        """Emit listing pages ``base``, ``base/page/2/`` …; ``render(here, chunk) -> Markdown``."""
        chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
        for n, chunk in enumerate(chunks, 1):
            url = base if n == 1 else f"{base}page/{n}/"
            here = page_path(url)
            page_title = title if n == 1 else f"{title}（第 {n} 页）"
            text = front_matter(page_title) + f"# {esc(page_title)}\n\n" + (intro if n == 1 else "")
            text += render(here, chunk) + self.pagination(here, base, n, len(chunks))
            self.pages[here] = text

    # -- pages -------------------------------------------------------------

    def build(self) -> dict[str, str]:
        """Generate every page; returns :attr:`pages`."""
        self.sessions_page()  # first: records where each session's anchor lives
        for lec in self.hub.lectures.values():
            self.lecture_page(lec)
        for sp in self.hub.speakers.values():
            self.speaker_page(sp)
        self.lecture_index()
        self.speaker_directory()
        self.home_page()
        return self.pages

    def lecture_page(self, lec: Lecture) -> None:
        here = page_path(lec.url)
        when = facets_mod.link(self, here, "years", str(lec.date.year), zh_date(lec.date))
        meta = [f"- **宣讲员**：{self.speakers_links(here, lec.speakers)}", f"- **日期**：{when}"]
        if lec.duration:
            meta.append(f"- **时长**：{lec.duration} 分钟")
        if lec.topics:
            meta.append("- **主题**：" + facets_mod.links(self, here, "topics", lec.topics))
        if lec.audiences:
            meta.append("- **适合听众**：" + facets_mod.links(self, here, "audiences", lec.audiences))
        if lec.orderable:
            meta.append(f"- **点单**：本讲稿可预约，见{self.link(here, '点单式宣讲', 'menu/')}")
        parts = [front_matter(lec.title, lec.summary, og_type="article"), f"# {esc(lec.title)}\n"]
        if lec.summary:
            parts.append(f'<p class="jt-summary">{_html(lec.summary)}</p>\n')
        parts.append('<div class="jt-meta" markdown>\n\n' + "\n".join(meta) + "\n\n</div>\n")
        parts.append(self.lecture_body(here, lec).strip() + "\n")
        if lec.attachments:
            items = []
            for att in lec.attachments:
                if "url" in att:
                    items.append(f"- [{esc(att['title'])}]({att['url']})")
                else:
                    items.append(f"- [{esc(att['title'])}]({relative(here, att['site_path'])})")
            parts.append("## 附件\n\n" + "\n".join(items) + "\n")
        sessions = self.hub.sessions_of_lecture(lec.id)
        parts.append("## 宣讲记录\n")
        if sessions:
            total = sum(s.audience or 0 for s in sessions if not self.hub.is_upcoming(s))
            parts.append(f"共宣讲 {len(sessions)} 场，现场听众 {total} 人次。\n")
            parts.append(self.session_table(here, sessions, ("date", "classroom", "town", "venue", "speakers", "audience")))
        else:
            parts.append("暂无宣讲记录。\n")
        parts.append(related_mod.section(self, here, lec))
        parts.append(qr_mod.block(self, lec.url, lec.title))
        self.pages[here] = "\n".join(parts)

    def lecture_body(self, here: str, lec: Lecture) -> str:
        """The lecture's Markdown with relative links rewritten to the generated pages."""
        targets = getattr(lec, "link_targets", {})
        if not targets:
            return lec.body
        new = {}
        for span, (kind, ref, anchor) in targets.items():
            # see jiangtang.hub._check_body_links for the kinds; anchors are already heading ids
            if kind == "self":
                new[span] = "#" + anchor
                continue
            if kind in ("lecture", "speaker"):
                item = self.hub.lectures[ref] if kind == "lecture" else self.hub.speakers[ref]
                path = relative(here, page_path(item.url))
            else:
                path = relative(here, ref)
            new[span] = path + ("#" + anchor if anchor else "")
        return rewrite(lec.body, new)

    def speaker_page(self, sp: Speaker) -> None:
        here = page_path(sp.url)
        label = self.speaker_label(sp)
        desc = "，".join(filter(None, [sp.team, sp.town, sp.organization, sp.role]))
        parts = [front_matter(label, f"{label}：{desc}"), f"# {esc(label)}\n"]
        if sp.photo_site_path:
            parts.append(f'<img class="jt-photo" src="{_html(relative(here, sp.photo_site_path))}" alt="{_html(sp.name)}的照片" width="160" height="160">\n')
        meta = [f"- **宣讲队伍**：{facets_mod.link(self, here, 'teams', sp.team)}"]
        for key, label_zh in (("town", "镇（街道）"), ("organization", "单位"), ("role", "身份")):
            if getattr(sp, key):
                value = getattr(sp, key)
                meta.append(f"- **{label_zh}**：{facets_mod.link(self, here, 'towns', value) if key == 'town' else esc(value)}")
        if sp.topics:
            meta.append("- **宣讲主题**：" + facets_mod.links(self, here, "topics", sp.topics))
        parts.append('<div class="jt-meta" markdown>\n\n' + "\n".join(meta) + "\n\n</div>\n")
        if sp.bio:
            parts.append("## 简介\n\n" + sp.bio.strip() + "\n")
        lectures = self.hub.lectures_of_speaker(sp.id)
        parts.append("## 讲稿\n")
        if lectures:
            parts.append("\n".join(f"- {self.link(here, lec.title, lec.url)}（{zh_date(lec.date)}）" for lec in lectures) + "\n")
        else:
            parts.append("暂无讲稿。\n")
        sessions = self.hub.sessions_of_speaker(sp.id)
        held = [s for s in sessions if not self.hub.is_upcoming(s)]
        parts.append("## 宣讲记录\n")
        if sessions:
            audience = sum(s.audience or 0 for s in held)
            online = sum(s.online_viewers or 0 for s in held)
            parts.append(f'<p class="jt-totals">已宣讲 <strong>{len(held)}</strong> 场，现场听众 <strong>{audience}</strong> 人次，'
                         f'线上观看 <strong>{online}</strong> 人次。</p>\n')
            parts.append(self.session_table(here, sessions, ("date", "subject", "classroom", "town", "audience")))
        else:
            parts.append("暂无宣讲记录。\n")
        parts.append(qr_mod.block(self, sp.url, label))
        self.pages[here] = "\n".join(parts)

    def lecture_item(self, here: str, lec: Lecture) -> str:
        names = "、".join(self.speaker_label(self.hub.speakers[i]) for i in lec.speakers)
        line = f"- {self.link(here, lec.title, lec.url)}  \n  <small>{zh_date(lec.date)} · {_html(names)}</small>"
        if lec.summary:
            line += f"  \n  {esc(lec.summary)}"
        return line

    def lecture_index(self) -> None:
        lectures = sorted(self.hub.lectures.values(), key=lecture_sort_key, reverse=True)
        self.paginate("lectures/", lectures, PER_PAGE["lectures"], "讲稿",
                      lambda here, chunk: "\n".join(self.lecture_item(here, lec) for lec in chunk) + "\n",
                      f"共 {len(lectures)} 篇讲稿，按日期从新到旧排列。\n\n")

    def speaker_directory(self) -> None:
        teams = list(self.hub.config.vocab.teams)
        order = {t: i for i, t in enumerate(teams)}
        speakers = sorted(self.hub.speakers.values(),
                          key=lambda sp: (order.get(sp.team, len(order)), name_sort_key(sp.name, sp.pinyin or None), sp.town, sp.id))

        def render(here, chunk):
            out, team = [], None
            for sp in chunk:
                if sp.team != team:
                    team = sp.team
                    count = self.figures.speakers_by_team.get(team, 0)
                    out.append(f"\n## {esc(team)}（{count} 人）\n")
                extra = " · ".join(filter(None, [sp.town, sp.role]))
                out.append(f"- {self.link(here, self.speaker_label(sp), sp.url)}" + (f" <small>{_html(extra)}</small>" if extra else ""))
            return "\n".join(out) + "\n"

        intro = "按宣讲队伍分组，组内按姓名拼音排序。\n\n"
        self.paginate("speakers/", speakers, PER_PAGE["speakers"], "宣讲员", render, intro)

    def sessions_page(self) -> None:
        upcoming = sorted((s for s in self.hub.sessions if self.hub.is_upcoming(s)), key=session_sort_key)
        held = sorted((s for s in self.hub.sessions if not self.hub.is_upcoming(s)), key=session_sort_key, reverse=True)
        cols = ("date", "subject", "speakers", "classroom", "town", "venue", "audience", "online")
        intro = ""
        if upcoming:
            here = "sessions/index.md"
            intro = "## 即将举行\n\n" + self.session_table(here, upcoming, cols[:-2]) + "\n"
            for s in upcoming:
                self.session_pages[s.uid] = "sessions/"
        per = PER_PAGE["sessions"]
        for i, s in enumerate(held):
            n = i // per + 1
            self.session_pages[s.uid] = "sessions/" if n == 1 else f"sessions/page/{n}/"

        def render(here, chunk):
            if not chunk:
                return "暂无宣讲记录。\n"
            return "## 已举行\n\n" + self.session_table(here, chunk, cols)

        self.paginate("sessions/", held, per, "宣讲记录", render, intro)

    def home_page(self) -> None:
        f = self.figures
        here = "index.md"
        intro = self.home_intro.strip()
        title = self.hub.config.site_name
        parts = [front_matter(title, f"{title}：讲稿、宣讲员与宣讲记录")]
        parts.append(intro + "\n" if intro.lstrip().startswith("# ") else f"# {esc(title)}\n\n{intro}\n")
        teams = "".join(f"<li><span>{_html(t)}</span> <strong>{n}</strong></li>" for t, n in f.speakers_by_team.items())
        figures = [
            ("讲稿", f.lectures, "篇"), ("宣讲员", f.speakers, "人"), ("已举行宣讲", f.sessions_held, "场"),
            ("现场听众", f.audience, "人次"), ("线上观看", f.online_viewers, "人次"), ("覆盖镇（街道）", len(f.towns), "个"),
        ]
        cards = "".join(
            f'<div class="jt-figure" data-figure="{key}"><strong>{value}</strong><span>{unit}</span><em>{label}</em></div>'
            for (label, value, unit), key in zip(figures, ("lectures", "speakers", "sessions", "audience", "online", "towns")))
        parts.append(f'## 数据概览\n\n<div class="jt-figures">{cards}</div>\n\n<ul class="jt-teams" aria-label="各宣讲队伍人数">{teams}</ul>\n')
        if f.sessions_upcoming:
            parts.append(f"另有 {f.sessions_upcoming} 场宣讲即将举行，见{self.link(here, '宣讲记录', 'sessions/')}。\n")
        latest = sorted(self.hub.lectures.values(), key=lecture_sort_key, reverse=True)[:HOME_LATEST]
        parts.append(stats_mod.home_summary(self, here))
        parts.append("## 最新讲稿\n\n" + "\n".join(self.lecture_item(here, lec) for lec in latest) + "\n")
        parts.append(f"\n{self.link(here, '全部讲稿', 'lectures/')} · {self.link(here, '宣讲员名录', 'speakers/')} · "
                     f"{self.link(here, '宣讲记录', 'sessions/')}\n")
        self.pages[here] = "\n".join(parts)


#: Pagers with at most this many pages list every page number.
PAGER_ALL = 11
#: Page numbers kept at each end of a longer pager, and on each side of the current page.
PAGER_EDGE, PAGER_NEAR = 2, 2


def _pager_numbers(page: int, count: int) -> list[int]:
    """Page numbers a pager shows for page ``page`` of ``count``, ascending (at most 9 past :data:`PAGER_ALL`)."""
    if count <= PAGER_ALL:
        return list(range(1, count + 1))
    keep = set(range(1, PAGER_EDGE + 1)) | set(range(count - PAGER_EDGE + 1, count + 1))
    keep |= set(range(max(1, page - PAGER_NEAR), min(count, page + PAGER_NEAR) + 1))
    return sorted(keep)


def html_text(text) -> str:
    """Escape text for an HTML element's content the way Python-Markdown serialises text (``&``, ``<``, ``>``;
    line breaks become spaces, outer spaces are dropped, as in a Markdown table cell)."""
    return str(text).replace("\n", " ").strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_table(head: list[str], rows: list[list[str]]) -> str:
    """A raw HTML table block for generated Markdown, laid out exactly as Python-Markdown's ``tables``
    extension writes a Markdown table (https://python-markdown.github.io/extensions/tables/).

    Long listings (hundreds of rows of links) cost the Markdown renderer most of a
    build's time as Markdown; as a raw HTML block they pass through untouched, so
    the links must be final (:meth:`Pages.href`).

    Args:
        head: header cells (plain text, escaped here).
        rows: body rows of cells that are already HTML.

    Returns:
        The block, after a blank line and ending with a line break (a raw HTML block must
        start a block; the callers put a blank line after it, as after a Markdown table).
    """
    out = ["", "<table>", "<thead>", "<tr>", *(f"<th>{html_text(h)}</th>" for h in head), "</tr>", "</thead>", "<tbody>"]
    for cells in rows:
        out.append("<tr>")
        out.extend(f"<td>{c}</td>" for c in cells)
        out.append("</tr>")
    out += ["</tbody>", "</table>", ""]
    return "\n".join(out)


def _html(text: str) -> str:
    """Escape text for HTML attributes/elements in generated Markdown."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def strip_front_matter(text: str) -> str:
    """Markdown without a leading ``---`` front matter block."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[end + 4:].lstrip("\n")
    return text


__all__ = ["Pages", "esc", "zh_date", "page_path", "front_matter", "strip_front_matter", "slugify"]
