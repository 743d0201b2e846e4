"""Facets (分类浏览): listing pages per topic, audience, team, classroom kind, town and year.

Each facet value gets a page at a pinyin permalink (``topics/<slug>/``,
``audiences/<slug>/``, ``teams/<slug>/``, ``classrooms/<slug>/``,
``towns/<slug>/``, ``years/<year>/``), paginated like every listing, and the
``browse/`` page lists every value with its count. The index is built in one
pass over the hub (O(lectures + speakers + sessions)) and cached on the hub.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from . import pages as pages_mod
from .hub import Hub, lecture_sort_key, session_sort_key
from .lecture import Lecture
from .session import Session
from .slugs import name_sort_key, slugify, sort_key
from .speaker import Speaker

log = logging.getLogger(__name__)

#: Facet kinds in display order: kind → (Chinese name, what the count beside a value counts).
KINDS: dict[str, tuple[str, str]] = {
    "topics": ("主题", "lectures"),
    "audiences": ("听众", "lectures"),
    "teams": ("宣讲队伍", "speakers"),
    "classrooms": ("课堂类型", "sessions"),
    "towns": ("镇（街道）", "sessions"),
    "years": ("年份", "lectures"),
}
#: How each count reads.
COUNT_LABEL = {"lectures": "讲稿篇数", "speakers": "宣讲员人数", "sessions": "宣讲场次"}
#: Items per facet listing page.
PER_PAGE = {"lectures": 30, "speakers": 120, "sessions": 100}


@dataclass
class FacetValue:
    """One value of a facet and what carries it.

    Attributes:
        kind: facet kind, a key of :data:`KINDS`.
        value: the value as written in the content (``乡村振兴``, ``2024``).
        slug: its permalink slug (pinyin, unique within the kind).
        lectures: lectures carrying it (topics, audiences, years), newest first.
        speakers: speakers carrying it (topics, teams, towns).
        sessions: session records carrying it (classrooms, towns, years), newest first.
    """

    kind: str
    value: str
    slug: str = ""
    lectures: list[Lecture] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Site-relative URL of the value's page (``topics/xiang-cun-zhen-xing/``)."""
        return f"{self.kind}/{self.slug}/"

    @property
    def count(self) -> int:
        """The count shown beside the value: lectures, speakers or sessions depending on the kind."""
        return len(getattr(self, KINDS[self.kind][1]))


class FacetIndex:
    """Every facet value of a hub, built in one pass.

    Args:
        hub: a validated hub.

    Attributes:
        values: kind → value → :class:`FacetValue`, values in display order
            (vocabulary order for teams and classrooms, newest first for years,
            most used first otherwise).
    """

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        raw: dict[str, dict[str, FacetValue]] = {k: {} for k in KINDS}

        def get(kind: str, value: str) -> FacetValue:
            fv = raw[kind].get(value)
            if fv is None:
                fv = raw[kind][value] = FacetValue(kind, value)
            return fv

        for lec in sorted(hub.lectures.values(), key=lecture_sort_key, reverse=True):
            for t in dict.fromkeys(lec.topics):
                get("topics", t).lectures.append(lec)
            for a in dict.fromkeys(lec.audiences):
                get("audiences", a).lectures.append(lec)
            get("years", str(lec.date.year)).lectures.append(lec)
        for team in hub.config.vocab.teams:
            get("teams", team)
        for sp in sorted(hub.speakers.values(), key=lambda s: (name_sort_key(s.name, s.pinyin or None), s.id)):
            get("teams", sp.team).speakers.append(sp)
            for t in dict.fromkeys(sp.topics):
                get("topics", t).speakers.append(sp)
            if sp.town:
                get("towns", sp.town).speakers.append(sp)
        for s in sorted(hub.sessions, key=session_sort_key, reverse=True):
            get("classrooms", s.classroom).sessions.append(s)
            if s.town:
                get("towns", s.town).sessions.append(s)
            get("years", str(s.date.year)).sessions.append(s)
        kinds = hub.config.vocab.classroom_kinds
        self.values: dict[str, dict[str, FacetValue]] = {}
        for kind, found in raw.items():
            if kind == "teams":
                order = {t: i for i, t in enumerate(hub.config.vocab.teams)}
                ordered = sorted(found.values(), key=lambda v: (order.get(v.value, len(order)), sort_key(v.value)))
            elif kind == "classrooms":
                order = {k: i for i, k in enumerate(kinds)}
                ordered = sorted(found.values(), key=lambda v: (order.get(v.value, len(order)), sort_key(v.value)))
            elif kind == "years":
                ordered = sorted(found.values(), key=lambda v: v.value, reverse=True)
            else:
                ordered = sorted(found.values(), key=lambda v: (-v.count, -len(v.speakers), sort_key(v.value)))
            _assign_slugs(ordered)
            self.values[kind] = {v.value: v for v in ordered}

    @classmethod
    def of(cls, hub: Hub) -> "FacetIndex":
        """The hub's facet index, built on first use and cached on the hub."""
        idx = getattr(hub, "_facets", None)
        if idx is None:
            idx = hub._facets = cls(hub)
        return idx

    def get(self, kind: str, value: str) -> FacetValue | None:
        """The :class:`FacetValue` of ``value`` in ``kind``, or ``None``."""
        return self.values.get(kind, {}).get(value)


def _assign_slugs(values: list[FacetValue]) -> None:
    """Give each value a unique slug: its pinyin, ``-2``/``-3``… on clashes, in alphabetical order of values."""
    taken: set[str] = set()
    for fv in sorted(values, key=lambda v: sort_key(v.value)):
        base = slugify(fv.value) or "x"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        fv.slug = slug


