"""The order menu (点单式宣讲): every ``orderable`` lecture, grouped by topic, and how to order.

How to order comes from the hub's ``contact`` option (the ``jiangtang`` block of
``mkdocs.yml``, Markdown text such as an office and its office phone; never a
speaker's personal number). ``menu/`` shows each topic with up to
:data:`PREVIEW` lectures and links the topic's own paginated page
(``menu/<topic slug>/``) when it has more, so no page grows with the hub.
A lecture with several topics is listed under each; one without topics under 其他.
"""

from __future__ import annotations

import logging

from . import facets as facets_mod
from . import pages as pages_mod
from .hub import Hub, lecture_sort_key
from .lecture import Lecture
from .slugs import sort_key

log = logging.getLogger(__name__)

#: Lectures shown per topic on ``menu/`` itself.
PREVIEW = 10
#: Lectures per page of a topic's menu page.
PER_PAGE = 30
#: Heading for lectures without topics.
OTHER = "其他"


def contact(hub: Hub) -> str:
    """The hub's ordering contact (Markdown), ``""`` when not configured."""
    value = hub.config.options.get("contact") or ""
    return str(value).strip()


def how_to_order(hub: Hub) -> str:
    """The "how to order" paragraph, with the configured contact or a note that none is set."""
    c = contact(hub)
    if c:
        return f'<div class="jt-contact" markdown>\n\n**如何点单**：选好讲稿后，请联系 {c}，说明讲稿题目、希望的时间、地点和听众人数。\n\n</div>\n'
    return ('<div class="jt-contact" markdown>\n\n**如何点单**：本站尚未公布点单联系方式，请联系当地党委宣传部门。'
            "（站点管理员：在 mkdocs.yml 的 jiangtang 插件配置中填写 contact。）\n\n</div>\n")


def groups(hub: Hub) -> list[tuple[str, list[Lecture]]]:
    """``(topic, lectures)`` of orderable lectures; topics by pinyin, 其他 last; lectures newest first."""
    out: dict[str, list[Lecture]] = {}
    for lec in sorted(hub.lectures.values(), key=lecture_sort_key, reverse=True):
        if not lec.orderable:
            continue
        for t in dict.fromkeys(lec.topics) or [OTHER]:
            out.setdefault(t, []).append(lec)
    return sorted(out.items(), key=lambda kv: (kv[0] == OTHER, sort_key(kv[0])))


def entry(gen: "pages_mod.Pages", here: str, lec: Lecture, level: int = 3) -> str:
    """One menu entry: title, summary, duration, audiences, speakers."""
    esc = pages_mod.esc
    facts = []
    if lec.duration:
        facts.append(f"时长 {lec.duration} 分钟")
    if lec.audiences:
        facts.append("适合 " + facets_mod.links(gen, here, "audiences", lec.audiences))
    facts.append("宣讲员 " + gen.speakers_links(here, lec.speakers))
    text = f"{'#' * level} {esc(lec.title)}\n\n"  # level 3 under a topic heading, 2 on a topic's own page
    if lec.summary:
        text += f"{esc(lec.summary)}\n\n"
    text += "；".join(facts) + "。" + gen.link(here, "阅读讲稿", lec.url) + "\n"
    return text


def build(gen: "pages_mod.Pages") -> list[tuple[str, str]]:
    """Add ``menu/`` and its topic pages to ``gen.pages``; returns the navigation entry."""
    hub = gen.hub
    esc = pages_mod.esc
    here = "menu/index.md"
    found = groups(hub)
    if found and not contact(hub):
        log.warning("未配置点单联系方式（mkdocs.yml 中 jiangtang 插件的 contact 选项），点单页面只能请读者联系当地宣传部门")
    total = sum(1 for lec in hub.lectures.values() if lec.orderable)
    parts = [pages_mod.front_matter("点单宣讲", "可预约的宣讲讲稿菜单：按主题挑选，联系预约"), "# 点单式宣讲\n",
             f"以下 {total} 篇讲稿可以预约宣讲员上门宣讲，按主题分组。\n", how_to_order(hub)]
    if not found:
        parts.append("暂无可点单的讲稿。\n")
    taken: set[str] = set()
    for topic, lectures in found:
        slug = pages_mod.slugify(topic) or "x"
        base_slug, n = slug, 1
        while slug in taken:
            n += 1
            slug = f"{base_slug}-{n}"
        taken.add(slug)
        url = f"menu/{slug}/"
        parts.append(f"## {esc(topic)}（{len(lectures)} 篇）\n")
        parts.extend(entry(gen, here, lec) for lec in lectures[:PREVIEW])
        if len(lectures) > PREVIEW:
            parts.append(f"\n{gen.link(here, f'查看“{topic}”全部 {len(lectures)} 篇', url)}\n")
        intro = f"{gen.link(pages_mod.page_path(url), '点单式宣讲', 'menu/')} › {esc(topic)}\n\n" + how_to_order(hub) + "\n"
        gen.paginate(url, lectures, PER_PAGE, f"点单宣讲：{topic}",
                     lambda h, chunk: "\n".join(entry(gen, h, lec, level=2) for lec in chunk), intro)
    gen.pages[here] = "\n".join(parts)
    return [("点单宣讲", "menu/index.md")]


__all__ = ["contact", "how_to_order", "groups", "entry", "build", "PREVIEW"]
