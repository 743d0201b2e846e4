"""Statistics (数据统计): figures computed from the session records, drawn as inline SVG charts.

Only sessions held on or before the build date count (upcoming ones are
announcements). "People reached" is reported as two figures that are never
added up: ``audience`` (现场听众) and ``online_viewers`` (线上观看), summed over
the records. A session given by speakers of two teams counts once for each team.

Charts are drawn at build time by pygal (https://www.pygal.org/) as SVG
without its JavaScript (``js=[]``), so nothing is loaded from another host;
each chart sits beside a table holding the same numbers, for screen readers and
for copying. Everything is computed in one pass over the records.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pygal
from pygal.style import Style

from . import facets as facets_mod
from . import pages as pages_mod
from .hub import Hub
from .lecture import Lecture
from .slugs import sort_key
from .speaker import Speaker

log = logging.getLogger(__name__)

#: How many lectures and speakers the top lists show.
TOP = 10
#: How many entries the short version on the home page shows.
HOME_TOP = 3
#: Bar labels longer than this are cut (with …) in charts; the table beside holds the full text.
LABEL_CHARS = 12


@dataclass
class Row:
    """Sums over a set of held sessions.

    Attributes:
        label: what the row is about (a classroom kind, a town, ``2024-05`` …).
        sessions: number of sessions.
        audience: sum of ``audience`` (people present).
        online: sum of ``online_viewers`` (people reached online).
    """

    label: str
    sessions: int = 0
    audience: int = 0
    online: int = 0

    def add(self, s) -> None:
        """Count one session record."""
        self.sessions += 1
        self.audience += s.audience or 0
        self.online += s.online_viewers or 0


@dataclass
class Stats:
    """Every figure of the stats page.

    Attributes:
        total: all held sessions.
        groups: ``(group row, [kind rows])`` per classroom group, vocabulary order;
            kinds with no session are listed with zeros.
        towns: rows per town reached, most sessions first.
        towns_not_reached: configured towns (``towns`` vocabulary) with no held session.
        teams: rows per speaker team, vocabulary order.
        months: rows per month ``YYYY-MM`` from the first to the last held session, no gaps.
        top_lectures: ``(lecture, row)``, most sessions first, at most :data:`TOP`.
        top_speakers: ``(speaker, row)``, most sessions first, at most :data:`TOP`.
        online_kinds: rows per classroom kind with online viewers, most viewers first.
    """

    total: Row
    groups: list[tuple[Row, list[Row]]] = field(default_factory=list)
    towns: list[Row] = field(default_factory=list)
    towns_not_reached: list[str] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    top_lectures: list[tuple[Lecture, Row]] = field(default_factory=list)
    top_speakers: list[tuple[Speaker, Row]] = field(default_factory=list)
    online_kinds: list[Row] = field(default_factory=list)


def compute(hub: Hub) -> Stats:
    """Compute :class:`Stats` from the hub's held sessions in one pass."""
    vocab = hub.config.vocab
    total = Row("合计")
    kinds = {k: Row(k) for k in vocab.classroom_kinds}
    towns: dict[str, Row] = {}
    teams = {t: Row(t) for t in vocab.teams}
    months: dict[str, Row] = {}
    lectures: dict[str, Row] = {}
    speakers: dict[str, Row] = {}
    for s in hub.sessions:
        if hub.is_upcoming(s):
            continue
        total.add(s)
        kinds.setdefault(s.classroom, Row(s.classroom)).add(s)
        if s.town:
            towns.setdefault(s.town, Row(s.town)).add(s)
        for team in dict.fromkeys(hub.speakers[i].team for i in s.speakers):
            teams.setdefault(team, Row(team)).add(s)
        key = f"{s.date.year:04d}-{s.date.month:02d}"
        months.setdefault(key, Row(key)).add(s)
        if s.lecture:
            lectures.setdefault(s.lecture, Row(s.lecture)).add(s)
        for i in s.speakers:
            speakers.setdefault(i, Row(i)).add(s)
    groups = []
    for group, group_kinds in vocab.classrooms.items():
        g = Row(group)
        rows = [kinds[k] for k in group_kinds]
        for r in rows:
            g.sessions += r.sessions
            g.audience += r.audience
            g.online += r.online
        groups.append((g, rows))
    by_count = lambda r: (-r.sessions, -r.audience, sort_key(r.label))  # noqa: E731
    reached = set(towns)
    return Stats(
        total=total,
        groups=groups,
        towns=sorted(towns.values(), key=by_count),
        towns_not_reached=[t for t in vocab.towns if t not in reached],
        teams=list(teams.values()),
        months=_fill_months(months),
        top_lectures=[(hub.lectures[r.label], r) for r in sorted(lectures.values(), key=by_count)[:TOP]],
        top_speakers=[(hub.speakers[r.label], r) for r in sorted(speakers.values(), key=by_count)[:TOP]],
        online_kinds=sorted((r for r in kinds.values() if r.online), key=lambda r: (-r.online, sort_key(r.label))),
    )