def link(gen: "pages_mod.Pages", here: str, kind: str, value: str, text: str = "", html: bool = False) -> str:
    """A link from page ``here`` to the facet page of ``value`` (shown as ``text``, default the value);
    plain text if the value has no page. Markdown, or HTML with ``html`` (see :meth:`Pages.link`)."""
    fv = FacetIndex.of(gen.hub).get(kind, value)
    if fv is None or not value:
        return pages_mod.html_text(text or value) if html else pages_mod.esc(text or value)
    return gen.link(here, text or value, fv.url, html)


def links(gen: "pages_mod.Pages", here: str, kind: str, values: list[str]) -> str:
    """Facet links for several values, joined with ``、``."""
    return "、".join(link(gen, here, kind, v) for v in values)


def build(gen: "pages_mod.Pages") -> list[tuple[str, str]]:
    """Add every facet page and the ``browse/`` page to ``gen.pages``.

    Returns:
        Navigation entries to add: ``[("分类浏览", "browse/index.md")]``.
    """
    idx = FacetIndex.of(gen.hub)
    for kind, values in idx.values.items():
        for fv in values.values():
            _value_pages(gen, fv)
    _browse_page(gen, idx)
    return [("分类浏览", "browse/index.md")]


def _value_pages(gen, fv: FacetValue) -> None:
    esc = pages_mod.esc
    name = KINDS[fv.kind][0]
    title = f"{name}：{fv.value}"
    here1 = pages_mod.page_path(fv.url)
    intro = f"{gen.link(here1, '分类浏览', 'browse/')} › {esc(name)}\n\n"
    if fv.kind in ("topics", "audiences", "years"):
        intro += f"共 {len(fv.lectures)} 篇讲稿"
        if fv.kind == "years":
            held = [s for s in fv.sessions if not gen.hub.is_upcoming(s)]
            intro += f"；该年已宣讲 {len(held)} 场，现场听众 {sum(s.audience or 0 for s in held)} 人次"
        intro += "。\n\n"
        if fv.speakers:
            intro += (f"擅长这一主题的宣讲员（{len(fv.speakers)} 位）："
                      + "、".join(gen.link(here1, gen.speaker_label(sp), sp.url) for sp in fv.speakers) + "\n\n")
        gen.paginate(fv.url, fv.lectures, PER_PAGE["lectures"], title,
                     lambda here, chunk: "\n".join(gen.lecture_item(here, lec) for lec in chunk) + "\n", intro)
    elif fv.kind == "teams":
        intro += f"共 {len(fv.speakers)} 位宣讲员，按姓名拼音排序。\n\n"
        gen.paginate(fv.url, fv.speakers, PER_PAGE["speakers"], title, lambda here, chunk: _speaker_list(gen, here, chunk), intro)
    else:
        held = [s for s in fv.sessions if not gen.hub.is_upcoming(s)]
        intro += (f"共 {len(fv.sessions)} 场宣讲（已举行 {len(held)} 场），现场听众 {sum(s.audience or 0 for s in held)} 人次，"
                  f"线上观看 {sum(s.online_viewers or 0 for s in held)} 人次。\n\n")
        if fv.kind == "classrooms":
            group = gen.hub.config.vocab.classroom_group(fv.value)
            if group:
                intro = intro.replace(f"› {esc(name)}", f"› {esc(group)}", 1)
        if fv.speakers:
            intro += (f"在本地的宣讲员（{len(fv.speakers)} 位）："
                      + "、".join(gen.link(here1, gen.speaker_label(sp), sp.url) for sp in fv.speakers) + "\n\n")
        cols = ("date", "subject", "speakers", "town", "venue", "audience") if fv.kind == "classrooms" else \
            ("date", "subject", "speakers", "classroom", "venue", "audience")
        gen.paginate(fv.url, fv.sessions, PER_PAGE["sessions"], title,
                     lambda here, chunk: gen.session_table(here, chunk, cols) if chunk else "暂无宣讲记录。\n", intro)


def _speaker_list(gen, here: str, chunk: list[Speaker]) -> str:
    if not chunk:
        return "暂无宣讲员。\n"
    out = []
    for sp in chunk:
        extra = " · ".join(filter(None, [sp.town, sp.role]))
        out.append(f"- {gen.link(here, gen.speaker_label(sp), sp.url)}" + (f" <small>{pages_mod._html(extra)}</small>" if extra else ""))
    return "\n".join(out) + "\n"


def _value_list(gen, here: str, values) -> str:
    items = [f"{gen.link(here, fv.value, fv.url)}&nbsp;<small>{fv.count}</small>" for fv in values]
    return ('<p class="jt-facets" markdown>' + " · ".join(items) + "</p>\n") if items else "暂无。\n"


def _browse_page(gen, idx: FacetIndex) -> None:
    here = "browse/index.md"
    esc = pages_mod.esc
    parts = [pages_mod.front_matter("分类浏览", "按主题、听众、宣讲队伍、课堂类型、镇（街道）和年份浏览讲稿与宣讲记录"),
             "# 分类浏览\n"]
    for kind, (name, counted) in KINDS.items():
        values = list(idx.values[kind].values())
        parts.append(f"## {esc(name)}\n\n<small>数字为{COUNT_LABEL[counted]}</small>\n")
        if kind == "classrooms":
            groups: dict[str, list[FacetValue]] = {}
            for fv in values:
                groups.setdefault(gen.hub.config.vocab.classroom_group(fv.value) or "其他", []).append(fv)
            for group, fvs in groups.items():
                total = sum(fv.count for fv in fvs)
                parts.append(f"### {esc(group)}（{total} 场）\n\n" + _value_list(gen, here, fvs))
        else:
            parts.append(_value_list(gen, here, values))
    gen.pages[here] = "\n".join(parts)


__all__ = ["KINDS", "FacetValue", "FacetIndex", "link", "links", "build"]
