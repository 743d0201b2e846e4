"""Field types: the building blocks of the lecture, speaker and session schemas.

Like MkDocs' ``config_options`` (a class per option whose ``run`` validates a
value), each field here turns a located YAML :class:`~jiangtang.source.Node`
into a Python value or raises :class:`FieldError` with a code and a Chinese
message. A schema is an ordered tuple of fields; :func:`validate_mapping` runs
one over a mapping node, collecting every problem, and suggests the closest
known key for an unknown one. The JSON Schema files and the contributor docs'
field tables are derived from the same tuples (see ``type_zh`` / ``json_schema``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable

from .diagnostics import Report
from .slugs import is_valid_slug
from .source import Node

log = logging.getLogger(__name__)


class FieldError(Exception):
    """A value that does not fit its field.

    Attributes:
        code: catalogue code (``JT032`` …).
        message: Chinese message.
        hint: Chinese fix hint, may be empty.
        node: the node at fault (for the position), or None for the field's own.
    """

    def __init__(self, code: str, message: str, hint: str = "", node: Node | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.node = code, message, hint, node


@dataclass(frozen=True)
class Field:
    """One field of a content schema.

    Attributes:
        name: the YAML key.
        required: whether it must be present.
        doc: Chinese meaning, shown in the contributor docs.
        example: an example value as written in YAML.
    """

    name: str
    required: bool = False
    doc: str = ""
    example: str = ""

    type_zh = "文本"

    def check(self, node: Node, vocab: "Vocabulary") -> Any:
        """Validate ``node`` and return its value; raise :class:`FieldError` if it does not fit."""
        raise NotImplementedError

    def json_schema(self, vocab: "Vocabulary") -> dict:
        """The JSON Schema (draft 2020-12) of this field's value."""
        raise NotImplementedError


_FULLWIDTH_OPEN = "“”‘’「『【［（〔"


def _refuse_fullwidth_quotes(field: "Field", node: Node) -> None:
    """Raise JT015 when a date, time, number or true/false is wrapped in full-width quotes or brackets."""
    v = node.value
    if isinstance(v, str) and v[:1] in _FULLWIDTH_OPEN:
        raise FieldError("JT015", f"{field.name} 的值用了全角符号“{v[0]}”括起来：{v}",
                         f"去掉全角符号，或改用半角引号，例如 {field.name}: {field.example}")


def _describe(node: Node) -> str:
    v = node.plain()
    if isinstance(v, list):
        return "列表"
    if isinstance(v, dict):
        return "“字段: 值”结构"
    if isinstance(v, bool):
        return f"布尔值 {str(v).lower()}"
    return f"“{v}”"


@dataclass(frozen=True)
class Text(Field):
    """A line of text (numbers and dates written bare are taken as their text)."""

    max_len: int | None = None
    type_zh = "文本"

    def check(self, node, vocab):
        v = node.value
        if isinstance(v, (list, dict)) or v is None or isinstance(v, bool):
            raise FieldError("JT032", f"{self.name} 应为文本，实际是{_describe(node) if v is not None else '空值'}")
        text = v.isoformat() if isinstance(v, dt.date) else str(v)
        text = text.strip()
        if not text:
            raise FieldError("JT031", f"{self.name} 是空的")
        if self.max_len and len(text) > self.max_len:
            raise FieldError("JT037", f"{self.name} 有 {len(text)} 个字，超过 {self.max_len} 字")
        return text

    def json_schema(self, vocab):
        s: dict = {"type": "string", "minLength": 1}
        if self.max_len:
            s["maxLength"] = self.max_len
        return s


@dataclass(frozen=True)
class Markdown(Text):
    """Markdown text, possibly several lines (``bio: |``)."""

    type_zh = "Markdown 文本"


@dataclass(frozen=True)
class Choice(Text):
    """Text that must be one of a hub vocabulary (``vocab`` names the list)."""

    vocab: str = ""
    type_zh = "词表中的值"

    def allowed(self, vocab) -> list[str]:
        """The allowed values from the hub's vocabularies (empty: any value)."""
        return list(getattr(vocab, self.vocab))

    def check(self, node, vocab):
        text = super().check(node, vocab)
        allowed = self.allowed(vocab)
        if allowed and text not in allowed:
            close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.3)
            hint = (f"是不是“{close[0]}”？" if close else "") + "可选值：" + "、".join(allowed)
            raise FieldError("JT035", f"{self.name} 的值“{text}”不在本站词表中", hint)
        return text

    def json_schema(self, vocab):
        allowed = self.allowed(vocab)
        return {"type": "string", "enum": allowed} if allowed else {"type": "string", "minLength": 1}


@dataclass(frozen=True)
class Slug(Text):
    """A permalink override ``[a-z0-9-]+``."""

    type_zh = "slug（小写字母、数字、连字符）"

    def check(self, node, vocab):
        text = super().check(node, vocab)
        if not is_valid_slug(text):
            raise FieldError("JT036", f"slug “{text}”只能包含小写字母、数字和连字符")
        return text

    def json_schema(self, vocab):
        return {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}