def _fill_months(months: dict[str, Row]) -> list[Row]:
    """Rows for every month from the first to the last key, zeros where nothing happened."""
    if not months:
        return []
    first, last = min(months), max(months)
    y, m = int(first[:4]), int(first[5:])
    out = []
    while True:
        key = f"{y:04d}-{m:02d}"
        out.append(months.get(key, Row(key)))
        if key == last:
            return out
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


# -- charts ----------------------------------------------------------------

_STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#333", foreground_strong="#222", foreground_subtle="#ccc",
    colors=("#c62828", "#ef6c00", "#1565c0", "#2e7d32"),
    font_family='system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
    label_font_size=14, major_label_font_size=14, value_font_size=13, value_label_font_size=13,
    legend_font_size=14, title_font_size=16,
)
#: Comments (they carry the render date) and pygal's inline config script (unused without its JS).
_STRIP = re.compile(r"<!--.*?-->|<script\b.*?</script>", re.S)


def chart_svg(kind: str, chart_id: str, title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> str:
    """An inline SVG chart drawn by pygal, deterministic and without scripts.

    Args:
        kind: ``"hbar"`` (horizontal bars) or ``"line"`` (time series).
        chart_id: HTML id of the ``<svg>`` (pygal's random id is replaced so builds are reproducible).
        title: accessible name (``aria-label``).
        labels: category labels (x axis, or bars from top to bottom).
        series: ``(name, values)``, one value per label.

    Returns:
        The ``<svg>`` element as one line of markup (no XML declaration, comments or scripts).
    """
    common = dict(style=_STYLE, js=[], disable_xml_declaration=True, show_legend=len(series) > 1,
                  legend_at_bottom=True, print_values=kind == "hbar", margin=8)
    if kind == "hbar":
        # pygal sizes the label column for Latin text; Chinese characters are about twice as wide
        longest = min(LABEL_CHARS, max((len(x) for x in labels), default=0))
        chart = pygal.HorizontalBar(height=max(160, 34 * len(labels) * max(1, len(series)) + 60), width=640,
                                    truncate_label=LABEL_CHARS, margin_left=8 + int(longest * _STYLE.label_font_size * 0.5),
                                    **common)
        chart.x_labels = list(reversed(labels))
        for name, values in series:
            chart.add(name, list(reversed(values)))
    else:
        step = max(1, len(labels) // 12)
        chart = pygal.Line(height=320, width=640, x_label_rotation=-45, show_minor_x_labels=False,
                           dots_size=2, **common)
        chart.x_labels = labels
        chart.x_labels_major = labels[::step]
        for name, values in series:
            chart.add(name, values)
    svg = chart.render(is_unicode=True)
    svg = _STRIP.sub("", svg).replace(f"chart-{chart.uuid}", chart_id)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{pages_mod._html(title)}" ', 1)
    return svg.replace("\n", " ")


def _table(head: tuple[str, ...], rows: list[tuple]) -> str:
    """A Markdown table; the first cell of each row is already Markdown (a link or escaped text), the rest numbers."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out) + "\n"


def _block(section_id: str, title: str, svg: str, table: str) -> str:
    """A chart and its data table side by side (stacked on a phone)."""
    return (f'<div class="jt-chart-block" id="{section_id}" markdown>\n'
            f'<div class="jt-chart" aria-hidden="true">{svg}</div>\n\n'
            f'<div class="jt-chart-data" markdown>\n\n{table}\n</div>\n</div>\n')


def stats_page(gen: "pages_mod.Pages", st: Stats) -> str:
    """The Markdown of ``stats/index.md``."""
    hub = gen.hub
    here = "stats/index.md"
    flink = lambda kind, v: facets_mod.link(gen, here, kind, v)  # noqa: E731
    t = st.total
    parts = [pages_mod.front_matter("数据统计", "宣讲场次、现场听众和线上观看人次的统计"), "# 数据统计\n",
             f"截至 {pages_mod.zh_date(hub.today)}，共举行宣讲 **{t.sessions}** 场，现场听众 **{t.audience}** 人次，"
             f"线上观看 **{t.online}** 人次。统计只含已举行的宣讲；图表下的表格列出同样的数字，可直接复制。\n"]
    # classroom groups and kinds
    parts.append("## 各类课堂\n")
    rows = []
    for g, kinds in st.groups:
        rows.append((f"**{pages_mod.esc(g.label)}**", g.sessions, g.audience, g.online))
        for r in kinds:
            rows.append(("\u3000" + flink("classrooms", r.label), r.sessions, r.audience, r.online))
    kinds_all = [r for _, kinds in st.groups for r in kinds]
    svg = chart_svg("hbar", "jt-chart-groups", "各类课堂宣讲场次", [r.label for r in kinds_all], [("场次", [r.sessions for r in kinds_all])])
    parts.append(_block("jt-stats-groups", "各类课堂", svg, _table(("课堂", "场次", "现场听众", "线上观看"), rows)))
    # towns
    parts.append("## 各镇（街道）\n")
    svg = chart_svg("hbar", "jt-chart-towns", "各镇（街道）宣讲场次", [r.label for r in st.towns], [("场次", [r.sessions for r in st.towns])])
    rows = [(flink("towns", r.label), r.sessions, r.audience, r.online) for r in st.towns]
    parts.append(_block("jt-stats-towns", "各镇（街道）", svg, _table(("镇（街道）", "场次", "现场听众", "线上观看"), rows)))
    if hub.config.vocab.towns:
        if st.towns_not_reached:
            parts.append(f'<p class="jt-not-reached" id="jt-towns-not-reached">尚未宣讲到的镇（街道）（{len(st.towns_not_reached)} 个）：'
                         + "、".join(pages_mod._html(x) for x in st.towns_not_reached) + "</p>\n")
        else:
            parts.append('<p class="jt-not-reached" id="jt-towns-not-reached">所有镇（街道）都已宣讲到。</p>\n')
    # teams
    parts.append("## 各宣讲队伍\n\n一场宣讲由几支队伍的宣讲员共同完成时，每支队伍各计一次。\n")
    svg = chart_svg("hbar", "jt-chart-teams", "各宣讲队伍宣讲场次", [r.label for r in st.teams], [("场次", [r.sessions for r in st.teams])])
    rows = [(flink("teams", r.label), r.sessions, r.audience, r.online) for r in st.teams]
    parts.append(_block("jt-stats-teams", "各宣讲队伍", svg, _table(("宣讲队伍", "场次", "现场听众", "线上观看"), rows)))
    # months
    parts.append("## 逐月宣讲\n")
    if st.months:
        svg = chart_svg("line", "jt-chart-months", "逐月宣讲场次", [r.label for r in st.months],
                        [("场次", [r.sessions for r in st.months])])
        rows = [(r.label, r.sessions, r.audience, r.online) for r in reversed(st.months)]
        parts.append(_block("jt-stats-months", "逐月宣讲", svg, _table(("月份", "场次", "现场听众", "线上观看"), rows)))
    else:
        parts.append("暂无宣讲记录。\n")
    # top lists
    parts.append(f"## 宣讲最多的讲稿（前 {TOP} 名）\n")
    if st.top_lectures:
        svg = chart_svg("hbar", "jt-chart-lectures", "宣讲最多的讲稿", [lec.title for lec, _ in st.top_lectures],
                        [("场次", [r.sessions for _, r in st.top_lectures])])
        rows = [(gen.link(here, lec.title, lec.url), r.sessions, r.audience, r.online) for lec, r in st.top_lectures]
        parts.append(_block("jt-stats-lectures", "讲稿", svg, _table(("讲稿", "场次", "现场听众", "线上观看"), rows)))
    else:
        parts.append("暂无。\n")
    parts.append(f"## 宣讲最多的宣讲员（前 {TOP} 名）\n")
    if st.top_speakers:
        svg = chart_svg("hbar", "jt-chart-speakers", "宣讲最多的宣讲员", [gen.speaker_label(sp) for sp, _ in st.top_speakers],
                        [("场次", [r.sessions for _, r in st.top_speakers])])
        rows = [(gen.link(here, gen.speaker_label(sp), sp.url), r.sessions, r.audience, r.online) for sp, r in st.top_speakers]
        parts.append(_block("jt-stats-speakers", "宣讲员", svg, _table(("宣讲员", "场次", "现场听众", "线上观看"), rows)))
    else:
        parts.append("暂无。\n")
    # online
    parts.append("## 线上观看\n")
    if st.online_kinds:
        svg = chart_svg("hbar", "jt-chart-online", "各类课堂线上观看人次", [r.label for r in st.online_kinds],
                        [("线上观看", [r.online for r in st.online_kinds])])
        rows = [(flink("classrooms", r.label), r.sessions, r.online) for r in st.online_kinds]
        parts.append(_block("jt-stats-online", "线上观看", svg, _table(("课堂", "场次", "线上观看"), rows)))
    else:
        parts.append("暂无线上观看记录。\n")
    return "\n".join(parts)


def home_summary(gen: "pages_mod.Pages", here: str = "index.md") -> str:
    """The short version of the stats for the home page: classroom groups and the top lectures and speakers."""
    st = stats_of(gen.hub)
    groups = "、".join(f"{pages_mod.esc(g.label)} {g.sessions} 场（现场 {g.audience} 人次、线上 {g.online} 人次）" for g, _ in st.groups)
    lines = [f"## 宣讲统计\n\n- **各类课堂**：{groups}"]
    if st.towns:
        top = "、".join(f"{facets_mod.link(gen, here, 'towns', r.label)} {r.sessions} 场" for r in st.towns[:HOME_TOP])
        more = f"；尚未宣讲到 {len(st.towns_not_reached)} 个" if gen.hub.config.vocab.towns and st.towns_not_reached else ""
        lines.append(f"- **覆盖镇（街道）**：{len(st.towns)} 个，最多的是 {top}{more}")
    if st.top_lectures:
        lines.append("- **宣讲最多的讲稿**：" + "、".join(f"{gen.link(here, lec.title, lec.url)}（{r.sessions} 场）" for lec, r in st.top_lectures[:HOME_TOP]))
    if st.top_speakers:
        lines.append("- **宣讲最多的宣讲员**：" + "、".join(
            f"{gen.link(here, gen.speaker_label(sp), sp.url)}（{r.sessions} 场）" for sp, r in st.top_speakers[:HOME_TOP]))
    lines.append(f"\n完整图表见{gen.link(here, '数据统计', 'stats/')}。\n")
    return "\n".join(lines) + "\n"


def stats_of(hub: Hub) -> Stats:
    """The hub's :class:`Stats`, computed once and cached on the hub."""
    st = getattr(hub, "_stats", None)
    if st is None:
        st = hub._stats = compute(hub)
    return st


def build(gen: "pages_mod.Pages") -> list[tuple[str, str]]:
    """Add ``stats/index.md`` to ``gen.pages``; returns its navigation entry."""
    gen.pages["stats/index.md"] = stats_page(gen, stats_of(gen.hub))
    return [("数据统计", "stats/index.md")]


__all__ = ["Row", "Stats", "compute", "stats_of", "chart_svg", "stats_page", "home_summary", "build", "TOP"]
