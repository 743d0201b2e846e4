"""The lecture (讲稿) content kind: ``lectures/**/<id>.md``, front matter + Markdown body.

Schema: content contract v1, "Lecture".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .fields import Attachments, Bool, Count, Date, Slug, Text, TextList

log = logging.getLogger(__name__)

KIND = "lecture"
WHAT = "讲稿"

#: The lecture schema: the single source of the validator, JSON Schema and docs table.
FIELDS = (
    Text("title", True, "讲稿标题", "学习《实践论》的三点体会"),
    Date("date", True, "撰写或首次宣讲的日期", "2022-05-01"),
    TextList("speakers", True, "宣讲员编号列表（speakers/ 下的文件名，不含 .yaml），至少一个", "[单丽, 曾国华]", min_items=1),
    TextList("topics", False, "主题标签", "[党史学习教育, 乡村振兴]"),
    TextList("audiences", False, "适合的听众", "[农村党员, 企业职工]"),
    Text("summary", False, "一句话摘要，不超过 200 字，用于列表、搜索结果和链接预览", "用身边事讲清……", max_len=200),
    Count("duration", False, "宣讲时长（分钟，1–1440 的整数）", "40", minimum=1, maximum=1440),
    Bool("orderable", False, "是否列入点单式宣讲菜单（默认 false）", "true"),
    Slug("slug", False, "自定义页面地址（小写字母、数字、连字符）", "shi-jian-lun"),
    Attachments("attachments", False, "附件列表：{title, file}（相对于讲稿文件）或 {title, url}（http/https）", "[{title: 讲稿提纲, file: tigang.pdf}]"),
)
LIST_KEYS = frozenset({"speakers", "topics", "audiences", "attachments"})


@dataclass(slots=True)
class Lecture:
    """A lecture note.

    Attributes:
        id: file name without ``.md``.
        path: the Markdown file.
        shown: the path as printed in messages.
        title, date, speakers, topics, audiences, summary, duration, orderable,
        attachments: the front matter fields (``speakers`` holds ids).
        slug: the permalink slug (explicit or derived).
        body: Markdown body; ``body_line`` is its first line in the file.
        lines: field name → line of the field in the file.
        link_targets: resolved relative links of the body, set by the
            cross-checks (see :func:`jiangtang.hub._check_body_links`).
        heading_ids: ids of the page's headings, computed on first need.
    """

    id: str
    path: Path
    shown: str
    title: str
    date: dt.date
    speakers: list[str]
    slug: str
    body: str = ""
    body_line: int = 1
    topics: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    summary: str = ""
    duration: int | None = None
    orderable: bool = False
    attachments: list[dict] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    link_targets: dict = field(default_factory=dict, repr=False, compare=False)
    heading_ids: set[str] | None = field(default=None, repr=False, compare=False)

    @property
    def url(self) -> str:
        """Site-relative URL of the lecture page (``lectures/<slug>/``)."""
        return f"lectures/{self.slug}/"