#: Plausible years for any date in a hub (typos like 0202 or 9999 are errors).
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class Date(Field):
    """A calendar date ``YYYY-MM-DD`` (bare or quoted), in years :data:`MIN_YEAR`–:data:`MAX_YEAR`."""

    type_zh = "日期 YYYY-MM-DD"

    def check(self, node, vocab):
        _refuse_fullwidth_quotes(self, node)
        v = node.value
        if isinstance(v, dt.datetime):
            raise FieldError("JT033", f"{self.name} 只填日期，不要带时间：{v}", "写成 YYYY-MM-DD；时间请填 time 字段")
        if isinstance(v, dt.date):
            return self._plausible(v)
        text = str(v).strip() if v is not None else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return self._plausible(dt.date.fromisoformat(text))
            except ValueError:
                raise FieldError("JT033", f"{self.name} “{text}”不是存在的日期", "检查月份（1–12）和日期") from None
        raise FieldError("JT033", f"{self.name} “{text}”不是 YYYY-MM-DD 格式的日期", "例如 2022-05-01")

    def _plausible(self, value: dt.date) -> dt.date:
        if not (MIN_YEAR <= value.year <= MAX_YEAR):
            raise FieldError("JT033", f"{self.name} “{value.isoformat()}”的年份不合理（应在 {MIN_YEAR}–{MAX_YEAR} 年之间）", "检查年份是否输错")
        return value

    def json_schema(self, vocab):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@dataclass(frozen=True)
class Time(Field):
    """A 24-hour local time ``HH:MM``.

    YAML 1.1 reads an unquoted ``14:30`` as the sexagesimal integer 870; we turn
    it back into ``14:30`` (PyYAML resolver, ``tag:yaml.org,2002:int``).
    """

    type_zh = "时间 HH:MM"

    def check(self, node, vocab):
        _refuse_fullwidth_quotes(self, node)
        v = node.value
        if isinstance(v, int) and not isinstance(v, bool) and node.tag == "int":
            v = node.raw  # the text as typed: 14:30, not YAML 1.1's sexagesimal 870
        text = str(v).strip() if v is not None else ""
        m = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise FieldError("JT039", f"{self.name} “{text}”不是 HH:MM 格式的时间", "写成 24 小时制，例如 09:30、15:00")
        return f"{int(m.group(1)):02d}:{m.group(2)}"

    def json_schema(self, vocab):
        return {"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$"}


@dataclass(frozen=True)
class Count(Field):
    """A whole number written in decimal digits, between ``minimum`` and ``maximum``.

    YAML 1.1 (PyYAML) reads ``017`` as octal 15, ``0x10`` as 16 and ``1:30`` as
    90; a count typed that way is refused instead of silently changed.
    """

    minimum: int = 0
    maximum: int = 10**9
    type_zh = "整数"

    def check(self, node, vocab):
        _refuse_fullwidth_quotes(self, node)
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int):
            shown = v if not isinstance(v, (list, dict)) else _describe(node)
            raise FieldError("JT034", f"{self.name} 应为整数，实际是“{shown}”", f"填写阿拉伯数字，例如 {max(self.minimum, 45)}")
        if not re.fullmatch(r"[+]?(0|[1-9][0-9_]*)", node.raw.strip()):
            digits = node.raw.strip().lstrip("0")
            example = f"，例如 {digits}" if digits.isdigit() else "，不要用 0 开头、0x 或冒号"
            raise FieldError("JT034", f"{self.name} 写成了“{node.raw}”，会被读成 {v}", f"直接写十进制数字{example}")
        if v < self.minimum:
            raise FieldError("JT034", f"{self.name} 是 {v}，应不小于 {self.minimum}")
        if v > self.maximum:
            raise FieldError("JT034", f"{self.name} 是 {v}，超过了合理上限 {self.maximum}", "检查是否多输了几位数字")
        return v

    def json_schema(self, vocab):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Bool(Field):
    """``true`` or ``false``."""

    type_zh = "true 或 false"

    def check(self, node, vocab):
        _refuse_fullwidth_quotes(self, node)
        if not isinstance(node.value, bool):
            raise FieldError("JT032", f"{self.name} 应为 true 或 false，实际是{_describe(node)}", "是填 true，否填 false")
        return node.value

    def json_schema(self, vocab):
        return {"type": "boolean"}


