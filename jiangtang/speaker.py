"""The speaker (宣讲员) content kind: ``speakers/<id>.yaml``.

Schema: content contract v1, "Speaker". Contact details are never part of a profile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .fields import Choice, Markdown, Slug, Text, TextList
from .slugs import name_slug, slugify

log = logging.getLogger(__name__)

KIND = "speaker"
WHAT = "宣讲员"

#: The speaker schema: the single source of the validator, JSON Schema and docs table.
FIELDS = (
    Text("name", True, "显示的姓名", "单丽"),
    Choice("team", True, "所属宣讲队伍（本站 teams 词表之一）", "百姓名嘴", vocab="teams"),
    Choice("town", False, "所在镇（街道）；站点配置了 towns 时须为其中之一", "岔河镇", vocab="towns"),
    Text("organization", False, "工作单位", "岔河镇新华村"),
    Text("role", False, "身份或职务", "村党总支书记"),
    TextList("topics", False, "擅长的宣讲主题", "[乡村振兴, 基层治理]"),
    Markdown("bio", False, "个人简介（Markdown）", "|\n  退休教师，……"),
    Text("photo", False, "照片，相对于本 YAML 文件的路径", "单丽.jpg"),
    Text("pinyin", False, "姓名读音（拼音音节以空格分隔），用于地址和排序", "shan li"),
    Slug("slug", False, "自定义页面地址（小写字母、数字、连字符）", "shan-li"),
)
LIST_KEYS = frozenset({"topics"})


def speaker_slug(sid: str, name: str, pinyin: str = "", slug: str = "") -> str:
    """A speaker page's slug (content contract v1, "Ids and permalinks").

    An explicit ``slug`` wins; else the id romanised with surname readings
    (``单丽`` → ``shan-li``); a ``pinyin`` override replaces the reading of the
    name part of the id (``单丽2`` with ``pinyin: chan li`` → ``chan-li-2``).
    Returns ``""`` when nothing is romanisable.
    """
    if slug:
        return slug
    if pinyin:
        suffix = sid[len(name):] if sid.startswith(name) else ""
        return "-".join(filter(None, [name_slug(name, pinyin), slugify(suffix)]))
    return name_slug(sid)


@dataclass(slots=True)
class Speaker:
    """A speaker profile.

    Attributes:
        id: file name without ``.yaml``/``.yml``.
        path, shown: the YAML file and its printed path.
        name, team, town, organization, role, topics, bio, photo, pinyin: fields.
        slug: the permalink slug (explicit, else the id romanised with surname readings).
        lines: field name → line in the file.
    """

    id: str
    path: Path
    shown: str
    name: str
    team: str
    slug: str
    town: str = ""
    organization: str = ""
    role: str = ""
    topics: list[str] = field(default_factory=list)
    bio: str = ""
    photo: str = ""
    pinyin: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    #: site path of the copied photo, set by the cross-checks (``None`` without a usable photo)
    photo_site_path: str | None = None

    @property
    def url(self) -> str:
        """Site-relative URL of the speaker page (``speakers/<slug>/``)."""
        return f"speakers/{self.slug}/"
