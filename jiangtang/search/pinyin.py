"""Pinyin readings for the search index (toneless, ``ü`` written ``v``).

Uses :mod:`jiangtang.slugs` (``name_pinyin`` / ``text_pinyin``) when the core
provides them, so search and URL slugs read surnames the same way (单→shan,
曾→zeng, 解→xie, 仇→qiu); until then a local adapter over pypinyin with the same
surname table is used.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

# Readings of polyphonic characters when they are surnames (first character of a name).
SURNAMES: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha",
    "朴": "piao", "乐": "yue", "盖": "ge", "覃": "qin", "缪": "miao", "翟": "zhai",
    "种": "chong", "秘": "bi", "折": "she", "员": "yun", "召": "shao", "隗": "wei",
    "沈": "shen", "柏": "bai", "薄": "bo", "句": "gou", "卜": "bu", "华": "hua",
    "任": "ren", "纪": "ji", "尉": "yu", "长": "chang", "宿": "su", "藏": "zang",
    "繁": "po", "黑": "he", "都": "du", "重": "chong", "传": "chuan", "阚": "kan",
}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


def _core():
    try:  # the lead's slugs module, when present
        from jiangtang import slugs  # type: ignore

        return getattr(slugs, "name_pinyin", None), getattr(slugs, "text_pinyin", None)
    except Exception:  # pragma: no cover - depends on the core's progress
        return None, None


def _local_text(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda x: [""] * len(x))


def readings(text: str, *, name: bool = False) -> list[str]:
    """Give one toneless reading per code point of ``text`` (``""`` if not Han).

    Args:
        text: normalised text (simplified characters), any length.
        name: read the first Han character of every run with the surname table
            (for person names: 单立 → ``["shan", "li"]``).

    Returns:
        A list exactly ``len(text)`` long; readings are lower-case ASCII such as
        ``"lv"``; non-Han code points map to ``""``.
    """
    core_name, core_text = _core()
    out: list[str] = [""] * len(text)
    i = 0
    while i < len(text):
        if not _is_han(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and _is_han(text[j]):
            j += 1
        run = text[i:j]
        got: list[str] | None = None
        fn = core_name if name else core_text
        if fn is not None:
            try:
                got = [s.lower() for s in fn(run)]
            except Exception:
                got = None
        if got is None or len(got) != len(run):
            got = _local_text(run)
            if name and run[0] in SURNAMES:
                got[0] = SURNAMES[run[0]]
        got = [g.replace("ü", "v") for g in got]
        out[i:j] = got
        i = j
    return out


@lru_cache(maxsize=1)
def syllables() -> list[str]:
    """List every toneless pinyin syllable pypinyin can produce (for query parsing).

    Returns:
        Sorted list of about 410 syllables, ``ü`` written ``v`` (``lv``, ``nve``).
    """
    import unicodedata

    found: set[str] = set()
    for value in PINYIN_DICT.values():
        for r in value.split(","):
            s = "".join(c for c in unicodedata.normalize("NFD", r) if c.isascii())
            s = s.replace("u\u0308", "v")
            found.add(s)
    # NFD splits ü into u + combining diaeresis (dropped above); recover v-forms.
    found |= {"lv", "nv", "lve", "nve", "lvan", "lvn"}
    return sorted(s for s in found if s.isalpha() and s not in {"hm", "hng", "m", "n", "ng", "ê", "yo"} and len(s) <= 6)