@dataclass(frozen=True)
class TextList(Field):
    """A list of text items; a single text is taken as a list of one."""

    min_items: int = 0
    item: Field | None = None
    type_zh = "文本列表"

    def check(self, node, vocab):
        items = node.value if isinstance(node.value, list) else [node]
        if isinstance(node.value, dict):
            raise FieldError("JT032", f"{self.name} 应为列表，实际是{_describe(node)}", "写成 [甲, 乙] 或每行一个“- 甲”")
        item_field = self.item or Text(self.name)
        out = []
        for n in items:
            try:
                out.append(item_field.check(n, vocab))
            except FieldError as exc:
                exc.node = exc.node or n
                raise
        if len(out) < self.min_items:
            raise FieldError("JT031", f"{self.name} 至少要有 {self.min_items} 项")
        return out

    def json_schema(self, vocab):
        item = (self.item or Text(self.name)).json_schema(vocab)
        s: dict = {"type": "array", "items": item}
        if self.min_items:
            s["minItems"] = self.min_items
        return {"anyOf": [s, item]} if not self.min_items else {"anyOf": [s, item]}


@dataclass(frozen=True)
class Attachments(Field):
    """A list of ``{title, file}`` or ``{title, url}`` mappings."""

    type_zh = "附件列表"

    def check(self, node, vocab):
        if not isinstance(node.value, list):
            raise FieldError("JT040", f"{self.name} 应为列表")
        out = []
        for n in node.value:
            if not isinstance(n.value, dict):
                raise FieldError("JT040", f"附件 {_describe(n)} 应写成 {{title: 标题, file: 文件}}", node=n)
            d = n.value
            unknown = set(d) - {"title", "file", "url"}
            if "title" not in d or ("file" in d) == ("url" in d) or unknown:
                raise FieldError("JT040", "每个附件需要 title，以及 file 或 url 之一", node=n)
            title = Text("title").check(d["title"], vocab)
            if "url" in d:
                url = Text("url").check(d["url"], vocab)
                if not re.match(r"^https?://[^\s/]+", url):
                    raise FieldError("JT040", f"附件网址“{url}”应以 http:// 或 https:// 开头", node=d["url"])
                out.append({"title": title, "url": url, "line": n.line, "col": n.col})
            else:
                out.append({"title": title, "file": Text("file").check(d["file"], vocab), "line": d["file"].line, "col": d["file"].col})
        return out

    def json_schema(self, vocab):
        base = {"title": {"type": "string", "minLength": 1}}
        return {"type": "array", "items": {"oneOf": [
            {"type": "object", "properties": {**base, "file": {"type": "string"}}, "required": ["title", "file"], "additionalProperties": False},
            {"type": "object", "properties": {**base, "url": {"type": "string", "pattern": "^https?://"}}, "required": ["title", "url"], "additionalProperties": False},
        ]}}


def validate_mapping(node: Node | None, fields: tuple[Field, ...], shown: str, report: Report, vocab,
                     what: str, check: Callable[[dict, Node, Report], None] | None = None) -> dict | None:
    """Run a schema over a mapping node, reporting every problem.

    Args:
        node: the mapping (front matter, a speaker file, a session record).
        fields: the schema.
        shown: path printed in messages.
        report: receives JT022 (not a mapping), JT030 (unknown key, with the
            closest known key), JT031 (missing required) and each field's codes.
        vocab: the hub's :class:`~jiangtang.config.Vocabulary`.
        what: Chinese name of the thing (``"讲稿"``) for messages.
        check: optional whole-record check run when all fields passed.

    Returns:
        Field name → value for the fields present and valid, plus ``"_line"``;
        ``None`` when any error was reported for this mapping.
    """
    if node is None:
        return None
    if not isinstance(node.value, dict):
        report.add(shown, node.line, node.col, "JT022", f"{what}应是“字段: 值”的形式，实际是{_describe(node)}")
        return None
    before = len(report.items)
    by_name = {f.name: f for f in fields}
    out: dict[str, Any] = {"_line": node.line}
    for key, value in node.value.items():
        line, col = node.keys[key]
        field = by_name.get(key)
        if field is None:
            close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
            hint = f"是不是 {close[0]}？" if close else "可用字段：" + "、".join(by_name)
            report.add(shown, line, col, "JT030", f"{what}没有 {key} 这个字段", hint)
            continue
        if value.value in (None, "") and not field.required:
            continue  # an empty optional field is simply absent
        try:
            out[key] = field.check(value, vocab)
        except FieldError as exc:
            at = exc.node or value
            report.add(shown, at.line, at.col, exc.code, exc.message, exc.hint)
    for field in fields:
        if field.required and (field.name not in node.value or node.value[field.name].value is None):
            if field.name in node.value:
                n = node.value[field.name]
                report.add(shown, n.line, n.col, "JT031", f"{what}的必填字段 {field.name} 是空的", f"例如 {field.name}: {field.example}")
            else:
                report.add(shown, node.line, node.col, "JT031", f"{what}缺少必填字段 {field.name}", f"添加一行 {field.name}: {field.example}")
    if len(report.items) == before and check:
        check(out, node, report)
    return out if len(report.items) == before else None
