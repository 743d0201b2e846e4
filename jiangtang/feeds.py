"""The Atom feed ``feed.xml`` of the newest lectures, written by feedgen (https://feedgen.kiesow.be/).

Atom (RFC 4287): each entry has the lecture's title, summary, speakers as
authors, topics as categories, its date as ``updated``/``published`` (midnight,
Asia/Shanghai) and its permalink. Links are absolute when the hub sets
``site_url``, else relative to ``feed.xml`` at the site root; ids are the
permalinks, or ``urn:jiangtang:lecture:<slug>`` without ``site_url``. The feed's
own ``updated`` is the newest lecture's date, so rebuilding gives the same file.
"""

from __future__ import annotations

import datetime as dt
import logging

from feedgen.feed import FeedGenerator

from .hub import Hub, lecture_sort_key

log = logging.getLogger(__name__)

#: Site path of the feed.
FEED_PATH = "feed.xml"
#: Number of lectures in the feed.
FEED_SIZE = 30
_TZ = dt.timezone(dt.timedelta(hours=8))


def feed_xml(hub: Hub) -> bytes:
    """The Atom feed of the :data:`FEED_SIZE` newest lectures (UTF-8 XML bytes)."""
    base = hub.config.site_url
    fg = FeedGenerator()
    fg.id(base + FEED_PATH if base else "urn:jiangtang:feed")
    fg.title(f"{hub.config.site_name}·最新讲稿")
    fg.subtitle(f"{hub.config.site_name}最新发布的宣讲讲稿")
    fg.language("zh-CN")
    fg.link(href=base or "./", rel="alternate", type="text/html")
    fg.link(href=(base or "") + FEED_PATH, rel="self", type="application/atom+xml")
    fg.generator("jiangtang")
    latest = sorted(hub.lectures.values(), key=lecture_sort_key, reverse=True)[:FEED_SIZE]
    newest = latest[0].date if latest else hub.today
    fg.updated(dt.datetime.combine(newest, dt.time(0, 0), tzinfo=_TZ))
    for lec in latest:
        fe = fg.add_entry(order="append")
        url = (base or "") + lec.url
        fe.id(url if base else f"urn:jiangtang:lecture:{lec.slug}")
        fe.title(lec.title)
        fe.link(href=url, rel="alternate", type="text/html")
        when = dt.datetime.combine(lec.date, dt.time(0, 0), tzinfo=_TZ)
        fe.updated(when)
        fe.published(when)
        for sid in lec.speakers:
            fe.author(name=hub.speakers[sid].name)
        for topic in lec.topics:
            fe.category(term=topic)
        fe.summary(lec.summary or lec.title)
    return fg.atom_str(pretty=True)


def build(hub: Hub) -> dict[str, bytes]:
    """``{"feed.xml": bytes}``."""
    return {FEED_PATH: feed_xml(hub)}


__all__ = ["FEED_PATH", "FEED_SIZE", "feed_xml", "build"]
