"""Slugs, pinyin readings and the one sort key used everywhere.

Rules (content contract v1, "Ids and permalinks"): a slug is the romanised id:
lowercase, tone-less pinyin syllables joined by ``-``, ``ü`` written ``v``,
ASCII letters and digits kept, other symbols dropped. A person's name takes the
surname reading of its first character(s) (单 → shan, 曾 → zeng, 解 → xie,
仇 → qiu). Readings come from pypinyin (https://github.com/mozillazg/python-pinyin);
the surname table below follows the 《百家姓》 readings given in 现代汉语词典.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

log = logging.getLogger(__name__)

#: Surname readings that differ from the common reading of the character.
#: Compound surnames come first so that they win over single characters.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "单于": ("chan", "yu"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge",),
    "乐": ("yue",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "缪": ("miao",),
    "召": ("shao",),
    "种": ("chong",),
    "折": ("she",),
    "员": ("yun",),
    "繁": ("po",),
    "宓": ("fu",),
    "秘": ("bi",),
    "句": ("gou",),
    "尉": ("yu",),
    "柏": ("bai",),
    "贾": ("jia",),
    "任": ("ren",),
    "华": ("hua",),
    "曲": ("qu",),
    "纪": ("ji",),
    "燕": ("yan",),
    "藏": ("zang",),
    "祭": ("zhai",),
    "车": ("che",),
    "沈": ("shen",),
    "传": ("chuan",),
    "莘": ("shen",),
    "石": ("shi",),
    "重": ("chong",),
    "隗": ("wei",),
    "阚": ("kan",),
}

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")


def normalize(text: str) -> str:
    """Return ``text`` in Unicode NFKC (full-width letters and digits become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def id_key(value: str) -> str:
    """Comparison key for ids: Unicode NFC, then case folding (contract v1)."""
    return unicodedata.normalize("NFC", value).casefold()


def _syllables(text: str) -> list[str]:
    """Split ``text`` into lowercase tone-less tokens: pinyin syllables and ASCII runs.

    Han characters become one syllable each (``ü`` as ``v``); runs of ASCII
    letters/digits are kept whole; everything else separates tokens.
    """
    out: list[str] = []
    for chunk in lazy_pinyin(normalize(text), style=Style.NORMAL, errors=lambda s: [s], v_to_u=False):
        for run in _ASCII_RUN.findall(chunk):
            out.append(run.lower())
    return out


@lru_cache(maxsize=65536)
def text_pinyin(text: str) -> tuple[str, ...]:
    """Tone-less pinyin tokens of arbitrary text (``"实践论"`` → ``("shi", "jian", "lun")``).

    ASCII letters and digits are kept as lowercase runs; other symbols are dropped.
    """
    return tuple(_syllables(text))


@lru_cache(maxsize=65536)
def name_pinyin(name: str, override: str | None = None) -> tuple[str, ...]:
    """Tone-less pinyin of a person's name, with the surname reading of its start.

    Args:
        name: display name, e.g. ``"单丽"``.
        override: a ``pinyin:`` field value (syllables separated by spaces),
            which wins when given.

    Returns:
        The syllables, e.g. ``("shan", "li")``.
    """
    if override:
        return tuple(s for s in re.split(r"[\s\-_']+", normalize(override).lower()) if s)
    name = normalize(name).strip()
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname):
            return SURNAME_READINGS[surname] + text_pinyin(name[len(surname):])
    return text_pinyin(name)


def slugify(text: str) -> str:
    """Slug of arbitrary text: pinyin syllables and ASCII runs joined by ``-``.

    ``"高标准农田"`` → ``"gao-biao-zhun-nong-tian"``; ``"zhou-ming"`` → ``"zhou-ming"``.
    Returns ``""`` when nothing romanisable is left.
    """
    return "-".join(text_pinyin(text))


def name_slug(name: str, override: str | None = None) -> str:
    """Slug of a person's id or name using surname readings (``"单丽"`` → ``"shan-li"``)."""
    return "-".join(name_pinyin(name, override))


def is_valid_slug(value: str) -> bool:
    """True when ``value`` matches the contract's slug pattern ``[a-z0-9-]+`` (no empty parts)."""
    return bool(_SLUG_RE.match(value))


def heading_slugify(value: str, separator: str = "-") -> str:
    """Anchor id for a heading, for Python-Markdown's ``toc`` extension ``slugify`` option.

    ``"实践论"`` → ``"shi-jian-lun"``. Uniqueness within a page is added by the
    ``toc`` extension itself (``_1``, ``_2`` for repeated headings), so an id
    depends only on its own text and stays put when other headings move.
    A heading with nothing romanisable gets ``"section"``.
    """
    slug = separator.join(text_pinyin(value))
    return slug or "section"


def anchor_id(fragment: str) -> str:
    """The heading id a link fragment means: ASCII ids stay, Chinese ones become pinyin.

    ``"实践论_1"`` → ``"shi-jian-lun_1"`` (the ``toc`` extension's suffix for a
    repeated heading is kept); ``"shi-jian-lun"`` stays as written.
    """
    if re.fullmatch(r"[A-Za-z0-9_\-]+", fragment):
        return fragment
    m = re.fullmatch(r"(.*?)(_\d+)?", fragment)
    return heading_slugify(m.group(1)) + (m.group(2) or "")


def sort_key(text: str) -> tuple:
    """The one sort key for Chinese display text: pinyin, then the text itself.

    Used by every listing so orders agree across pages, search and feeds.
    """
    return (text_pinyin(text), text)


def name_sort_key(name: str, override: str | None = None) -> tuple:
    """Sort key for a person's name: surname-aware pinyin, then the name."""
    return (name_pinyin(name, override), name)
