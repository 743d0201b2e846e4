"""The session record (宣讲记录) content kind: items of lists in ``sessions/**/*.yaml``.

Schema: content contract v1, "Session record".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Report
from .fields import Choice, Count, Date, Text, TextList, Time
from .source import Node

log = logging.getLogger(__name__)

KIND = "session"
WHAT = "宣讲记录"

#: The session schema: the single source of the validator, JSON Schema and docs table.
FIELDS = (
    Date("date", True, "举行日期（未来日期表示即将举行）", "2022-05-01"),
    Time("time", False, "开始时间（24 小时制 HH:MM，当地时间）", '"19:30"'),
    TextList("speakers", True, "宣讲员编号列表，至少一个", "[单丽]", min_items=1),
    Text("lecture", False, "所讲讲稿的编号（lectures/ 下的文件名，不含 .md）；与 title 二选一", "dongxun-lianmeng"),
    Text("title", False, "宣讲主题（没有讲稿文件时填写）；与 lecture 二选一", "冬训政策面对面"),
    Choice("classroom", True, "课堂类型（本站 classrooms 词表之一）", "田间课堂", vocab="classroom_kinds"),
    Choice("town", False, "所到镇（街道）；站点配置了 towns 时须为其中之一", "洋口镇", vocab="towns"),
    Text("venue", False, "地点", "渔港码头"),
    Choice("mode", False, "宣讲方式（本站 modes 词表之一）", "点单式宣讲", vocab="modes"),
    Count("audience", False, "现场听众人数（0–100000 的整数）", "45", maximum=100_000),
    Count("online_viewers", False, "线上观看人数（0–100000000 的整数）", "1200", maximum=100_000_000),
    Text("note", False, "备注", "雨天改在村部礼堂"),
)
LIST_KEYS = frozenset({"speakers"})
#: Exactly one of these fields is set in a record (JT038; ``oneOf`` in the JSON Schema).
ONE_OF = ("lecture", "title")


def check_record(values: dict, node: Node, report: Report, shown: str) -> None:
    """Whole-record rule: exactly one of :data:`ONE_OF` (``lecture``, ``title``) (JT038)."""
    first, second = ONE_OF
    if (first in values) == (second in values):
        both = first in values
        report.add(shown, node.line, node.col, "JT038",
                   "这条记录同时填写了 lecture 和 title" if both else "这条记录既没有 lecture 也没有 title")


@dataclass(slots=True)
class Session:
    """One session record.

    Provinces hold hundreds of thousands of these, so the class has slots and
    keeps no YAML node: only the record's first line and a shared layout of
    where its fields are (see :func:`line_layout`).

    Attributes:
        path, shown, line: the file, its printed path and the record's first line.
        date, time, speakers, lecture, title, classroom, town, venue, mode,
        audience, online_viewers, note: the fields (``speakers`` holds ids,
        ``lecture`` a lecture id or ``""``).
        layout: ``((field, line - self.line), …)``, shared by records written alike.
    """

    path: Path
    shown: str
    line: int
    date: dt.date
    speakers: list[str]
    classroom: str
    time: str = ""
    lecture: str = ""
    title: str = ""
    town: str = ""
    venue: str = ""
    mode: str = ""
    audience: int | None = None
    online_viewers: int | None = None
    note: str = ""
    layout: tuple = ()
    _uid: str = field(default="", repr=False, compare=False)

    @property
    def lines(self) -> dict[str, int]:
        """Field name → line of the field in the file."""
        return {k: self.line + d for k, d in self.layout}

    @property
    def uid(self) -> str:
        """Stable id from what identifies the event (date, time, speakers, subject, venue).

        Independent of the file and of the record's position in it, so
        anchors and calendar UIDs survive reordering. 10 hex digits of SHA-1.
        Computed once, on first use after loading (references are resolved by then).
        """
        if not self._uid:
            key = "|".join([self.date.isoformat(), self.time, ",".join(sorted(self.speakers)),
                            self.lecture or self.title, self.classroom, self.town, self.venue])
            self._uid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        return self._uid

    @property
    def anchor(self) -> str:
        """HTML id of this record on the session records page (``s-<uid>``)."""
        return f"s-{self.uid}"


_LAYOUTS: dict[tuple, tuple] = {}
#: Short values repeated across records (vocabulary words, times, ids), stored once.
_SHARED: dict = {}


def line_layout(first_line: int, key_lines: dict[str, tuple[int, int]]) -> tuple:
    """The record's field positions relative to its first line, as one shared tuple.

    Args:
        first_line: the record's first line.
        key_lines: field name → ``(line, col)`` of the key (``Node.keys``).

    Returns:
        ``((field, line offset), …)``; equal layouts are the same object.
    """
    layout = tuple((k, pos[0] - first_line) for k, pos in key_lines.items())
    return _LAYOUTS.setdefault(layout, layout)


def shared(value):
    """``value``, or an equal one seen before (dates, vocabulary words, ids repeat across records)."""
    return _SHARED.setdefault(value, value) if isinstance(value, (str, dt.date)) else value
