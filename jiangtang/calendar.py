"""The calendar (宣讲日历): ``calendar/`` pages and the ``calendar.ics`` subscription feed.

"Upcoming" means dated after the build date (:attr:`Hub.today`, which honours
``SOURCE_DATE_EPOCH``). The calendar page lists upcoming sessions first, then
links one page per month of past sessions (each paginated). ``calendar.ics`` is
written by icalendar (https://icalendar.readthedocs.io/) following RFC 5545:
one VEVENT per upcoming session, local times with ``TZID=Asia/Shanghai`` and a
VTIMEZONE for it, sessions without a time as all-day events, a UID made from
the session's stable :attr:`Session.uid`, and a DTSTAMP fixed to the build date
so rebuilding the same content yields the same file.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from urllib.parse import urlsplit

import icalendar

from . import facets as facets_mod
from . import pages as pages_mod
from .hub import Hub, session_sort_key
from .links import relative
from .session import Session

log = logging.getLogger(__name__)

#: The hubs' local time zone (China has one).
TZID = "Asia/Shanghai"
TZ = zoneinfo.ZoneInfo(TZID)
#: Site path of the iCalendar feed.
ICS_PATH = "calendar.ics"
#: Sessions per page of a month.
PER_PAGE = 100


def month_url(year: int, month: int) -> str:
    """URL of the page of past sessions of a month (``calendar/2024/05/``)."""
    return f"calendar/{year:04d}/{month:02d}/"


def event_uid(hub: Hub, s: Session) -> str:
    """The RFC 5545 UID of a session: ``<uid>@<host of site_url>`` (``@jiangtang`` without site_url)."""
    host = urlsplit(hub.config.site_url).hostname or "jiangtang"
    return f"{s.uid}@{host}"


def session_subject(hub: Hub, s: Session) -> str:
    """Lecture title or the record's own title."""
    return hub.lectures[s.lecture].title if s.lecture else s.title


def ics(hub: Hub, sessions: list[Session]) -> bytes:
    """The iCalendar file (RFC 5545) for ``sessions``.

    Args:
        hub: the hub (names, lecture durations, site_url for links and UIDs).
        sessions: the sessions to include (the upcoming ones).

    Returns:
        The ``.ics`` bytes (UTF-8, CRLF line ends, lines folded at 75 octets).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", "-//jiangtang//宣讲日历//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{hub.config.site_name}·宣讲日历")
    cal.add("x-wr-timezone", TZID)
    stamp = dt.datetime.combine(hub.today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for s in sessions:
        ev = icalendar.Event()
        ev.add("uid", event_uid(hub, s))
        ev.add("dtstamp", stamp)
        subject = session_subject(hub, s)
        ev.add("summary", subject)
        lec = hub.lectures.get(s.lecture) if s.lecture else None
        if s.time:
            hh, mm = (int(x) for x in s.time.split(":"))
            start = dt.datetime.combine(s.date, dt.time(hh, mm), tzinfo=TZ)
            ev.add("dtstart", start)
            if lec and lec.duration:
                ev.add("dtend", start + dt.timedelta(minutes=lec.duration))
        else:
            ev.add("dtstart", s.date)
            ev.add("dtend", s.date + dt.timedelta(days=1))
        place = "，".join(filter(None, [s.town, s.venue]))
        if place:
            ev.add("location", place)
        names = "、".join(hub.speakers[i].name for i in s.speakers)
        desc = [f"宣讲员：{names}", f"课堂：{s.classroom}"]
        if s.mode:
            desc.append(f"方式：{s.mode}")
        if s.note:
            desc.append(f"备注：{s.note}")
        if lec and hub.config.site_url:
            link = hub.config.site_url + lec.url
            ev.add("url", link)
            desc.append(f"讲稿：{link}")
        ev.add("description", "\n".join(desc))
        ev.add("categories", [s.classroom])
        cal.add_component(ev)
    if sessions:
        cal.add_missing_timezones()
    return cal.to_ical()


def _upcoming_table(gen, here: str, sessions: list[Session]) -> str:
    text = pages_mod.html_text
    weekdays = "一二三四五六日"
    rows = [[f'<span id="c-{s.uid}">{pages_mod.zh_date(s.date)}（周{weekdays[s.date.weekday()]}）</span>',
             text(s.time or "全天"), text(s.venue),
             facets_mod.link(gen, here, "towns", s.town, html=True) if s.town else "",
             gen.session_subject(here, s, html=True), gen.speakers_links(here, s.speakers, html=True)] for s in sessions]
    return pages_mod.html_table(["日期", "时间", "地点", "镇（街道）", "讲稿", "宣讲员"], rows)


def build(gen: "pages_mod.Pages") -> tuple[list[tuple[str, str]], dict[str, bytes]]:
    """Add ``calendar/`` pages to ``gen.pages``.

    Returns:
        ``(nav entries, files)``; files holds ``calendar.ics``.
    """
    hub = gen.hub
    upcoming = sorted((s for s in hub.sessions if hub.is_upcoming(s)), key=session_sort_key)
    past: dict[tuple[int, int], list[Session]] = {}
    for s in sorted((s for s in hub.sessions if not hub.is_upcoming(s)), key=session_sort_key, reverse=True):
        past.setdefault((s.date.year, s.date.month), []).append(s)
    here = "calendar/index.md"
    ics_link = relative(here, ICS_PATH)
    parts = [pages_mod.front_matter("宣讲日历", "即将举行的宣讲活动和往期宣讲，可订阅到手机日历"), "# 宣讲日历\n",
             f"截至 {pages_mod.zh_date(hub.today)}。"
             f'<a class="jt-ics" href="{ics_link}" download>订阅日历（calendar.ics）</a>：'
             "把这个链接添加到手机或电脑的日历应用（“添加订阅日历”），即将举行的宣讲会自动出现在日历里。\n",
             f"## 即将举行（{len(upcoming)} 场）\n"]
    parts.append(_upcoming_table(gen, here, upcoming) if upcoming else "暂无已安排的宣讲。\n")
    parts.append("## 往期宣讲\n")
    if past:
        years: dict[int, list[str]] = {}
        for (y, m), items in past.items():
            years.setdefault(y, []).append(f"{gen.link(here, f'{m} 月', month_url(y, m))}&nbsp;<small>{len(items)}</small>")
        for y, items in years.items():
            parts.append(f"- **{y} 年**：" + " · ".join(reversed(items)))
        parts.append("")
    else:
        parts.append("暂无往期宣讲。\n")
    gen.pages[here] = "\n".join(parts)
    cols = ("date", "subject", "speakers", "classroom", "town", "venue", "audience", "online")
    for (y, m), items in past.items():
        base = month_url(y, m)
        intro = (f"{gen.link(pages_mod.page_path(base), '宣讲日历', 'calendar/')} › {y} 年 {m} 月：共 {len(items)} 场，"
                 f"现场听众 {sum(s.audience or 0 for s in items)} 人次。\n\n")
        gen.paginate(base, items, PER_PAGE, f"{y}年{m}月的宣讲", lambda h, chunk: gen.session_table(h, chunk, cols), intro)
    return [("宣讲日历", "calendar/index.md")], {ICS_PATH: ics(hub, upcoming)}


__all__ = ["TZID", "ICS_PATH", "ics", "event_uid", "month_url", "build"]
